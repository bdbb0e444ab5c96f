"""Superset's configuration for this project, loaded by Superset through SUPERSET_CONFIG_PATH.

Runs inside Superset's own virtual environment, so it uses the standard library only. Everything
that varies comes from the environment; state (metadata DB, secret key) lives under SUPERSET_HOME,
which is git-ignored.
"""

import os
import secrets
from pathlib import Path

SUPERSET_HOME = Path(os.environ.get("SUPERSET_HOME", Path(__file__).resolve().parent.parent / ".superset"))
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SUPERSET_SECRET_KEY, else one generated once into SUPERSET_HOME (never in git, never logged)."""
    if key := os.environ.get("SUPERSET_SECRET_KEY"):
        return key
    key_file = SUPERSET_HOME / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_METADATA_DB_URI", f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"
)

# No examples, no phoning home: the footer's telemetry pixel is blocked by the CSP below.
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {"DASHBOARD_RBAC": False, "ALERT_REPORTS": False, "TAGGING_SYSTEM": False}
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# One small in-process cache; the marts change every build, so keep results briefly.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 3600}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 3600}

RATELIMIT_ENABLED = False
LOG_LEVEL = os.environ.get("SUPERSET_LOG_LEVEL", "WARNING")
