"""Order-side numpy columns to Arrow tables in contract order."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seeds_generator import params, vocab
from seeds_generator.columns import dates, money, pick, timestamps
from seeds_generator.orders import STAGE_OFFSETS, STAGE_STATUS, STATUS_CANCELED
from shop_contract.raw_tables import ORDER_ITEMS, ORDER_STATUSES, ORDERS, REVIEWS

_STATUSES = pa.array(ORDER_STATUSES)
_PAYMENTS = pa.array(vocab.PAYMENT_METHODS)
_TITLES = pa.array([title for stars in range(1, 6) for title in vocab.REVIEW_TITLES[stars]])
_TITLE_COUNTS = np.array([0] + [len(vocab.REVIEW_TITLES[stars]) for stars in range(1, 6)])
_TITLE_OFFSETS = np.cumsum(_TITLE_COUNTS)
_COMMENTS = pa.array([comment for stars in range(1, 6) for comment in vocab.REVIEW_COMMENTS[stars]])
_COMMENT_COUNTS = np.array([0] + [len(vocab.REVIEW_COMMENTS[stars]) for stars in range(1, 6)])
_COMMENT_OFFSETS = np.cumsum(_COMMENT_COUNTS)
DAY = params.SECONDS_PER_DAY


def orders_table(rows: np.ndarray) -> pa.Table:
    """Order rows from `orders.ORDER_ROW` records: each shows its order's steps up to its stage."""
    ordered = np.ascontiguousarray(rows["ordered_at"])
    stage, canceled = np.ascontiguousarray(rows["stage"]), np.ascontiguousarray(rows["canceled"])
    steps = {}
    latest = np.zeros(len(rows), dtype=np.int32)  # offset of the last step shown: steps come in time order
    for number, name in enumerate(STAGE_OFFSETS, start=1):
        offset = np.ascontiguousarray(rows[name])
        shown = (offset >= 0) & (stage >= number)
        latest = np.where(shown, offset, latest)
        steps[name] = (ordered + offset, shown)
    shipped_or_canceled, shown = steps["shipped_or_canceled"]
    columns = {
        "order_id": pa.array(rows["order_id"], type=pa.int64()),
        "customer_id": pa.array(rows["customer_id"], type=pa.int64()),
        "status": pick(_STATUSES, np.where(canceled & (stage == 2), STATUS_CANCELED, STAGE_STATUS[stage])),
        "payment_method": pick(_PAYMENTS, rows["payment"]),
        "ordered_at": timestamps(ordered),
        "paid_at": timestamps(steps["paid"][0], ~steps["paid"][1]),
        "shipped_at": timestamps(shipped_or_canceled, ~shown | canceled),
        "delivered_at": timestamps(steps["delivered"][0], ~steps["delivered"][1]),
        "canceled_at": timestamps(shipped_or_canceled, ~(shown & canceled)),
        "returned_at": timestamps(steps["returned"][0], ~steps["returned"][1]),
        "promised_delivery_date": dates(rows["promised_day"]),
        "shipping_cost": money(rows["shipping"]),
        "updated_at": timestamps(ordered + latest),
    }
    return pa.table(columns).select(list(ORDERS.column_names))


def order_items_table(lines: dict[str, np.ndarray]) -> pa.Table:
    columns = {
        "order_item_id": pa.array(lines["order_item_id"], type=pa.int64()),
        "order_id": pa.array(lines["order_id"], type=pa.int64()),
        "product_id": pa.array(lines["product_id"], type=pa.int64()),
        "line_number": pa.array(lines["line_number"].astype(np.int32)),
        "quantity": pa.array(lines["quantity"].astype(np.int32)),
        "unit_price": money(lines["unit_price"]),
        "discount_amount": money(lines["discount"]),
        "unit_cost": money(lines["unit_cost"]),
        "created_at": timestamps(lines["created_at"]),
    }
    return pa.table(columns).select(list(ORDER_ITEMS.column_names))


def _text(words: pa.Array, offsets: np.ndarray, counts: np.ndarray, rating: np.ndarray, u: np.ndarray) -> pa.Array:
    """A canned text matching the rating, NULL where the reviewer left it empty (u < 0)."""
    stars = np.clip(rating, 1, 5)
    index = offsets[stars - 1] + np.floor(np.maximum(u, 0.0) * counts[stars]).astype(np.int64)
    return pc.if_else(pa.array(u >= 0), pick(words, index), pa.scalar(None, pa.string()))


def reviews_table(reviews: dict[str, np.ndarray]) -> pa.Table:
    rating = reviews["rating"]
    columns = {
        "review_id": pa.array(reviews["review_id"], type=pa.int64()),
        "order_id": pa.array(reviews["order_id"], type=pa.int64()),
        "product_id": pa.array(reviews["product_id"], type=pa.int64()),
        "rating": pa.array(rating.astype(np.int32)),
        "review_title": _text(_TITLES, _TITLE_OFFSETS, _TITLE_COUNTS, rating, reviews["title_pick"]),
        "review_comment": _text(_COMMENTS, _COMMENT_OFFSETS, _COMMENT_COUNTS, rating, reviews["comment_pick"]),
        "created_at": timestamps(reviews["created_at"]),
    }
    return pa.table(columns).select(list(REVIEWS.column_names))
