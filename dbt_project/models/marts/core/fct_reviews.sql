{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='review_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_now_quarantined('review_id', ref('stg_shop__reviews_rejected')) }}"
    )
}}
{#- One row per clean review, with the customer (through the order) and the product's category: what the
    average-rating metric reads. Incremental like fct_order_items: reviews a load has touched (the review,
    its order or its product) replace their rows; reviews a newer version quarantined are deleted. -#}
-- read only by the post-hook:
-- depends_on: {{ ref('stg_shop__reviews_rejected') }}
with

{% if is_incremental() %}
watermark as (
    select {{ last_built_loaded_at('source_loaded_at') }} as loaded_at
),
{% endif %}

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
    {% if is_incremental() %}
        where
            _loaded_at > (select watermark.loaded_at from watermark)
            or _parents_loaded_at > (select watermark.loaded_at from watermark)
            or order_id in ({{ keys_loaded_since_watermark('stg_shop__orders', 'order_id') }})
            or product_id in ({{ keys_loaded_since_watermark('stg_shop__products', 'product_id') }})
    {% endif %}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

joined as (
    select
        reviews.*,
        orders.customer_id,
        products.category,
        greatest(
            reviews._loaded_at,
            coalesce(reviews._parents_loaded_at, reviews._loaded_at),
            orders._loaded_at,
            products._loaded_at
        ) as source_loaded_at
    from reviews
    inner join orders on reviews.order_id = orders.order_id
    inner join products on reviews.product_id = products.product_id
),

final as (
    select
        review_id,
        order_id,
        customer_id,
        product_id,
        cast(category as {{ type_text(64) }}) as category,
        rating,
        cast(review_title as {{ type_text(200) }}) as review_title,
        review_comment is not null as has_comment,
        cast(created_at as date) as review_date,
        created_at,
        source_loaded_at
    from joined
)

select * from final
