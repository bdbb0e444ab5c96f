{#- Every raw row of every shop table, narrowed to what the data-quality report counts: its row status
    (kept, duplicate_row, superseded_version), the quarantine rule it broke, and the issues flagged or
    repaired in it (false where a table cannot have the issue). One row per raw row. -#}
with

customers as (
    select
        'customers' as table_name,
        customer_id as row_key,
        copy_number,
        version_number,
        row_status,
        cast(null as {{ type_text(32) }}) as rejection_rule,
        coalesce(is_email_invalid, false) as is_email_invalid,
        coalesce(is_email_missing, false) as is_email_missing,
        coalesce(has_missing_value, false) as has_missing_value,
        coalesce(has_whitespace_noise, false) as has_whitespace_noise,
        coalesce(has_case_noise, false) as has_case_noise
    from {{ ref('base_shop__customers') }}
),

products as (
    select
        'products' as table_name,
        product_id as row_key,
        copy_number,
        version_number,
        row_status,
        cast(null as {{ type_text(32) }}) as rejection_rule,
        false as is_email_invalid,
        false as is_email_missing,
        coalesce(has_missing_value, false) as has_missing_value,
        coalesce(has_whitespace_noise, false) as has_whitespace_noise,
        coalesce(has_case_noise, false) as has_case_noise
    from {{ ref('base_shop__products') }}
),

orders as (
    select
        'orders' as table_name,
        order_id as row_key,
        copy_number,
        version_number,
        row_status,
        cast(null as {{ type_text(32) }}) as rejection_rule,
        false as is_email_invalid,
        false as is_email_missing,
        false as has_missing_value,
        false as has_whitespace_noise,
        coalesce(has_case_noise, false) as has_case_noise
    from {{ ref('base_shop__orders') }}
),

order_items as (
    select
        'order_items' as table_name,
        order_item_id as row_key,
        copy_number,
        version_number,
        row_status,
        rejection_rule,
        false as is_email_invalid,
        false as is_email_missing,
        false as has_missing_value,
        false as has_whitespace_noise,
        false as has_case_noise
    from {{ ref('base_shop__order_items') }}
),

reviews as (
    select
        'reviews' as table_name,
        review_id as row_key,
        copy_number,
        version_number,
        row_status,
        rejection_rule,
        false as is_email_invalid,
        false as is_email_missing,
        false as has_missing_value,
        false as has_whitespace_noise,
        false as has_case_noise
    from {{ ref('base_shop__reviews') }}
),

unioned as (
    select * from customers
    union all
    select * from products
    union all
    select * from orders
    union all
    select * from order_items
    union all
    select * from reviews
)

select * from unioned
