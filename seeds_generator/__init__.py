"""Deterministic, incremental raw CSVs of a simulated e-commerce shop, dirty by design.

`generate(out_dir, ...)` writes `customers.csv`, `products.csv`, `orders.csv`, `order_items.csv`,
`reviews.csv` (columns as in `shop_contract.TABLES`) and `_generation.json` (parameters, file
checksums, and the exact count of every defect injected), and returns that JSON document.
"""

from seeds_generator.engine import generate
from seeds_generator.errors import GeneratorUsageError

__all__ = ["GeneratorUsageError", "generate"]
