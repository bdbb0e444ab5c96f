"""dbt on DuckDB end to end: generated batches, the real loader, `dbt build`, then what the marts say.

One warehouse is built per session (first batch in full with every test, second batch incrementally):
each test reads it rather than building its own.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shop_contract import TABLES
from tests.dbt_project.conftest import Batch, Warehouse
from tests.dbt_project.raw_fixture import EXPECTED_LOADER_REJECTS, EXPECTED_RECONCILIATION, build_raw

pytestmark = pytest.mark.slow

MART_TABLES = (
    "marts.fct_orders",
    "marts.fct_order_items",
    "marts.fct_reviews",
    "marts.dim_customers",
    "marts.dim_products",
    "reports.rpt_daily_sales_by_category_age_group",
    "reports.rpt_monthly_cohort_retention",
    "reports.rpt_product_ratings",
    "reports.rpt_data_quality_issues",
    "reports.rpt_data_quality_reconciliation",
)
#: Defect kinds staging does not count: late rows are accepted as they come.
NOT_MEASURED = {"late_arriving_row"}


def injected_defects(*truths: dict) -> Counter:
    """The generator's truth, summed over batches, per (table, kind)."""
    counts: Counter = Counter()
    for truth in truths:
        for defect in truth["defects"]:
            if defect["kind"] not in NOT_MEASURED:
                counts[(defect["table"], defect["kind"])] += defect["count"]
    return +counts


def superseded_versions(*batches: Batch) -> Counter:
    """Older versions per table, counted from the CSVs themselves: distinct (key, version) minus distinct keys.

    The generator's per-batch truth cannot say this: a later batch supersedes versions an earlier one sent.
    """
    import duckdb

    counts: Counter = Counter()
    for table in TABLES:
        files = [str(path) for batch in batches if (path := batch.folder / f"{table.name}.csv").exists()]
        [(versions, keys)] = duckdb.sql(
            f"select count(distinct ({table.primary_key}, {table.version_column})), count(distinct {table.primary_key})"
            f" from read_csv({files}, all_varchar = true)"
        ).fetchall()
        counts[(table.name, "superseded_version")] = versions - keys
    return +counts


def reported_issues(warehouse: Warehouse) -> Counter:
    rows = warehouse.query("select table_name, defect_kind, row_count from reports.rpt_data_quality_issues")
    return +Counter({(table, kind): count for table, kind, count in rows if count})


def test_data_quality_report_counts_exactly_the_injected_defects(incremental_warehouse, batches, late_changes):
    loaded = (*batches, *late_changes)
    expected = injected_defects(*(batch.truth for batch in loaded)) + superseded_versions(*loaded)
    # The report lists the contract's defect kinds per table; lines and reviews have no versions in the
    # contract, so the late changes' newer versions show only in the reconciliation (superseded_rows).
    declared = {
        (table, kind)
        for table, kind in incremental_warehouse.query(
            "select table_name, defect_kind from reports.rpt_data_quality_issues"
        )
    }
    assert reported_issues(incremental_warehouse) == Counter(
        {pair: n for pair, n in expected.items() if pair in declared}
    )


def test_every_raw_row_is_clean_quarantined_or_removed(incremental_warehouse, batches, late_changes):
    rows = incremental_warehouse.query(
        "select table_name, raw_rows, clean_rows, quarantined_rows, duplicate_rows, superseded_rows, is_reconciled"
        " from reports.rpt_data_quality_reconciliation"
    )
    assert len(rows) == 5
    for table, raw, clean, quarantined, duplicates, superseded, is_reconciled in rows:
        sent = sum(batch.truth["files"][table]["rows"] for batch in (*batches, *late_changes))
        assert raw == sent, table
        assert raw == clean + quarantined + duplicates + superseded, table
        assert is_reconciled, table


def test_mart_revenue_is_the_sum_of_clean_lines(incremental_warehouse):
    [(lines, orders, items, customers)] = incremental_warehouse.query(
        """
        select
            (select sum(quantity * unit_price - discount_amount) from staging.stg_shop__order_items),
            (select sum(revenue) from marts.fct_orders),
            (select sum(revenue) from marts.fct_order_items),
            (select sum(lifetime_revenue) from marts.dim_customers)
        """
    )
    assert lines > 0
    assert lines == orders == items == customers


def test_incremental_build_equals_a_full_refresh(incremental_warehouse, full_refresh_warehouse):
    for table in MART_TABLES:
        incremental = Counter(incremental_warehouse.query(f"select * from {table}"))
        refreshed = Counter(full_refresh_warehouse.query(f"select * from {table}"))
        assert incremental, table
        assert incremental == refreshed, f"{table} differs between the incremental build and a full refresh"


def test_incremental_builds_follow_rows_into_and_out_of_quarantine(incremental_warehouse, late_changes):
    """The late changes: a newer version quarantined a clean line and review; a late product released others."""
    import csv

    from tests.dbt_project.late_changes import LATE_LINE_ID, LATE_REVIEW_ID

    sent = {
        table: [int(row[key]) for row in csv.DictReader((late_changes[0].folder / f"{table}.csv").open())]
        for table, key in (("order_items", "order_item_id"), ("reviews", "review_id"))
    }
    [quarantined_line] = [key for key in sent["order_items"] if key != LATE_LINE_ID]
    [quarantined_review] = [key for key in sent["reviews"] if key != LATE_REVIEW_ID]
    counts = incremental_warehouse.query(
        f"""
        select
            (select count(*) from marts.fct_order_items where order_item_id = {quarantined_line}),
            (select count(*) from staging.stg_shop__order_items_rejected where order_item_id = {quarantined_line}),
            (select count(*) from marts.fct_reviews where review_id = {quarantined_review}),
            (select count(*) from staging.stg_shop__reviews_rejected where review_id = {quarantined_review}),
            (select count(*) from marts.fct_order_items where order_item_id = {LATE_LINE_ID}),
            (select count(*) from marts.fct_reviews where review_id = {LATE_REVIEW_ID})
        """
    )
    assert counts == [(0, 1, 0, 1, 1, 1)]


def test_second_batch_updated_orders_in_place(incremental_warehouse, batches):
    [(orders, distinct_orders, later_statuses)] = incremental_warehouse.query(
        """
        select count(*), count(distinct order_id),
            count(*) filter (where status in ('shipped', 'delivered') and order_date < date '2025-01-21')
        from marts.fct_orders
        """
    )
    assert orders == distinct_orders
    assert later_statuses > 0
    assert orders == incremental_warehouse.query("select count(*) from staging.stg_shop__orders")[0][0]


def test_customer_snapshot_keeps_each_version_seen_across_batches(incremental_warehouse):
    [(customers, versions, current)] = incremental_warehouse.query(
        """
        select count(distinct customer_id), count(*), count(*) filter (where dbt_valid_to is null)
        from snapshots.customers_snapshot
        """
    )
    assert current == customers
    assert versions > customers, "customers updated by the second batch should have a closed version"


def test_hand_written_batch_lands_every_row_where_expected(tmp_path: Path):
    warehouse = Warehouse(tmp_path / "fixture.duckdb", tmp_path / "target")
    build_raw(warehouse.path)
    warehouse.dbt(
        "build",
        "--select",
        "+rpt_data_quality_reconciliation",
        "stg_shop__order_items_rejected",
        "--resource-type",
        "model",
        "--resource-type",
        "seed",
    )
    rows = warehouse.query(
        "select table_name, raw_rows, clean_rows, quarantined_rows, duplicate_rows, superseded_rows,"
        " loader_rejected_rows from reports.rpt_data_quality_reconciliation"
    )
    assert {row[0]: row[1:6] for row in rows} == EXPECTED_RECONCILIATION
    assert {row[0]: row[6] for row in rows if row[6]} == EXPECTED_LOADER_REJECTS
    rejected = warehouse.query(
        "select order_item_id, rejection_rule, rejected_column, rejected_value"
        " from staging.stg_shop__order_items_rejected order by 1"
    )
    assert rejected == [
        (1003, "orphan_foreign_key", "order_id", "999"),
        (1004, "out_of_range_value", "quantity", "0"),
    ]
    customers = warehouse.query("select customer_id, email, city from staging.stg_shop__customers order by 1")
    assert customers[0] == (1, "ana@example.com", "Porto"), "the newer version of customer 1 wins"
    assert customers[1][1] == "bob@example.com", "e-mails are lower-cased"
    assert customers[2][1] is None, "an invalid e-mail is nulled"


def test_sources_are_fresh_after_a_load(incremental_warehouse):
    result = incremental_warehouse.dbt("source", "freshness")
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    assert set(statuses) >= {"customers", "products", "orders", "order_items", "reviews", "loader_audit"}
    assert set(statuses.values()) == {"pass"}
