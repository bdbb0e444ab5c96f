"""Generate the dbt docs site and serve it on a free local port (what `make docs` runs).

`dbt docs serve` wants a fixed port and opens a browser; this picks a free port, prints the URL and
serves the target folder until interrupted, so it works on shared machines and in tests alike.

    python dbt_project/scripts/serve_docs.py [--target dev] [--target-path DIR] [--port 0] [--no-generate]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROFILES_DIR = PROJECT_DIR.parent / "profiles"


def generate(target: str, target_path: Path) -> None:
    """`dbt docs generate` in-process: manifest, catalog and index.html into `target_path`."""
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = ["docs", "generate", "--target", target, "--target-path", str(target_path)]
    args += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROFILES_DIR)]
    result = dbtRunner().invoke(args)
    if not result.success:
        sys.exit(f"dbt docs generate failed: {result.exception or 'see the log above'}")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(target_path: Path, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for `target_path` on 127.0.0.1 (port 0: any free port); call serve_forever()."""
    handler = functools.partial(QuietHandler, directory=str(target_path))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=os.environ.get("DBT_TARGET", "dev"), help="dbt target (default: dev)")
    parser.add_argument(
        "--target-path", type=Path, help="dbt's target folder (default: dbt_project/target, or target-<target>)"
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--no-generate", action="store_true", help="serve what the target folder already holds")
    args = parser.parse_args()
    target_path = args.target_path or PROJECT_DIR / ("target" if args.target == "dev" else f"target-{args.target}")
    if not args.no_generate:
        generate(args.target, target_path)
    if not (target_path / "index.html").exists():
        sys.exit(f"{target_path / 'index.html'} is missing: run without --no-generate")
    server = serve(target_path, args.port)
    print(f"dbt docs: http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
