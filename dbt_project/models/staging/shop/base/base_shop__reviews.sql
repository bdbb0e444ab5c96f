{{ config(unique_key='review_id') }}
{#- Every raw review, cleaned, with its row status and the rule it breaks, if any: a reference to an order
    or product never received, or a rating outside the contract's bounds.
    Incremental like base_shop__order_items: new rows, and reviews held back for an order or product that
    has arrived since. -#}
with

source as (
    select * from {{ source('shop', 'reviews') }}
    {% if is_incremental() %}
        where review_id in (
            select new_rows.review_id from {{ source('shop', 'reviews') }} as new_rows
            where {{ loaded_since_last_build('new_rows._loaded_at') }}
            union all
            select held_back.review_id from {{ this }} as held_back
            inner join {{ ref('base_shop__orders') }} as arrived
                on held_back.order_id = arrived.order_id
            where held_back.rejected_column = 'order_id'
            union all
            select held_back.review_id from {{ this }} as held_back
            inner join {{ ref('base_shop__products') }} as arrived
                on held_back.product_id = arrived.product_id
            where held_back.rejected_column = 'product_id'
        )
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'review_id', 'created_at') }}
),

order_keys as (
    select
        order_id,
        min(_loaded_at) as first_loaded_at
    from {{ ref('base_shop__orders') }}
    where order_id in (select source.order_id from source)
    group by order_id
),

product_keys as (
    select
        product_id,
        min(_loaded_at) as first_loaded_at
    from {{ ref('base_shop__products') }}
    where product_id in (select source.product_id from source)
    group by product_id
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
        end as rejected_column,
        case
            when order_keys.order_id is not null and product_keys.product_id is not null
                then greatest(order_keys.first_loaded_at, product_keys.first_loaded_at)
        end as parents_loaded_at
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
        cast(_loaded_at as timestamp) as _loaded_at,
        cast(parents_loaded_at as timestamp) as _parents_loaded_at

    from checked
)

select * from renamed
