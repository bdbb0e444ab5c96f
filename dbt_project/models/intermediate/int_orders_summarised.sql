{#- Each order with the totals of its clean lines; `last_loaded_at` is the latest load that touched the
    order or any of its lines, which is what the incremental facts watch. -#}
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

order_items as (
    select * from {{ ref('int_order_items_priced') }}
),

order_totals as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity) as unit_count,
        sum(gross_revenue) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(revenue) as revenue,
        sum(cost_of_goods) as cost_of_goods,
        sum(margin) as margin,
        max(_loaded_at) as last_line_loaded_at
    from order_items
    group by order_id
),

summarised as (
    select
        orders.order_id,
        orders.customer_id,
        orders.status,
        orders.payment_method,
        orders.ordered_at,
        orders.paid_at,
        orders.shipped_at,
        orders.delivered_at,
        orders.canceled_at,
        orders.returned_at,
        orders.promised_delivery_date,
        orders.updated_at,
        cast(coalesce(order_totals.line_count, 0) as integer) as line_count,
        cast(coalesce(order_totals.unit_count, 0) as integer) as unit_count,
        cast(coalesce(order_totals.gross_revenue, 0) as {{ type_money() }}) as gross_revenue,
        cast(coalesce(order_totals.discount_amount, 0) as {{ type_money() }}) as discount_amount,
        cast(coalesce(order_totals.revenue, 0) as {{ type_money() }}) as revenue,
        cast(coalesce(order_totals.cost_of_goods, 0) as {{ type_money() }}) as cost_of_goods,
        cast(coalesce(order_totals.margin, 0) as {{ type_money() }}) as margin,
        orders.shipping_cost,
        greatest(orders._loaded_at, coalesce(order_totals.last_line_loaded_at, orders._loaded_at)) as last_loaded_at
    from orders
    left join order_totals on orders.order_id = order_totals.order_id
)

select * from summarised
