"""A small client for the parts of Superset's REST API the provisioner and the tests use.

Superset's API wants a JWT for the API and a session cookie plus CSRF token for the import and
chart-data endpoints; `SupersetClient.login` sets up both once.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from typing import Any

import requests
import yaml


class SupersetError(RuntimeError):
    """Superset answered a request with an error; the message carries its answer."""


class SupersetClient:
    """A logged-in session against one Superset server."""

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def wait_until_healthy(self, *, seconds: float = 180.0, is_alive: Callable[[], bool] = lambda: True) -> None:
        """Superset's app factory takes a while; poll /health rather than guess (and stop if the server died)."""
        deadline = time.monotonic() + seconds
        while True:
            if not is_alive():
                raise SupersetError(f"Superset at {self.base_url} exited while starting")
            try:
                if self.session.get(f"{self.base_url}/health", timeout=5).ok:
                    return
            except requests.RequestException:
                pass  # not listening yet, or listening while the worker still loads the app
            if time.monotonic() > deadline:
                raise SupersetError(f"Superset at {self.base_url} was not healthy after {seconds:.0f} s")
            time.sleep(1)

    def login(self, username: str, password: str) -> None:
        token = self._json(
            "POST",
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
        )["access_token"]
        self.session.headers["Authorization"] = f"Bearer {token}"
        csrf = self._json("GET", "/api/v1/security/csrf_token/")["result"]
        self.session.headers.update({"X-CSRFToken": csrf, "Referer": self.base_url})

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.session.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs)
        except requests.ConnectionError as error:
            raise SupersetError(f"cannot reach Superset at {self.base_url} (is it running? `make bi`)") from error
        if not response.ok:
            raise SupersetError(f"{method} {path} answered {response.status_code}: {response.text[:2000]}")
        return response.json()

    def find(self, resource: str, **equals: object) -> list[dict]:
        """Objects of a resource (`dashboard`, `chart`, `dataset`, `database`) whose fields equal `equals`."""
        filters = ",".join(f"(col:{key},opr:eq,value:'{value}')" for key, value in equals.items())
        query = f"(filters:!({filters}),page_size:100)" if filters else "(page_size:100)"
        return self._json("GET", f"/api/v1/{resource}/", params={"q": query})["result"]

    def dashboard_charts(self, id_or_slug: int | str) -> list[dict]:
        """The dashboard's charts with their saved form data."""
        return self._json("GET", f"/api/v1/dashboard/{id_or_slug}/charts")["result"]

    def export_assets(self) -> dict[str, dict]:
        """Everything Superset holds (databases, datasets, charts, dashboards) as {path in zip: parsed YAML}."""
        response = self.session.get(f"{self.base_url}/api/v1/assets/export/", timeout=self.timeout)
        if not response.ok:
            raise SupersetError(f"exporting assets answered {response.status_code}: {response.text[:2000]}")
        with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
            return {
                name.split("/", 1)[1]: yaml.safe_load(bundle.read(name))
                for name in bundle.namelist()
                if name.endswith(".yaml")
            }

    def import_assets(self, files: dict[str, dict], *, passwords: dict[str, str]) -> None:
        """Apply a bundle through the assets import, which overwrites every object it names (by UUID)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as bundle:
            for name, content in sorted(files.items()):
                bundle.writestr(f"bundle/{name}", yaml.safe_dump(content, sort_keys=False, allow_unicode=True))
        self._json(
            "POST",
            "/api/v1/assets/import/",
            files={"bundle": ("bundle.zip", buffer.getvalue(), "application/zip")},
            data={"passwords": json.dumps(passwords)},
        )

    def find_tables(self, database_id: int, schema: str) -> list[dict]:
        """Tables and views of a schema, listed afresh (not from Superset's cache: marts come and go)."""
        result = self._json(
            "GET", f"/api/v1/database/{database_id}/tables/", params={"q": f"(schema_name:{schema},force:!t)"}
        )["result"]
        return [{"table_name": row["value"], "type": row["type"]} for row in result]

    def table_columns(self, database_id: int, schema: str, table: str) -> list[dict]:
        """The table's columns as the warehouse reports them: name, type, whether temporal."""
        return self._json(
            "GET",
            f"/api/v1/database/{database_id}/table_metadata/",
            params={"name": table, "schema": schema},
        )["columns"]

    def chart_data(self, query_context: dict) -> list[dict]:
        """Run a query context through Superset (as a dashboard does) and return its result sets."""
        return self._json("POST", "/api/v1/chart/data", json=query_context)["result"]
