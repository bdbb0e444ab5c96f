{#- Every raw review, cleaned, with its row status and the rule it breaks, if any: a reference to an order
    or product never received, or a rating outside the contract's bounds. -#}
with

source as (
    select * from {{ source('shop', 'reviews') }}
),

classified as (
    {{ select_with_row_status('source', 'review_id', 'created_at') }}
),

order_keys as (
    select distinct order_id from {{ ref('base_shop__orders') }}
),

product_keys as (
    select distinct product_id from {{ ref('base_shop__products') }}
),

checked as (
    select
        classified.*,
        case
            when order_keys.order_id is null then 'orphan_foreign_key'
            when product_keys.product_id is null then 'orphan_foreign_key'
            when {{ is_out_of_contract_range('reviews', 'rating', 'classified.rating') }}
                then 'out_of_range_value'
        end as rejection_rule,
        case
            when order_keys.order_id is null then 'order_id'
            when product_keys.product_id is null then 'product_id'
            when {{ is_out_of_contract_range('reviews', 'rating', 'classified.rating') }}
                then 'rating'
        end as rejected_column
    from classified
    left join order_keys on classified.order_id = order_keys.order_id
    left join product_keys on classified.product_id = product_keys.product_id
),

renamed as (
    select
        ---------- ids
        cast(review_id as bigint) as review_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,

        ---------- strings
        nullif(trim(review_title), '') as review_title,
        nullif(trim(review_comment), '') as review_comment,

        ---------- numerics
        cast(rating as integer) as rating,

        ---------- timestamps
        cast(created_at as timestamp) as created_at,

        ---------- quarantine
        rejection_rule,
        rejected_column,

        ---------- load metadata
        row_status,
        copy_number,
        version_number,
        _load_id,
        cast(_loaded_at as timestamp) as _loaded_at

    from checked
)

select * from renamed
