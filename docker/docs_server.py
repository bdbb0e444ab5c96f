"""Static server for the `docs` service: the pipeline's latest dbt docs site, or a stand-in until it exists.

The pipeline regenerates the site (with the warehouse's real catalog) after every run into a volume this
service mounts read-only. Before the first run that folder is empty, so a parse-only site built at start
stands in; each request picks the folder, so the live site appears without a restart. `dbt docs serve`
cannot do this, and it writes into the folder it serves (which is read-only here).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

SITE_FILES = ("index.html", "manifest.json", "catalog.json")


def site_root(live: Path, fallback: Path) -> Path:
    """The live site once all of its files exist, else the stand-in."""
    return live if all((live / name).is_file() for name in SITE_FILES) else fallback


class DocsHandler(http.server.SimpleHTTPRequestHandler):
    """Serves from whichever folder `site_root` names at the time of each request."""

    def __init__(self, *args: object, live: Path, fallback: Path, **kwargs: object) -> None:
        super().__init__(*args, directory=str(site_root(live, fallback)), **kwargs)

    def end_headers(self) -> None:
        # The site changes after every pipeline run: never serve a cached manifest next to a new catalog.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class DocsServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # The health probe hangs up once it has the status line: not worth a traceback every 15 s.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(host: str, port: int, *, live: Path, fallback: Path) -> DocsServer:
    handler = functools.partial(DocsHandler, live=live, fallback=fallback)
    return DocsServer((host, port), handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", type=Path, required=True, help="Folder the pipeline writes the docs site to.")
    parser.add_argument("--fallback", type=Path, required=True, help="Parse-only site served until then.")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = make_server(args.host, args.port, live=args.live, fallback=args.fallback)
    print(f"dbt docs on http://{args.host}:{args.port} (live site: {args.live}, until then: {args.fallback})")
    server.serve_forever()


if __name__ == "__main__":
    main()
