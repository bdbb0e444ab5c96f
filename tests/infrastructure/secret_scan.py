"""Scan the files a commit could contain for secrets: cloud keys, private keys, passwords in URLs or literals.

Run by `make test` (test_secrets.py) and by hand: `python -m tests.infrastructure.secret_scan` prints each
finding as path:line and exits 1. Placeholders (`${VAR}`, `{{ env_var(...) }}`, `<password>`, values
that name themselves: example, sample, test, secret, password...) are not secrets. A line that must show
a secret-shaped example on purpose can carry the marker `secret-scan: allow`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.infrastructure.env_scan import project_files

ALLOW_MARKER = "secret-scan: allow"
MAX_BYTES = 2_000_000
PLACEHOLDER = re.compile(
    r"example|sample|changeme|change-me|placeholder|dummy|test|fake|redacted|secret|password|xxx|\*\*\*|[${}<>%]", re.I
)

# Most specific first: a line is reported once, under the first rule that matches it.
RULES: dict[str, re.Pattern[str]] = {
    "AWS access key id": re.compile(r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b"),
    "AWS secret access key": re.compile(
        r"(?i)aws_?secret_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
    ),
    "private key": re.compile(r"(-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----)"),
    "password in URL": re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"]+:([^\s@/'\"]+)@[\w.-]+"),
    "GitHub token": re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,})\b"),
    "Slack token": re.compile(r"\b(xox[abprs]-[A-Za-z0-9-]{10,})\b"),
    "Google API key": re.compile(r"\b(AIza[0-9A-Za-z_-]{35})\b"),
    "Stripe live key": re.compile(r"\b((?:sk|rk)_live_[0-9a-zA-Z]{24,})\b"),
    # Last: the generic rule, for lines none of the specific ones named.
    "password literal": re.compile(
        r"(?i)[\w.-]*(?:password|passwd|secret|token|api_?key)[\w.-]*[\"']?\s*[:=]\s*[\"']([^\"'\s]{8,})[\"']"
    ),
}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str

    def __str__(self) -> str:
        # Where and what kind, never the value: the report itself must not leak it.
        return f"{self.path}:{self.line}: {self.rule}"


def scan_text(path: str, text: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOW_MARKER in line:
            continue
        rule = next((rule for rule, pattern in RULES.items() if _real_match(rule, pattern, line)), None)
        if rule:
            findings.append(Finding(path, number, rule))
    return findings


def _real_match(rule: str, pattern: re.Pattern[str], line: str) -> bool:
    """Whether `pattern` finds a value on `line` that is not a placeholder (a key header always counts)."""
    return any(rule == "private key" or not PLACEHOLDER.search(m.group(1)) for m in pattern.finditer(line))


def scan_files(root: Path, paths: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in paths:
        file = root / path
        if file.stat().st_size > MAX_BYTES:
            continue
        data = file.read_bytes()
        if b"\0" in data:  # binary
            continue
        findings += scan_text(path, data.decode("utf-8", errors="replace"))
    return sorted(set(findings))


def scan_repository(root: Path) -> list[Finding]:
    """Tracked files and new files not git-ignored (`.env` is ignored, and is where secrets belong)."""
    return scan_files(root, project_files(root))


if __name__ == "__main__":
    found = scan_repository(Path(__file__).resolve().parents[2])
    for finding in found:
        print(finding)
    print(f"{len(found)} possible secret(s)" if found else "no secrets found", file=sys.stderr)
    sys.exit(1 if found else 0)
