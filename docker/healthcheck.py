"""Container health probe: exit 0 when a URL answers 2xx within the timeout, 1 otherwise.

Standard library only, because it runs in every service of docker-compose.yml (the pipeline image has
no curl, and installing it for one probe would grow the image and its attack surface).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 5.0


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """Return whether `url` answered 2xx, with a one-line reason for `docker inspect`'s health log."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300, f"{url} answered {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"{url} answered {error.code}"
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        return False, f"{url} unreachable: {reason}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: healthcheck.py URL", file=sys.stderr)
        return 2
    healthy, reason = probe(argv[1])
    print(reason)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
