CREATE SCHEMA IF NOT EXISTS "raw";

CREATE TABLE IF NOT EXISTS "raw"."customers" (
    "customer_id" bigint,
    "email" varchar(254),
    "first_name" varchar(100),
    "last_name" varchar(100),
    "gender" varchar(16),
    "birth_date" date,
    "city" varchar(100),
    "state" varchar(64),
    "country_code" varchar(2),
    "acquisition_channel" varchar(32),
    "created_at" timestamp,
    "updated_at" timestamp,
    "_load_id" varchar(64),
    "_loaded_at" timestamp
);

CREATE TABLE IF NOT EXISTS "raw"."products" (
    "product_id" bigint,
    "sku" varchar(32),
    "product_name" varchar(200),
    "category" varchar(64),
    "brand" varchar(100),
    "list_price" decimal(12,2),
    "unit_cost" decimal(12,2),
    "weight_grams" integer,
    "created_at" timestamp,
    "updated_at" timestamp,
    "_load_id" varchar(64),
    "_loaded_at" timestamp
);

CREATE TABLE IF NOT EXISTS "raw"."orders" (
    "order_id" bigint,
    "customer_id" bigint,
    "status" varchar(16),
    "payment_method" varchar(16),
    "ordered_at" timestamp,
    "paid_at" timestamp,
    "shipped_at" timestamp,
    "delivered_at" timestamp,
    "canceled_at" timestamp,
    "returned_at" timestamp,
    "promised_delivery_date" date,
    "shipping_cost" decimal(12,2),
    "updated_at" timestamp,
    "_load_id" varchar(64),
    "_loaded_at" timestamp
);

CREATE TABLE IF NOT EXISTS "raw"."order_items" (
    "order_item_id" bigint,
    "order_id" bigint,
    "product_id" bigint,
    "line_number" integer,
    "quantity" integer,
    "unit_price" decimal(12,2),
    "discount_amount" decimal(12,2),
    "unit_cost" decimal(12,2),
    "created_at" timestamp,
    "_load_id" varchar(64),
    "_loaded_at" timestamp
);

CREATE TABLE IF NOT EXISTS "raw"."reviews" (
    "review_id" bigint,
    "order_id" bigint,
    "product_id" bigint,
    "rating" integer,
    "review_title" varchar(200),
    "review_comment" varchar(2000),
    "created_at" timestamp,
    "_load_id" varchar(64),
    "_loaded_at" timestamp
);

CREATE TABLE IF NOT EXISTS "raw"."loader_audit" (
    "load_id" varchar(64),
    "table_name" varchar(128),
    "files" integer,
    "rows_in_manifest" bigint,
    "rows_loaded" bigint,
    "rows_rejected" bigint,
    "status" varchar(16),
    "started_at" timestamp,
    "finished_at" timestamp,
    "error" varchar(4096)
);

CREATE TABLE IF NOT EXISTS "raw"."loader_rejected_rows" (
    "load_id" varchar(64),
    "table_name" varchar(128),
    "file" varchar(1024),
    "line" bigint,
    "column_name" varchar(128),
    "raw_value" varchar(65535),
    "reason" varchar(1024)
);
