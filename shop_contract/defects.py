"""The kinds of dirty rows the shop source is known to send, and what the warehouse does with each.

The generator injects these on purpose (and records how many in `_generation.json`); the staging
models apply the matching rule; the data-quality report counts them back. Keeping the catalogue here
lets all three agree on names without copying them.

Rules the generator keeps so that counts reconcile exactly:
- a row carries at most one defect;
- a re-sent duplicate is a byte-identical copy of a clean row;
- defects that quarantine a row are only put in leaf tables (order_items, reviews), so a quarantined
  row never takes children with it;
- values stay castable to the contract's types: type errors are the loader's business, not these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Handling(StrEnum):
    """What staging does with a row that carries the defect."""

    DEDUPLICATE = "deduplicate"  # the copy is dropped, the original kept
    REPAIR = "repair"  # the row is kept with the value cleaned (trimmed, lower-cased)
    FLAG = "flag"  # the row is kept, the bad value nulled, and the issue recorded
    QUARANTINE = "quarantine"  # the row goes to a rejected-rows model with the rule it broke
    ACCEPT = "accept"  # nothing to fix; incremental models must still handle it


@dataclass(frozen=True)
class DefectKind:
    """One kind of dirty row: where it appears and how the warehouse handles it."""

    name: str
    description: str
    handling: Handling
    #: `table.column` pairs (or bare table names for whole-row defects) where it is injected.
    targets: tuple[str, ...]


DEFECT_KINDS: tuple[DefectKind, ...] = (
    DefectKind(
        "duplicate_row",
        "The same row sent twice, byte for byte (a retried extract).",
        Handling.DEDUPLICATE,
        ("customers", "products", "orders", "order_items", "reviews"),
    ),
    DefectKind(
        "whitespace_noise",
        "Leading or trailing spaces around a text value.",
        Handling.REPAIR,
        ("customers.first_name", "customers.last_name", "customers.city", "products.product_name", "products.brand"),
    ),
    DefectKind(
        "case_noise",
        "An e-mail or a coded value in unexpected upper or mixed case.",
        Handling.REPAIR,
        ("customers.email", "products.category", "orders.status", "orders.payment_method"),
    ),
    DefectKind(
        "invalid_email",
        "An e-mail address that cannot be delivered to (no @, no domain, spaces).",
        Handling.FLAG,
        ("customers.email",),
    ),
    DefectKind(
        "missing_email",
        "An empty e-mail address.",
        Handling.FLAG,
        ("customers.email",),
    ),
    DefectKind(
        "missing_value",
        "An optional attribute left empty.",
        Handling.FLAG,
        ("customers.birth_date", "customers.city", "products.weight_grams"),
    ),
    DefectKind(
        "orphan_foreign_key",
        "A reference to an order or product that does not exist.",
        Handling.QUARANTINE,
        ("order_items.order_id", "order_items.product_id", "reviews.order_id", "reviews.product_id"),
    ),
    DefectKind(
        "out_of_range_value",
        "A rating outside 1-5 or a quantity outside 1-99.",
        Handling.QUARANTINE,
        ("order_items.quantity", "reviews.rating"),
    ),
    DefectKind(
        "late_arriving_row",
        "A row first sent in a later day's extract than the day it happened.",
        Handling.ACCEPT,
        ("orders", "order_items"),
    ),
)

DEFECT_KINDS_BY_NAME: dict[str, DefectKind] = {kind.name: kind for kind in DEFECT_KINDS}
