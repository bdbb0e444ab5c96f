{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='order_id',
        on_schema_change='append_new_columns'
    )
}}
{#- One row per order: the customer as they were at the order (age and both age groups at the order
    date), totals of its clean lines, every status timestamp, delivery days and lateness.
    Incremental: each build merges the orders touched by a load since the last build (a new or updated
    order, a late line, or a change of its customer), so a full refresh gives the same table. -#}
with

orders as (
    select * from {{ ref('int_orders_summarised') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

{% if is_incremental() %}
watermark as (
    select max(source_loaded_at) as source_loaded_at from {{ this }}
),
{% endif %}

joined as (
    select
        orders.*,
        customers.gender as customer_gender,
        customers.country_code as customer_country_code,
        customers.acquisition_channel as customer_acquisition_channel,
        {{ age_in_years('customers.birth_date', 'cast(orders.ordered_at as date)') }} as customer_age_years,
        greatest(orders.last_loaded_at, coalesce(customers._loaded_at, orders.last_loaded_at)) as source_loaded_at
    from orders
    left join customers on orders.customer_id = customers.customer_id
),

changed as (
    select * from joined
    {% if is_incremental() %}
        where source_loaded_at > (select watermark.source_loaded_at from watermark)
    {% endif %}
),

final as (
    select
        ---------- ids
        changed.order_id,
        changed.customer_id,

        ---------- customer at the order
        cast(changed.customer_gender as {{ type_text(16) }}) as customer_gender,
        cast(changed.customer_country_code as {{ type_text(2) }}) as customer_country_code,
        cast(changed.customer_acquisition_channel as {{ type_text(32) }}) as customer_acquisition_channel,
        changed.customer_age_years,
        cast(marketing_age_groups.age_group as {{ type_text(16) }}) as customer_age_group,
        cast(decade_age_groups.age_group as {{ type_text(16) }}) as customer_age_decade,

        ---------- status
        cast(changed.status as {{ type_text(16) }}) as status,
        cast(changed.payment_method as {{ type_text(16) }}) as payment_method,

        ---------- totals
        changed.line_count,
        changed.unit_count,
        changed.gross_revenue,
        changed.discount_amount,
        changed.revenue,
        changed.shipping_cost,
        cast(changed.revenue + changed.shipping_cost as {{ type_money() }}) as order_total,
        changed.cost_of_goods,
        changed.margin,

        ---------- dates and timestamps
        cast(changed.ordered_at as date) as order_date,
        changed.promised_delivery_date,
        changed.ordered_at,
        changed.paid_at,
        changed.shipped_at,
        changed.delivered_at,
        changed.canceled_at,
        changed.returned_at,
        changed.updated_at,

        ---------- delivery
        cast(
            {{ dbt.datediff('cast(changed.ordered_at as date)', 'cast(changed.delivered_at as date)', 'day') }}
            as integer
        ) as delivery_days,
        coalesce(cast(changed.delivered_at as date) > changed.promised_delivery_date, false) as is_late,
        changed.delivered_at is not null as is_delivered,

        ---------- lineage
        changed.last_loaded_at,
        changed.source_loaded_at
    from changed
    {{ join_age_groups('changed.customer_age_years') }}
)

select * from final
