"""End to end: Superset provisioned from the definition over real marts, the dashboard opened in
headless Chromium. A screenshot is kept in test-artifacts/dashboard.png."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.dashboards.conftest import REPO, SupersetUnderTest

pytestmark = pytest.mark.slow

ARTIFACTS = REPO / "test-artifacts"
CHART_SELECTOR = "[data-test='dashboard-component-chart-holder']"
LOADING_SELECTORS = ".loading, [data-test='loading-indicator']"
ERROR_SELECTORS = "[data-test='chart-error'], .alert-danger, .ant-alert-error, [role='alert']"


def _mart_total(snapshot: Path, sql: str) -> Decimal:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_first_apply_creates_everything_and_second_changes_nothing(superset: SupersetUnderTest) -> None:
    definition = superset.definition
    expected = 1 + len(definition.datasets) + len(definition.charts) + 1
    assert len(superset.first_apply.created) == expected, superset.first_apply
    assert superset.second_apply.created == [] and superset.second_apply.changed == [], superset.second_apply
    assert len(superset.second_apply.unchanged) == expected


def test_dashboard_total_revenue_equals_the_marts(superset: SupersetUnderTest) -> None:
    """The revenue tile's own query, run through Superset's chart-data API, against a sum over the mart."""
    client = superset.client
    charts = client._json("GET", f"/api/v1/dashboard/{superset.definition.dashboard.slug}/charts")["result"]
    tile = next(chart for chart in charts if chart["slice_name"] == superset.definition.charts["revenue"].title)
    form_data = tile["form_data"]
    dataset_id = int(str(form_data["datasource"]).split("__")[0])
    result = client.chart_data(
        {
            "datasource": {"id": dataset_id, "type": "table"},
            "force": True,
            "queries": [{"metrics": [form_data["metric"]], "columns": [], "filters": [], "row_limit": 1}],
            "result_format": "json",
            "result_type": "full",
        }
    )
    dashboard_revenue = Decimal(str(result[0]["data"][0][form_data["metric"]]))
    mart_revenue = _mart_total(superset.snapshot, "select sum(revenue) from marts.fct_orders")
    assert mart_revenue > 0
    assert dashboard_revenue.quantize(Decimal("0.01")) == mart_revenue


def _wait_until_loaded(page, charts: int, *, seconds: float = 120) -> None:
    """Until every chart holder is on the page and no spinner is left (polled from here: our CSP forbids
    the page-side eval that Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.locator(CHART_SELECTOR).count() == charts and page.locator(LOADING_SELECTORS).count() == 0:
            page.wait_for_timeout(1_000)  # let the last chart paint before the picture
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the dashboard was still loading after {seconds:.0f} s")


def _log_in(page, base_url: str, superset: SupersetUnderTest) -> None:
    """Through the login form, as a person would; waits for the React form to settle before typing."""
    page.goto(f"{base_url}/login/", wait_until="networkidle")
    page.locator("#username").fill(superset.settings.superset_admin_user)
    page.locator("#password").fill(superset.settings.superset_admin_password.get_secret_value())
    page.locator("button[type='submit']").click()
    page.wait_for_url("**/superset/welcome/**", timeout=60_000)


def test_dashboard_renders_every_chart_with_data(superset: SupersetUnderTest, chromium_page) -> None:
    page = chromium_page
    base_url = superset.client.base_url
    chart_responses = []
    failed_requests: list[str] = []

    def record(response) -> None:
        if "/api/v1/chart/data" in response.url and response.request.method == "POST":
            chart_responses.append(response)

    page.on("response", record)
    page.on("requestfailed", lambda request: failed_requests.append(f"{request.url} {request.failure}"))

    _log_in(page, base_url, superset)

    page.goto(f"{base_url}/superset/dashboard/{superset.definition.dashboard.slug}/")
    charts = page.locator(CHART_SELECTOR)
    charts.first.wait_for(timeout=60_000)
    expected = len(superset.definition.charts)
    _wait_until_loaded(page, expected)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    assert charts.count() == expected
    assert page.locator(ERROR_SELECTORS).all_inner_texts() == []
    assert page.get_by_text("No results were returned").count() == 0
    chart_results = {
        response.request.post_data_json["form_data"]["slice_id"]: {"status": response.status, "body": response.json()}
        for response in chart_responses
        if "slice_id" in (response.request.post_data_json or {}).get("form_data", {})
    }
    assert len(chart_results) == expected, f"charts that sent no query: {expected - len(chart_results)}"
    for slice_id, answer in chart_results.items():
        assert answer["status"] == 200, (slice_id, answer)
        for result in answer["body"]["result"]:
            assert result.get("error") is None, (slice_id, result)
            assert result["rowcount"] > 0, f"chart {slice_id} got no rows"
    # Superset's footer pixel (telemetry) is blocked by our CSP, and nothing else leaves the machine.
    off_host = [failure for failure in failed_requests if not failure.startswith(base_url)]
    assert all(failure.endswith(" csp") for failure in off_host), off_host
