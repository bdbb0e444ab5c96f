"""End to end: Superset provisioned from the definition over real marts, the dashboard opened in
headless Chromium. A screenshot is kept in test-artifacts/dashboard.png."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

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


def _dashboard_revenue(superset: SupersetUnderTest) -> Decimal:
    """The revenue tile's own query (its saved metric and dataset), run through Superset's chart-data API."""
    client = superset.client
    charts = client.dashboard_charts(superset.definition.dashboard.slug)
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
    return Decimal(str(result[0]["data"][0][form_data["metric"]])).quantize(Decimal("0.01"))


def test_dashboard_total_revenue_equals_the_marts(superset: SupersetUnderTest) -> None:
    mart_revenue = _mart_total(superset.snapshot, "select sum(revenue) from marts.fct_orders")
    assert mart_revenue > 0
    assert _dashboard_revenue(superset) == mart_revenue


def _wait_until_loaded(page, charts: int, *, seconds: float = 120, settle_ms: int = 1_000) -> None:
    """Until every chart holder is on the page and no spinner is left, still so `settle_ms` later (polled
    from here: our CSP forbids the page-side eval that Playwright's wait_for_function uses). Superset can
    mount the grid, then write its filter state into the URL (`native_filters_key`) and mount it again:
    a single look caught the first grid and the test then found none (0 of 11 chart holders)."""

    def loaded() -> bool:
        return page.locator(CHART_SELECTOR).count() == charts and page.locator(LOADING_SELECTORS).count() == 0

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if loaded():
            page.wait_for_timeout(settle_ms)
            if loaded():
                return
        page.wait_for_timeout(500)
    raise AssertionError(f"the dashboard was still loading after {seconds:.0f} s")


def _log_in(page, base_url: str, superset: SupersetUnderTest, *, attempts: int = 3) -> None:
    """Through the login form, as a person would. On a busy machine a click can land before the React
    form is wired up and do nothing: then the form is filled and sent again."""
    for _ in range(attempts):
        page.goto(f"{base_url}/login/", wait_until="networkidle")
        page.locator("#username").fill(superset.settings.superset_admin_user)
        page.locator("#password").fill(superset.settings.superset_admin_password.get_secret_value())
        page.locator("#password").press("Enter")
        try:
            page.wait_for_url(lambda url: "/login" not in url, timeout=20_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"still on the login page after {attempts} attempts")


@dataclass
class OpenedDashboard:
    """What a person saw: the answers to each chart's query (by chart title), and requests that failed."""

    answers: dict[str, dict]
    failed_requests: list[str]


def _open_dashboard(page, superset: SupersetUnderTest, query: str = "") -> OpenedDashboard:
    """Log in, open the dashboard (with `query` in its URL), wait until every chart has loaded."""
    base_url = superset.client.base_url
    chart_responses = []
    failed_requests: list[str] = []
    page.on("response", lambda r: chart_responses.append(r) if "/api/v1/chart/data" in r.url else None)
    page.on("requestfailed", lambda request: failed_requests.append(f"{request.url} {request.failure}"))
    _log_in(page, base_url, superset)
    page.goto(f"{base_url}/superset/dashboard/{superset.definition.dashboard.slug}/{query}")
    page.locator(CHART_SELECTOR).first.wait_for(timeout=60_000)
    _wait_until_loaded(page, len(superset.definition.charts))
    slug = superset.definition.dashboard.slug
    titles = {chart["id"]: chart["slice_name"] for chart in superset.client.dashboard_charts(slug)}
    answers = {}
    for response in chart_responses:
        form_data = (response.request.post_data_json or {}).get("form_data", {})
        if "slice_id" in form_data:  # filters' own value queries carry none
            answers[titles[form_data["slice_id"]]] = {
                "status": response.status,
                "query": response.request.post_data_json["queries"][0],
                "body": response.json(),
            }
    return OpenedDashboard(answers, failed_requests)


def test_dashboard_renders_every_chart_with_data(superset: SupersetUnderTest, chromium_page) -> None:
    page = chromium_page
    opened = _open_dashboard(page, superset)
    titles = {chart.title for chart in superset.definition.charts.values()}
    # Retried for a while: a grid Superset mounts again is briefly empty.
    expect(page.locator(CHART_SELECTOR)).to_have_count(len(titles), timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    assert page.locator(ERROR_SELECTORS).all_inner_texts() == []
    assert page.get_by_text("No results were returned").count() == 0
    assert set(opened.answers) == titles
    for title, answer in opened.answers.items():
        assert answer["status"] == 200, (title, answer)
        for result in answer["body"]["result"]:
            assert result.get("error") is None, (title, result)
            assert result["rowcount"] > 0, f"{title!r} got no rows"
    # Superset's footer pixel (telemetry) is blocked by our CSP, and nothing else leaves the machine.
    off_host = [failure for failure in opened.failed_requests if not failure.startswith(superset.client.base_url)]
    assert all(failure.endswith(" csp") for failure in off_host), off_host


def test_filters_reach_the_charts_that_have_their_column(superset: SupersetUnderTest, chromium_page) -> None:
    """A category and a month picked in the dashboard's filters, as a shared link carries them."""
    with duckdb.connect(str(superset.snapshot), read_only=True) as con:
        category, start, end = con.execute(
            "select min(category), date_trunc('month', min(order_date)) + interval 1 month,"
            " date_trunc('month', min(order_date)) + interval 2 month from marts.fct_order_items"
        ).fetchone()
        in_window = f"order_date >= date '{start:%Y-%m-%d}' and order_date < date '{end:%Y-%m-%d}'"
        revenue = con.execute(
            f"select sum(revenue) from marts.fct_order_items where category = ? and {in_window}", [category]
        ).fetchone()[0]
        late_rate = con.execute(
            "select sum(case when is_delivered and is_late then 1 else 0 end) * 1.0"
            f" / sum(case when is_delivered then 1 else 0 end) from marts.fct_orders where {in_window}"
        ).fetchone()[0]
    time_range = f"{start:%Y-%m-%d} : {end:%Y-%m-%d}"
    native_filters = (
        f"(NATIVE_FILTER-category:(id:NATIVE_FILTER-category,extraFormData:(filters:!((col:category,op:IN,"
        f"val:!('{category}')))),filterState:(value:!('{category}')),ownState:()),"
        f"NATIVE_FILTER-date_range:(id:NATIVE_FILTER-date_range,extraFormData:(time_range:'{time_range}'),"
        f"filterState:(value:'{time_range}'),ownState:()))"
    )
    opened = _open_dashboard(chromium_page, superset, f"?native_filters={quote(native_filters)}")
    titles = {key: chart.title for key, chart in superset.definition.charts.items()}

    revenue_answer = opened.answers[titles["revenue"]]
    assert Decimal(str(revenue_answer["body"]["result"][0]["data"][0]["revenue"])).quantize(Decimal("0.01")) == revenue
    # fct_orders has no category (an order can span several): the late-delivery rate gets the month only.
    late = opened.answers[titles["late_delivery_rate"]]
    assert all(flt["col"] != "category" for flt in late["query"]["filters"])
    assert late["body"]["result"][0]["data"][0]["late_delivery_rate"] == pytest.approx(float(late_rate))
    cohorts = opened.answers[titles["cohort_retention"]]
    assert all(flt["col"] != "category" for flt in cohorts["query"]["filters"])
    assert {row["cohort_month"] for row in cohorts["body"]["result"][0]["data"]} == {
        int(datetime(start.year, start.month, 1, tzinfo=UTC).timestamp() * 1000)
    }


def test_a_newly_published_snapshot_is_read_without_a_restart(superset: SupersetUnderTest) -> None:
    """The pipeline swaps a new snapshot in with os.replace; Superset's next query reads it. (Last in the
    module: it changes the snapshot the other tests read.)"""
    before = _dashboard_revenue(superset)
    new_snapshot = superset.snapshot.with_name(".ecommerce_bi.duckdb.next")
    shutil.copyfile(superset.snapshot, new_snapshot)
    with duckdb.connect(str(new_snapshot)) as con:
        con.execute(
            "update marts.fct_order_items set revenue = revenue + 1.00"
            " where order_item_id = (select min(order_item_id) from marts.fct_order_items)"
        )
    new_snapshot.replace(superset.snapshot)
    assert _dashboard_revenue(superset) == before + Decimal("1.00")
