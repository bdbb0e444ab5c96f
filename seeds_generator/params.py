"""The knobs of the simulated shop: calendar anchors, volumes at scale 1, funnel and defect rates.

Volumes are per scale unit; at scale 1 and the default 30 days they give about 1,200 customers,
600 products, 3,000 orders, 6,500 order lines and 2,000 reviews, comfortably above the minimums
the downstream project relies on.
"""

from __future__ import annotations

import datetime as dt

#: The day the simulated shop's extracts begin: the catalogue and the existing customers appear on it.
OPENING_DATE = dt.date(2025, 1, 1)
DEFAULT_DAYS = 30
#: No order event (payment, shipping, delivery, return, review) happens later than this after placement;
#: a run that starts after the opening date replays this many days first to know what is pending.
LOOKBACK_DAYS = 45
SECONDS_PER_DAY = 86_400

# --- Volumes at scale 1 --------------------------------------------------------------------
OPENING_CUSTOMERS = 950
#: Existing customers signed up over this many days before the opening date.
OPENING_CUSTOMER_HISTORY_DAYS = 730
NEW_CUSTOMERS_PER_DAY = 8.0
OPENING_PRODUCTS = 560
OPENING_PRODUCT_HISTORY_DAYS = 365
NEW_PRODUCTS_PER_DAY = 1.2
ORDERS_PER_DAY = 100.0
#: Mean lines per order; the per-day line total is fixed from this so line ids are cheap to compute.
LINES_PER_ORDER = 2.15
#: Reviews decided per order line placed that day (written after delivery).
REVIEWS_PER_LINE = 0.42
#: Daily counts wobble by up to this fraction around their seasonal expectation.
DAILY_NOISE = 0.08

# --- Customers -----------------------------------------------------------------------------
#: Share of a day's new customers who order on the day they sign up.
FIRST_ORDER_SAME_DAY = 0.65
#: Spread (log-normal sigma) of how often existing customers buy: large means few heavy buyers.
BUYER_ACTIVITY_SIGMA = 1.3
#: Mean days until a customer moves city / changes e-mail (one of each at most).
MEAN_DAYS_TO_MOVE = 400.0
MEAN_DAYS_TO_EMAIL_CHANGE = 700.0

# --- Products ------------------------------------------------------------------------------
PRICE_MEDIAN = 75.0
#: Log-normal sigma giving a mean of about 120 for a median of 75.
PRICE_SIGMA = 0.97
COST_RATIO_RANGE = (0.45, 0.62)
MEAN_DAYS_TO_PRICE_CHANGE = 180.0
#: A price change moves the shelf price by at most this fraction either way.
PRICE_CHANGE_SPAN = 0.10
#: Popularity spread (log-normal sigma) of products in the basket.
PRODUCT_POPULARITY_SIGMA = 1.1

# --- Order lifecycle -----------------------------------------------------------------------
CANCEL_RATE = 0.014
RETURN_RATE = 0.035
LATE_DELIVERY_RATE = 0.095
DISCOUNTED_LINE_RATE = 0.15
FREE_SHIPPING_FROM_CENTS = 4_900

# --- Defects: per emitted row of the target table ------------------------------------------
#: kind -> target -> rate. Targets are `table.column`, or a bare table for whole-row defects.
DEFECT_RATES: dict[str, dict[str, float]] = {
    "duplicate_row": {"customers": 0.004, "products": 0.004, "orders": 0.003, "order_items": 0.003, "reviews": 0.004},
    "whitespace_noise": {
        "customers.first_name": 0.004,
        "customers.last_name": 0.004,
        "customers.city": 0.004,
        "products.product_name": 0.005,
        "products.brand": 0.005,
    },
    "case_noise": {
        "customers.email": 0.004,
        "products.category": 0.005,
        "orders.status": 0.002,
        "orders.payment_method": 0.002,
    },
    "invalid_email": {"customers.email": 0.004},
    "missing_email": {"customers.email": 0.004},
    "missing_value": {"customers.birth_date": 0.004, "customers.city": 0.004, "products.weight_grams": 0.005},
    "orphan_foreign_key": {
        "order_items.order_id": 0.0015,
        "order_items.product_id": 0.0015,
        "reviews.order_id": 0.003,
        "reviews.product_id": 0.003,
    },
    "out_of_range_value": {"order_items.quantity": 0.002, "reviews.rating": 0.004},
}
#: Share of a day's new orders whose first row (and lines) reach only a later day's extract.
LATE_ARRIVING_RATE = 0.005
#: Orphan references start here: far above any id a counter can reach.
ORPHAN_ID_BASE = 900_000_000_000_000
