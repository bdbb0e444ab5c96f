COPY "stg_customers" ("customer_id", "email", "first_name", "last_name", "gender", "birth_date", "city", "state", "country_code", "acquisition_channel", "created_at", "updated_at")
FROM 's3://acme-lake/shop/manifests/20261122T010203000000Z-0123abcd/redshift/customers.manifest'
ACCESS_KEY_ID '<key id>' SECRET_ACCESS_KEY '<secret>'
MANIFEST
FORMAT AS CSV
IGNOREHEADER 1
GZIP
DATEFORMAT 'YYYY-MM-DD'
TIMEFORMAT 'YYYY-MM-DD HH:MI:SS'
EMPTYASNULL
COMPUPDATE OFF
STATUPDATE OFF
MAXERROR 10
