{#- Monthly cohorts (customers by the month of their first order) and the share of each cohort that
    ordered again 0, 1, 2 ... months later. -#}
with

orders as (
    select * from {{ ref('fct_orders') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

activity as (
    select distinct
        customers.customer_id,
        customers.cohort_month,
        cast({{ dbt.date_trunc('month', 'orders.ordered_at') }} as date) as order_month
    from orders
    inner join customers on orders.customer_id = customers.customer_id
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_size
    from customers
    where cohort_month is not null
    group by cohort_month
),

active as (
    select
        cohort_month,
        order_month,
        count(*) as active_customers
    from activity
    group by cohort_month, order_month
),

final as (
    select
        active.cohort_month,
        active.order_month,
        -- dbt.datediff renders as one long line on some engines
        cast({{ dbt.datediff('active.cohort_month', 'active.order_month', 'month') }} as integer) -- noqa: LT05
            as months_since_first_order,
        cast(cohort_sizes.cohort_size as bigint) as cohort_size,
        cast(active.active_customers as bigint) as active_customers,
        cast(
            {{ safe_divide('active.active_customers', 'cohort_sizes.cohort_size') }} as {{ type_ratio() }}
        ) as retention_rate
    from active
    inner join cohort_sizes on active.cohort_month = cohort_sizes.cohort_month
)

select * from final
