"""Realistic shapes, each within a stated tolerance (scale 1, 30 days, clean, unless said otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds_generator import generate
from shop_contract.raw_tables import CATEGORIES, GENDERS, ORDER_STATUSES, PAYMENT_METHODS
from tests.seeds_generator.detect import EMAIL_PATTERN, connect


@pytest.fixture(scope="module")
def con(clean_run: tuple[Path, dict]):
    con = connect(clean_run[0])
    con.execute("""create view latest_orders as select * from orders
                   qualify row_number() over (partition by order_id order by updated_at desc) = 1""")
    con.execute("""create view latest_products as select * from products
                   qualify row_number() over (partition by product_id order by updated_at desc) = 1""")
    yield con
    con.close()


def one(con, sql: str):
    row = con.execute(sql).fetchone()
    return row[0] if len(row) == 1 else row


def test_lines_per_order_skew_to_one_with_a_long_tail(con) -> None:
    single, mean, longest = one(
        con,
        """select avg((n = 1)::int), avg(n), max(n) from
           (select order_id, count(*) n from order_items group by 1)""",
    )
    assert 0.50 <= single <= 0.65  # most orders have one line
    assert 1.8 <= mean <= 2.5
    assert longest >= 8


def test_quantities_and_discounts(con) -> None:
    single_unit, discounted = one(
        con, "select avg((quantity::int = 1)::int), avg((discount_amount::decimal(12,2) > 0)::int) from order_items"
    )
    assert single_unit >= 0.80
    assert 0.10 <= discounted <= 0.20


def test_prices_are_log_normal_and_costs_a_share_of_them(con) -> None:
    median, mean = one(con, "select median(list_price::double), avg(list_price::double) from latest_products")
    assert 65 <= median <= 85
    assert 100 <= mean <= 140
    low, high = one(
        con,
        "select quantile_cont(unit_cost::double / list_price::double, [0.01, 0.99]) from latest_products",
    )
    assert low >= 0.40 and high <= 0.70


def test_ratings_are_j_shaped(con) -> None:
    shares = dict(
        con.execute("select rating::int, count(*) / sum(count(*)) over () from reviews group by 1").fetchall()
    )
    assert 0.52 <= shares[5] <= 0.63
    assert 0.08 <= shares[1] <= 0.14
    assert max(shares[2], shares[3]) < min(shares[1], shares[4], shares[5])


def test_status_funnel(con) -> None:
    shares = dict(
        con.execute("""select status, count(*) / sum(count(*)) over () from latest_orders
                       where status in ('delivered', 'canceled', 'returned') group by 1""").fetchall()
    )
    assert 0.93 <= shares["delivered"] <= 0.97
    assert 0.01 <= shares["canceled"] <= 0.025
    assert 0.02 <= shares["returned"] <= 0.04


def test_late_deliveries_are_rated_lower(con) -> None:
    late = one(
        con,
        """select avg((delivered_at::timestamp::date > promised_delivery_date::date)::int)
           from latest_orders where delivered_at is not null""",
    )
    assert 0.07 <= late <= 0.11
    on_time, delayed = one(
        con,
        """select avg(rating::int) filter (where not late), avg(rating::int) filter (where late) from reviews
           join (select order_id, delivered_at::timestamp::date > promised_delivery_date::date late
                 from latest_orders) using (order_id)""",
    )
    assert delayed < on_time - 1.0


def test_repeat_buyers_for_cohorts(con) -> None:
    repeat, top_decile_share = one(
        con,
        """with per_customer as (
               select c.customer_id, count(distinct o.order_id) n from (select distinct customer_id from customers) c
               left join latest_orders o using (customer_id) group by 1)
           select avg((n >= 2)::int),
                  sum(n) filter (where n >= (select quantile_disc(n, 0.9) from per_customer)) / sum(n)
           from per_customer""",
    )
    assert 0.30 <= repeat <= 0.50  # of all customers, over the month
    assert top_decile_share >= 0.25  # skewed: a tenth of the customers place a quarter or more


def test_weekend_dip(con) -> None:
    weekday, weekend = one(
        con,
        """select avg(n) filter (where dow not in (0, 6)), avg(n) filter (where dow in (0, 6)) from
           (select ordered_at::timestamp::date d, dayofweek(d) dow, count(*) n from latest_orders group by 1)""",
    )
    assert weekend < 0.97 * weekday


def test_customers_look_like_people(con) -> None:
    median_age, low, high = one(
        con,
        """select median(a), min(a), max(a) from
           (select date_diff('year', birth_date::date, date '2025-01-31') a from customers)""",
    )
    assert 38 <= median_age <= 42
    assert low >= 18 and high <= 90
    assert one(con, f"select count(*) from customers where not regexp_full_match(email, '{EMAIL_PATTERN}')") == 0
    assert one(con, "select count(*) from customers where email <> lower(email)") == 0
    assert (
        one(
            con,
            """select count(*) from customers where not starts_with(email,
               lower(first_name) || '.' || lower(last_name) || customer_id || '@')""",
        )
        == 0
    )


def test_coded_values_are_accepted_values(con) -> None:
    for table, column, accepted in [
        ("products", "category", CATEGORIES),
        ("customers", "gender", GENDERS),
        ("orders", "status", ORDER_STATUSES),
        ("orders", "payment_method", PAYMENT_METHODS),
    ]:
        values = {row[0] for row in con.execute(f"select distinct {column} from {table}").fetchall()}
        assert values <= set(accepted), (table, values - set(accepted))
    assert len({row[0] for row in con.execute("select distinct category from products").fetchall()}) == len(CATEGORIES)


def _orders_per_day(tmp_path: Path, name: str, start: str, days: int) -> dict[str, int]:
    generate(tmp_path / name, scale=0.5, start_date=start, days=days, clean=True)
    con = connect(tmp_path / name)
    rows = con.execute(
        """select ordered_at::timestamp::date d, count(distinct order_id) from orders
           where ordered_at::timestamp >= ?::timestamp group by 1""",
        [start],
    ).fetchall()
    return {day.isoformat(): count for day, count in rows}


def test_black_friday_and_yearly_seasonality(tmp_path: Path) -> None:
    november = _orders_per_day(tmp_path, "november", "2025-11-24", 8)  # Black Friday 2025 is the 28th
    others = [n for day, n in november.items() if day not in ("2025-11-28", "2025-12-01")]
    assert november["2025-11-28"] >= 1.6 * (sum(others) / len(others))
    assert november["2025-12-01"] >= 1.25 * (sum(others) / len(others))  # Cyber Monday
    february = _orders_per_day(tmp_path, "february", "2025-02-03", 7)
    december = _orders_per_day(tmp_path, "december", "2025-12-08", 7)
    assert sum(december.values()) >= 1.15 * sum(february.values())
