{#- One row per customer: profile, age and age groups at the as-of date, ordering history, RFM score and
    segment, and the cohort (month of the first order). Customers without an order have no RFM score. -#}
with

customers as (
    select * from {{ ref('int_customers_aged') }}
),

customer_orders as (
    select * from {{ ref('int_customer_orders_summarised') }}
),

rfm as (
    select * from {{ ref('int_customers_rfm_scored') }}
),

final as (
    select
        ---------- ids
        customers.customer_id,

        ---------- profile
        cast(customers.email as {{ type_text(254) }}) as email,
        cast(customers.first_name as {{ type_text(100) }}) as first_name,
        cast(customers.last_name as {{ type_text(100) }}) as last_name,
        cast(customers.gender as {{ type_text(16) }}) as gender,
        customers.birth_date,
        customers.age_years,
        cast(customers.marketing_age_group as {{ type_text(16) }}) as age_group,
        cast(customers.decade_age_group as {{ type_text(16) }}) as age_decade,
        cast(customers.city as {{ type_text(100) }}) as city,
        cast(customers.state as {{ type_text(64) }}) as state,
        cast(customers.country_code as {{ type_text(2) }}) as country_code,
        cast(customers.acquisition_channel as {{ type_text(32) }}) as acquisition_channel,
        customers.is_email_missing,
        customers.is_email_invalid,

        ---------- ordering history
        customer_orders.first_ordered_at,
        customer_orders.last_ordered_at,
        cast(coalesce(customer_orders.order_count, 0) as integer) as order_count,
        cast(coalesce(customer_orders.lifetime_revenue, 0) as {{ type_money() }}) as lifetime_revenue,
        cast({{ dbt.date_trunc('month', 'customer_orders.first_ordered_at') }} as date) as cohort_month,
        coalesce(customer_orders.order_count > 0, false) as has_ordered,

        ---------- rfm
        cast(rfm.recency_days as integer) as recency_days,
        rfm.recency_score,
        rfm.frequency_score,
        rfm.monetary_score,
        cast(rfm.rfm_score as integer) as rfm_score,
        cast(coalesce(rfm.rfm_segment, 'no_orders') as {{ type_text(32) }}) as rfm_segment,

        ---------- timestamps
        customers.created_at,
        customers.updated_at
    from customers
    left join customer_orders on customers.customer_id = customer_orders.customer_id
    left join rfm on customers.customer_id = rfm.customer_id
)

select * from final
