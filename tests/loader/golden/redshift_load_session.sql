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

COMMIT;

SELECT count(*) FROM "raw"."loader_audit" WHERE load_id = %s AND table_name = %s AND status = 'succeeded';
-- parameters: '20261122T010203000000Z-0123abcd', 'customers'

COMMIT;

CREATE TEMP TABLE "stg_customers" (LIKE "raw"."customers");

COPY "stg_customers" ("customer_id", "email", "first_name", "last_name", "gender", "birth_date", "city", "state", "country_code", "acquisition_channel", "created_at", "updated_at")
FROM 's3://acme-lake/shop/manifests/20261122T010203000000Z-0123abcd/redshift/customers.manifest'
IAM_ROLE 'arn:aws:iam::123456789012:role/ecommerce-redshift-copy'
MANIFEST
FORMAT AS CSV
IGNOREHEADER 1
GZIP
DATEFORMAT 'YYYY-MM-DD'
TIMEFORMAT 'YYYY-MM-DD HH:MI:SS'
EMPTYASNULL
REGION 'eu-west-1'
COMPUPDATE OFF
STATUPDATE OFF
MAXERROR 0;

SELECT count(*) FROM "stg_customers";

LOCK "raw"."loader_audit";

SELECT count(*) FROM "raw"."loader_audit" WHERE load_id = %s AND table_name = %s AND status = 'succeeded';
-- parameters: '20261122T010203000000Z-0123abcd', 'customers'

INSERT INTO "raw"."customers" ("customer_id", "email", "first_name", "last_name", "gender", "birth_date", "city", "state", "country_code", "acquisition_channel", "created_at", "updated_at", "_load_id", "_loaded_at")
SELECT "customer_id", "email", "first_name", "last_name", "gender", "birth_date", "city", "state", "country_code", "acquisition_channel", "created_at", "updated_at", %s, %s
FROM "stg_customers";
-- parameters: '20261122T010203000000Z-0123abcd', <utc now>

INSERT INTO "raw"."loader_audit" (load_id, table_name, files, rows_in_manifest, rows_loaded, rows_rejected, status, started_at, finished_at, error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s);
-- parameters: '20261122T010203000000Z-0123abcd', 'customers', 4, 200, 200, 0, 'succeeded', <utc now>, <utc now>, None

DROP TABLE "stg_customers";

COMMIT;
