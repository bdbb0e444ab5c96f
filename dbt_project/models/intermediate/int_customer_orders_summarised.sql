{#- Each customer's ordering history: first and last order, order count and lifetime revenue. Read from the
    orders fact, where each order's totals are already summed (and kept up to date incrementally). -#}
with

orders as (
    select * from {{ ref('fct_orders') }}
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
