"""No secret in the files a commit could contain; the scanner is shown to catch planted ones first."""

from __future__ import annotations

import pytest

from tests.infrastructure import secret_scan
from tests.infrastructure.tools import REPO_ROOT

# Built at run time, so this file does not hold the secret-shaped strings it plants.
AWS_KEY_ID = "AKIA" + "Q7RZ2M4KXW3PLN5T"
AWS_SECRET = "k9Jz" + "Qw3rTy7uIoP1aSdF5gHjKl0zXcVbNm2Qw4Er"
PRIVATE_KEY = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\n", "AWS access key id"),
        (f"aws_secret_access_key = {AWS_SECRET}\n", "AWS secret access key"),
        (f"{PRIVATE_KEY}\n", "private key"),
        ("POSTGRES_DSN=postgresql://loader:" + "Zq83mWp2Lk@db.internal:5432/shop\n", "password in URL"),
        ('redshift_password: "' + 'Xr7tYq2Wm9Lp4Kd"\n', "password literal"),
        (f"token = '{GITHUB_TOKEN}'\n", "GitHub token"),
    ],
    ids=["aws-key-id", "aws-secret", "private-key", "url-password", "literal-password", "github-token"],
)
def test_scanner_catches_a_planted_secret(tmp_path, content, rule):
    planted = tmp_path / "settings.env"
    planted.write_text("# harmless first line\n" + content, encoding="utf-8")
    findings = secret_scan.scan_files(tmp_path, ["settings.env"])
    assert [(f.path, f.line, f.rule) for f in findings] == [("settings.env", 2, rule)]


def test_findings_name_the_place_but_never_the_value(tmp_path):
    (tmp_path / "x.py").write_text(f'KEY = "{AWS_KEY_ID}"\n', encoding="utf-8")
    (finding,) = secret_scan.scan_files(tmp_path, ["x.py"])
    assert str(finding) == "x.py:1: AWS access key id"
    assert AWS_KEY_ID not in str(finding)


@pytest.mark.parametrize(
    "content",
    [
        "password: \"{{ env_var('REDSHIFT_PASSWORD') }}\"\n",
        "MINIO_ROOT_PASSWORD: ${MINIO_ROOT_PASSWORD:?set it in .env}\n",
        "dsn = 'postgresql://user:<password>@host/db'\n",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
        "POSTGRES_DSN=postgresql://postgres@127.0.0.1:5432/ecommerce\n",
        'password = "not-a-real-secret"\n',
        f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}  # secret-scan: allow (documented example)\n",
    ],
    ids=[
        "dbt-env-var",
        "compose-required",
        "url-placeholder",
        "aws-docs-example",
        "no-password",
        "self-named",
        "marker",
    ],
)
def test_placeholders_are_not_findings(tmp_path, content):
    (tmp_path / "f.txt").write_text(content, encoding="utf-8")
    assert secret_scan.scan_files(tmp_path, ["f.txt"]) == []


def test_binary_files_are_skipped(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\0\1" + AWS_KEY_ID.encode())
    assert secret_scan.scan_files(tmp_path, ["blob.bin"]) == []


def test_no_secret_in_the_repository():
    findings = secret_scan.scan_repository(REPO_ROOT)
    assert not findings, "possible secrets (move them to .env, which git ignores):\n" + "\n".join(map(str, findings))
