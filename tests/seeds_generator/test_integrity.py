"""A --clean run is internally consistent: keys unique, references resolve, timelines in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seeds_generator.detect import connect


@pytest.fixture(scope="module")
def con(clean_run: tuple[Path, dict]):
    con = connect(clean_run[0])
    yield con
    con.close()


def _zero(con, sql: str) -> None:
    assert con.execute(f"select count(*) from ({sql})").fetchone()[0] == 0, sql


def test_keys_are_unique_per_version(con) -> None:
    _zero(con, "select customer_id, updated_at from customers group by all having count(*) > 1")
    _zero(con, "select product_id, updated_at from products group by all having count(*) > 1")
    _zero(con, "select order_id, updated_at from orders group by all having count(*) > 1")
    _zero(con, "select order_item_id from order_items group by all having count(*) > 1")
    _zero(con, "select review_id from reviews group by all having count(*) > 1")
    _zero(con, "select email from customers group by all having count(distinct customer_id) > 1")


def test_references_resolve(con) -> None:
    _zero(con, "select customer_id from orders except select customer_id from customers")
    _zero(con, "select order_id from order_items except select order_id from orders")
    _zero(con, "select product_id from order_items except select product_id from products")
    _zero(con, "select order_id, product_id from reviews except select order_id, product_id from order_items")


def test_order_timelines_are_ordered_and_match_status(con) -> None:
    ts = "cast({} as timestamp)"
    _zero(con, f"select * from orders where {ts.format('paid_at')} < {ts.format('ordered_at')}")
    _zero(con, f"select * from orders where {ts.format('shipped_at')} < {ts.format('paid_at')}")
    _zero(con, f"select * from orders where {ts.format('delivered_at')} <= {ts.format('shipped_at')}")
    _zero(con, f"select * from orders where {ts.format('returned_at')} <= {ts.format('delivered_at')}")
    _zero(con, "select * from orders where canceled_at is not null and shipped_at is not null")
    _zero(con, "select * from orders where shipped_at is not null and paid_at is null")
    status_by_timestamps = """
        case when returned_at is not null then 'returned' when canceled_at is not null then 'canceled'
             when delivered_at is not null then 'delivered' when shipped_at is not null then 'shipped'
             when paid_at is not null then 'paid' else 'placed' end"""
    _zero(con, f"select * from orders where status <> {status_by_timestamps}")
    greatest = "greatest(ordered_at, coalesce(paid_at, ordered_at), coalesce(shipped_at, ordered_at), coalesce(delivered_at, ordered_at), coalesce(canceled_at, ordered_at), coalesce(returned_at, ordered_at))"
    _zero(con, f"select * from orders where updated_at <> {greatest}")


def test_children_follow_their_parents(con) -> None:
    _zero(
        con,
        """select i.* from order_items i join orders o using (order_id)
           where cast(i.created_at as timestamp) <> cast(o.ordered_at as timestamp)""",
    )
    _zero(
        con,
        """select r.* from reviews r join orders o using (order_id)
           where o.delivered_at is not null and cast(r.created_at as timestamp) <= cast(o.delivered_at as timestamp)""",
    )
    _zero(
        con,
        """select * from orders o join customers c using (customer_id)
           where cast(o.ordered_at as timestamp) < cast(c.created_at as timestamp)""",
    )
    _zero(
        con,
        """select * from order_items i join products p using (product_id)
           where cast(i.created_at as timestamp) < cast(p.created_at as timestamp)""",
    )


def test_lines_are_priced_from_the_product_version_of_their_day(con) -> None:
    """The SCD2 story holds: a line's price is the list price of the product version valid when sold."""
    _zero(
        con,
        """select i.* from order_items i
           join lateral (
               select list_price, unit_cost from products p
               where p.product_id = i.product_id and cast(p.updated_at as timestamp) <= cast(i.created_at as timestamp)
               order by cast(p.updated_at as timestamp) desc limit 1
           ) v on true
           where cast(v.list_price as decimal(12,2)) <> cast(i.unit_price as decimal(12,2))
              or cast(v.unit_cost as decimal(12,2)) <> cast(i.unit_cost as decimal(12,2))""",
    )
    changed = con.execute("select count(*) from products group by product_id having count(*) > 1").fetchall()
    assert len(changed) > 50  # enough price changes for the check above to mean something
