{#- Each customer's ordering history: first and last order, order count and lifetime revenue. -#}
with

orders as (
    select * from {{ ref('int_orders_summarised') }}
),

summarised as (
    select
        customer_id,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at,
        count(*) as order_count,
        sum(revenue) as lifetime_revenue
    from orders
    group by customer_id
)

select * from summarised
