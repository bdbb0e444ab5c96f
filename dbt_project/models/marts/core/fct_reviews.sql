{#- One row per clean review, with the customer (through the order) and the product's category: what the
    average-rating metric reads. -#}
with

reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

final as (
    select
        reviews.review_id,
        reviews.order_id,
        orders.customer_id,
        reviews.product_id,
        cast(products.category as {{ type_text(64) }}) as category,
        reviews.rating,
        cast(reviews.review_title as {{ type_text(200) }}) as review_title,
        reviews.review_comment is not null as has_comment,
        cast(reviews.created_at as date) as review_date,
        reviews.created_at
    from reviews
    inner join orders on reviews.order_id = orders.order_id
    inner join products on reviews.product_id = products.product_id
)

select * from final
