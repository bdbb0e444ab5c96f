{#- One row per product: catalogue attributes, units sold and revenue over clean lines, and ratings.
    Sales and ratings are read from the facts, which the incremental builds keep up to date. -#}
with

products as (
    select * from {{ ref('stg_shop__products') }}
),

order_items as (
    select * from {{ ref('fct_order_items') }}
),

reviews as (
    select * from {{ ref('fct_reviews') }}
),

sales as (
    select
        product_id,
        sum(quantity) as units_sold,
        sum(revenue) as revenue,
        count(distinct order_id) as order_count
    from order_items
    group by product_id
),

ratings as (
    select
        product_id,
        count(*) as review_count,
        avg(cast(rating as {{ type_ratio() }})) as average_rating
    from reviews
    group by product_id
),

final as (
    select
        ---------- ids
        products.product_id,

        ---------- attributes
        cast(products.sku as {{ type_text(32) }}) as sku,
        cast(products.product_name as {{ type_text(200) }}) as product_name,
        cast(products.category as {{ type_text(64) }}) as category,
        cast(products.brand as {{ type_text(100) }}) as brand,
        products.list_price,
        products.unit_cost,
        products.weight_grams,

        ---------- sales
        cast(coalesce(sales.units_sold, 0) as bigint) as units_sold,
        cast(coalesce(sales.revenue, 0) as {{ type_money() }}) as revenue,
        cast(coalesce(sales.order_count, 0) as bigint) as order_count,

        ---------- ratings
        cast(ratings.average_rating as {{ type_ratio() }}) as average_rating,
        cast(coalesce(ratings.review_count, 0) as bigint) as review_count,

        ---------- timestamps
        products.created_at,
        products.updated_at
    from products
    left join sales on products.product_id = sales.product_id
    left join ratings on products.product_id = ratings.product_id
)

select * from final
