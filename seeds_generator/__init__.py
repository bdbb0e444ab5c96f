"""Deterministic, incremental raw CSVs of a simulated e-commerce shop, dirty by design.

`generate(out_dir, ...)` writes `customers.csv`, `products.csv`, `orders.csv`, `order_items.csv`,
`reviews.csv` (columns as in `shop_contract.TABLES`) and `_generation.json` (parameters, file
checksums, and the exact count of every defect injected), and returns that JSON document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seeds_generator.errors import GeneratorUsageError

if TYPE_CHECKING:
    from seeds_generator.engine import generate

__all__ = ["GeneratorUsageError", "generate"]


def __getattr__(name: str):
    # numpy and pyarrow load only when generating, so that `--help` and usage errors answer at once.
    if name == "generate":
        from seeds_generator.engine import generate

        return generate
    raise AttributeError(f"module 'seeds_generator' has no attribute {name!r}")
