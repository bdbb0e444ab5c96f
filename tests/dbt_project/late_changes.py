"""Two hand-written loads after the generated batches: the changes an incremental build gets wrong most easily.

The generator never sends a newer version of an order line or a review, nor a product after the lines
that refer to it. These loads do, so the incremental build can be checked against a full refresh on them:
- the first moves a clean line and a clean review of the first batch into quarantine (a newer version with
  a quantity / rating out of the contract's range), and sends a line and a review of a product not yet known;
- the second sends that product, which releases the held-back line and review.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb

from shop_contract import TABLES_BY_NAME, TIMESTAMP_FORMAT

#: Far above the generator's ids, so no generated row collides with them.
LATE_PRODUCT_ID = 900_000_001
LATE_LINE_ID = 900_000_001
LATE_REVIEW_ID = 900_000_001


def first_clean_row(first_batch: Path, table: str, key: str, in_range: str) -> dict:
    """The lowest-keyed row of `table` sent once, with its order and product in the batch and `in_range` true."""
    folder = str(first_batch)
    connection = duckdb.connect()
    connection.execute("set enable_progress_bar = false")
    relation = connection.sql(
        f"""
            select * from read_csv('{folder}/{table}.csv', all_varchar = true) as rows
            where {in_range}
                and order_id in (select order_id from read_csv('{folder}/orders.csv', all_varchar = true))
                and product_id in (select product_id from read_csv('{folder}/products.csv', all_varchar = true))
                and {key} in (
                    select {key} from read_csv('{folder}/{table}.csv', all_varchar = true)
                    group by {key} having count(*) = 1
                )
            order by cast({key} as bigint)
            limit 1
            """
    )
    [values] = relation.fetchall()
    return dict(zip(relation.columns, values, strict=True))


def later(timestamp: str) -> str:
    """A version column value one day later: the newer version."""
    return (dt.datetime.strptime(timestamp, TIMESTAMP_FORMAT) + dt.timedelta(days=1)).strftime(TIMESTAMP_FORMAT)


def write_batch(folder: Path, rows: dict[str, list[dict]], defects: dict[tuple[str, str], int]) -> dict:
    """`<table>.csv` files in the contract's column order, and the truth the data-quality report must show."""
    folder.mkdir(parents=True)
    for table, table_rows in rows.items():
        names = TABLES_BY_NAME[table].column_names
        with (folder / f"{table}.csv").open("w", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(names)
            writer.writerows([[row.get(name) for name in names] for row in table_rows])
    truth = {
        "files": {table: {"rows": len(rows.get(table, []))} for table in TABLES_BY_NAME},
        "defects": [{"table": table, "kind": kind, "count": count} for (table, kind), count in defects.items()],
    }
    (folder / "_generation.json").write_text(json.dumps(truth))
    return truth


def write_late_changes(first_batch: Path, root: Path) -> tuple[tuple[Path, dict], tuple[Path, dict]]:
    """The two loads, as (folder, truth) pairs."""
    line = first_clean_row(first_batch, "order_items", "order_item_id", "cast(quantity as integer) between 1 and 99")
    review = first_clean_row(first_batch, "reviews", "review_id", "cast(rating as integer) between 1 and 5")
    quarantined_line = {**line, "quantity": 0, "created_at": later(line["created_at"])}
    quarantined_review = {**review, "rating": 0, "created_at": later(review["created_at"])}
    waiting_line = {
        **line,
        "order_item_id": LATE_LINE_ID,
        "product_id": LATE_PRODUCT_ID,
        "line_number": 99,
        "created_at": later(line["created_at"]),
    }
    waiting_review = {**review, "review_id": LATE_REVIEW_ID, "product_id": LATE_PRODUCT_ID}
    first_folder = root / "late-changes-1"
    first_truth = write_batch(
        first_folder,
        {"order_items": [quarantined_line, waiting_line], "reviews": [quarantined_review, waiting_review]},
        # The final state: the two newer versions are quarantined; the waiting rows are released by the second load.
        {("order_items", "out_of_range_value"): 1, ("reviews", "out_of_range_value"): 1},
    )
    product = {
        "product_id": LATE_PRODUCT_ID,
        "sku": "LATE-0001",
        "product_name": "Late Product",
        "category": "books",
        "brand": "Late",
        "list_price": "10.00",
        "unit_cost": "4.00",
        "weight_grams": 100,
        "created_at": line["created_at"],
        "updated_at": line["created_at"],
    }
    second_folder = root / "late-changes-2"
    second_truth = write_batch(second_folder, {"products": [product]}, {})
    return (first_folder, first_truth), (second_folder, second_truth)
