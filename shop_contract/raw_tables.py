"""The raw data contract of the shop source: the five tables as the source system sends them.

This module is the single source of truth for the raw schema. The generator writes CSVs in this
column order, the loader creates the warehouse's `raw` tables from it, and dbt's source definitions
are rendered from it (`python -m shop_contract.dbt_sources`); a test fails if any of them drift.

Raw data is dirty by design: the contract describes what the source *promises* (names, types, keys),
while the value rules (`accepted_values`, `min_value`, `max_value`, `nullable`) describe what clean
data looks like. Staging models enforce those rules and quarantine the rows that break them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: Every timestamp in the raw files is UTC, written with this format (no zone suffix).
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
#: Every date in the raw files is written with this format.
DATE_FORMAT = "%Y-%m-%d"
#: The same formats spelled for Redshift's COPY (DATEFORMAT / TIMEFORMAT).
REDSHIFT_DATE_FORMAT = "YYYY-MM-DD"
REDSHIFT_TIME_FORMAT = "YYYY-MM-DD HH:MI:SS"

#: Columns the loader adds to every raw table; they are not part of the source files.
LOAD_ID_COLUMN = "_load_id"
LOADED_AT_COLUMN = "_loaded_at"


class Dialect(StrEnum):
    """Warehouses the raw schema is created in."""

    DUCKDB = "duckdb"
    POSTGRES = "postgres"
    REDSHIFT = "redshift"


class ColumnType(StrEnum):
    """Logical column types; `sql_type` maps them to each warehouse."""

    BIGINT = "bigint"
    INTEGER = "integer"
    MONEY = "money"  # decimal(12,2): exact, never float
    VARCHAR = "varchar"
    DATE = "date"
    TIMESTAMP = "timestamp"  # UTC, without time zone


MONEY_PRECISION = 12
MONEY_SCALE = 2


@dataclass(frozen=True)
class Column:
    """One column of a raw table."""

    name: str
    type: ColumnType
    description: str
    nullable: bool = True
    #: Bytes, for VARCHAR only. Redshift's VARCHAR length counts bytes, not characters.
    max_length: int | None = None
    #: `table.column` this column points to, for foreign keys.
    references: str | None = None
    #: The values clean data may hold (after trimming and lower-casing), for enumerations.
    accepted_values: tuple[str, ...] | None = None
    #: Inclusive bounds clean data stays within, for numbers.
    min_value: int | None = None
    max_value: int | None = None

    def sql_type(self, dialect: Dialect | str) -> str:
        """The column's SQL type in `dialect`: VARCHAR keeps its length where it matters (Redshift)."""
        dialect = Dialect(dialect)
        match self.type:
            case ColumnType.BIGINT:
                return "bigint"
            case ColumnType.INTEGER:
                return "integer"
            case ColumnType.MONEY:
                return f"decimal({MONEY_PRECISION},{MONEY_SCALE})"
            case ColumnType.DATE:
                return "date"
            case ColumnType.TIMESTAMP:
                return "timestamp"
            case ColumnType.VARCHAR:
                # DuckDB and PostgreSQL store text of any length at no cost; Redshift defaults to 256.
                if dialect is Dialect.REDSHIFT:
                    return f"varchar({self.max_length})"
                return "varchar"
        raise AssertionError(f"unmapped column type {self.type}")


@dataclass(frozen=True)
class Table:
    """One raw table: its columns in file order, its key and what orders versions of a key."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    #: The column that orders re-sent versions of the same key: the newest version wins.
    version_column: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def foreign_keys(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.references)


def _id(name: str, description: str, references: str | None = None) -> Column:
    return Column(name, ColumnType.BIGINT, description, nullable=False, references=references)


def _text(name: str, length: int, description: str, **rules: object) -> Column:
    return Column(name, ColumnType.VARCHAR, description, max_length=length, **rules)  # type: ignore[arg-type]


def _money(name: str, description: str) -> Column:
    return Column(name, ColumnType.MONEY, description, nullable=False, min_value=0)


def _timestamp(name: str, description: str, nullable: bool = True) -> Column:
    return Column(name, ColumnType.TIMESTAMP, description, nullable=nullable)


ORDER_STATUSES = ("placed", "paid", "shipped", "delivered", "canceled", "returned")
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "voucher", "bank_transfer")
ACQUISITION_CHANNELS = ("organic", "search", "social", "email", "display", "referral")
GENDERS = ("female", "male", "non_binary")
CATEGORIES = (
    "electronics",
    "computers",
    "home_kitchen",
    "furniture",
    "fashion",
    "shoes",
    "beauty",
    "health",
    "sports_outdoors",
    "toys_games",
    "books",
    "garden_tools",
    "pet_supplies",
    "grocery",
)

CUSTOMERS = Table(
    name="customers",
    description="People with a shop account; re-sent whenever their profile changes.",
    primary_key="customer_id",
    version_column="updated_at",
    columns=(
        _id("customer_id", "Customer id, assigned by the shop in sign-up order."),
        _text("email", 254, "Login e-mail address; may be missing or malformed at the source."),
        _text("first_name", 100, "Given name.", nullable=False),
        _text("last_name", 100, "Family name.", nullable=False),
        _text("gender", 16, "Self-declared gender.", accepted_values=GENDERS),
        Column("birth_date", ColumnType.DATE, "Date of birth; the source of age and age groups."),
        _text("city", 100, "City of the default delivery address."),
        _text("state", 64, "State or region of the default delivery address."),
        _text("country_code", 2, "ISO 3166-1 alpha-2 country of the default address.", nullable=False),
        _text(
            "acquisition_channel",
            32,
            "Marketing channel that brought the sign-up.",
            nullable=False,
            accepted_values=ACQUISITION_CHANNELS,
        ),
        _timestamp("created_at", "When the account was created (UTC).", nullable=False),
        _timestamp("updated_at", "When this version of the profile was written (UTC).", nullable=False),
    ),
)

PRODUCTS = Table(
    name="products",
    description="The catalogue; a product is re-sent whenever its price or details change.",
    primary_key="product_id",
    version_column="updated_at",
    columns=(
        _id("product_id", "Product id, assigned in catalogue order."),
        _text("sku", 32, "Stock-keeping unit code printed on the label.", nullable=False),
        _text("product_name", 200, "Display name in the shop.", nullable=False),
        _text("category", 64, "Catalogue category.", nullable=False, accepted_values=CATEGORIES),
        _text("brand", 100, "Brand or maker.", nullable=False),
        _money("list_price", "Current shelf price of one unit, before any discount."),
        _money("unit_cost", "What one unit costs the shop; the base of margins."),
        Column("weight_grams", ColumnType.INTEGER, "Shipping weight of one unit.", min_value=1),
        _timestamp("created_at", "When the product entered the catalogue (UTC).", nullable=False),
        _timestamp("updated_at", "When this version of the product was written (UTC).", nullable=False),
    ),
)

ORDERS = Table(
    name="orders",
    description="Order headers; an order is re-sent each day its status moves, carrying every step so far.",
    primary_key="order_id",
    version_column="updated_at",
    columns=(
        _id("order_id", "Order id, assigned in order-placement order."),
        _id("customer_id", "The customer who placed the order.", references="customers.customer_id"),
        _text(
            "status",
            16,
            "Where the order stands in the funnel: placed, paid, shipped, delivered, or canceled/returned.",
            nullable=False,
            accepted_values=ORDER_STATUSES,
        ),
        _text("payment_method", 16, "How the order was paid.", nullable=False, accepted_values=PAYMENT_METHODS),
        _timestamp("ordered_at", "When the customer placed the order (UTC).", nullable=False),
        _timestamp("paid_at", "When the payment was captured (UTC); empty until then."),
        _timestamp("shipped_at", "When the parcel left the warehouse (UTC); empty until then."),
        _timestamp("delivered_at", "When the carrier delivered the parcel (UTC); empty until then."),
        _timestamp("canceled_at", "When the order was canceled (UTC); empty unless canceled."),
        _timestamp("returned_at", "When the delivered order was returned (UTC); empty unless returned."),
        Column(
            "promised_delivery_date",
            ColumnType.DATE,
            "Delivery date promised to the customer at checkout.",
            nullable=False,
        ),
        _money("shipping_cost", "Freight charged to the customer for the whole order."),
        _timestamp("updated_at", "When this version of the order was written (UTC).", nullable=False),
    ),
)

ORDER_ITEMS = Table(
    name="order_items",
    description="Order lines: one product, a quantity and the prices charged; written once when the order is placed.",
    primary_key="order_item_id",
    version_column="created_at",
    columns=(
        _id("order_item_id", "Order line id, assigned in placement order."),
        _id("order_id", "The order this line belongs to.", references="orders.order_id"),
        _id("product_id", "The product sold on this line.", references="products.product_id"),
        Column(
            "line_number", ColumnType.INTEGER, "Position of the line in its order, from 1.", nullable=False, min_value=1
        ),
        Column("quantity", ColumnType.INTEGER, "Units sold on this line.", nullable=False, min_value=1, max_value=99),
        _money("unit_price", "Price of one unit at the time of sale, before discount."),
        _money("discount_amount", "Discount granted on the whole line."),
        _money("unit_cost", "What one unit cost the shop at the time of sale."),
        _timestamp("created_at", "When the line was written, with its order (UTC).", nullable=False),
    ),
)

REVIEWS = Table(
    name="reviews",
    description="Product ratings written by customers after delivery.",
    primary_key="review_id",
    version_column="created_at",
    columns=(
        _id("review_id", "Review id, assigned in writing order."),
        _id("order_id", "The order the review is about.", references="orders.order_id"),
        _id("product_id", "The product rated.", references="products.product_id"),
        Column("rating", ColumnType.INTEGER, "Stars given, 1 to 5.", nullable=False, min_value=1, max_value=5),
        _text("review_title", 200, "Short headline; often left empty."),
        _text("review_comment", 2000, "Free text; often left empty."),
        _timestamp("created_at", "When the review was written (UTC).", nullable=False),
    ),
)

#: The five raw tables, parents before children: load and create them in this order.
TABLES: tuple[Table, ...] = (CUSTOMERS, PRODUCTS, ORDERS, ORDER_ITEMS, REVIEWS)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
