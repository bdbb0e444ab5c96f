{{ config(unique_key='review_id') }}
{#- Every raw review, cleaned, with its row status and the rule it breaks, if any: a reference to an order
    or product never received, or a rating outside the contract's bounds.
    Incremental like base_shop__order_items: new rows, and reviews held back for an order or product that
    has arrived since. -#}
with

source as (
    select * from {{ source('shop', 'reviews') }}
    {% if is_incremental() %}
        where review_id in ({{ keys_to_reclassify('reviews', 'review_id') }})
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'review_id', 'created_at') }}
),

order_keys as (
    {{ first_arrivals('base_shop__orders', 'order_id') }}
),

product_keys as (
    {{ first_arrivals('base_shop__products', 'product_id') }}
),

checked as (
    {{ select_checked_against_parents('reviews', 'rating') }}
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
        cast(_loaded_at as timestamp) as _loaded_at,
        cast(parents_loaded_at as timestamp) as _parents_loaded_at

    from checked
)

select * from renamed
