{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='append_new_columns'
    )
}}
{#- One row per order: the customer as they were at the order (age and both age groups at the order
    date), totals of its clean lines, every status timestamp, delivery days and lateness.
    Incremental: a build computes again only the orders a load has touched since the last one (a new
    version, a line added, changed, quarantined or released from quarantine, or a change of the
    customer) and replaces their rows (delete+insert on order_id), so a full refresh gives the same table. -#}
-- read only by the incremental branch:
-- depends_on: {{ ref('stg_shop__order_items') }}
-- depends_on: {{ ref('stg_shop__order_items_rejected') }}
with

{% if is_incremental() %}
watermark as (
    select {{ last_built_loaded_at('source_loaded_at') }} as loaded_at
),

changed_orders as (
    {{ orders_or_customers_changed() }}
    union
    select order_items.order_id from {{ ref('stg_shop__order_items') }} as order_items
    where
        order_items._loaded_at > (select watermark.loaded_at from watermark)
        or order_items._parents_loaded_at > (select watermark.loaded_at from watermark)
    union
    select rejected.order_id from {{ ref('stg_shop__order_items_rejected') }} as rejected
    where rejected._loaded_at > (select watermark.loaded_at from watermark)
),
{% endif %}

orders as (
    select * from {{ ref('stg_shop__orders') }}
    {% if is_incremental() %}
        where order_id in (select changed_orders.order_id from changed_orders)
    {% endif %}
),

order_items as (
    select * from {{ ref('int_order_items_priced') }}
    {% if is_incremental() %}
        where order_id in (select changed_orders.order_id from changed_orders)
    {% endif %}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
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
        max(greatest(_loaded_at, coalesce(_parents_loaded_at, _loaded_at))) as last_line_loaded_at
    from order_items
    group by order_id
),

joined as (
    select
        orders.*,
        cast(coalesce(order_totals.line_count, 0) as integer) as line_count,
        cast(coalesce(order_totals.unit_count, 0) as integer) as unit_count,
        cast(coalesce(order_totals.gross_revenue, 0) as {{ type_money() }}) as gross_revenue,
        cast(coalesce(order_totals.discount_amount, 0) as {{ type_money() }}) as discount_amount,
        cast(coalesce(order_totals.revenue, 0) as {{ type_money() }}) as revenue,
        cast(coalesce(order_totals.cost_of_goods, 0) as {{ type_money() }}) as cost_of_goods,
        cast(coalesce(order_totals.margin, 0) as {{ type_money() }}) as margin,
        greatest(orders._loaded_at, coalesce(order_totals.last_line_loaded_at, orders._loaded_at)) as last_loaded_at,
        customers.gender as customer_gender,
        customers.country_code as customer_country_code,
        customers.acquisition_channel as customer_acquisition_channel,
        customers._loaded_at as customer_loaded_at,
        {{ age_in_years('customers.birth_date', 'cast(orders.ordered_at as date)') }} as customer_age_years
    from orders
    left join order_totals on orders.order_id = order_totals.order_id
    left join customers on orders.customer_id = customers.customer_id
),

final as (
    select
        ---------- ids
        joined.order_id,
        joined.customer_id,

        ---------- customer at the order
        cast(joined.customer_gender as {{ type_text(16) }}) as customer_gender,
        cast(joined.customer_country_code as {{ type_text(2) }}) as customer_country_code,
        cast(joined.customer_acquisition_channel as {{ type_text(32) }}) as customer_acquisition_channel,
        joined.customer_age_years,
        cast(marketing_age_groups.age_group as {{ type_text(16) }}) as customer_age_group,
        cast(decade_age_groups.age_group as {{ type_text(16) }}) as customer_age_decade,

        ---------- status
        cast(joined.status as {{ type_text(16) }}) as status,
        cast(joined.payment_method as {{ type_text(16) }}) as payment_method,

        ---------- totals
        joined.line_count,
        joined.unit_count,
        joined.gross_revenue,
        joined.discount_amount,
        joined.revenue,
        joined.shipping_cost,
        cast(joined.revenue + joined.shipping_cost as {{ type_money() }}) as order_total,
        joined.cost_of_goods,
        joined.margin,

        ---------- dates and timestamps
        cast(joined.ordered_at as date) as order_date,
        joined.promised_delivery_date,
        joined.ordered_at,
        joined.paid_at,
        joined.shipped_at,
        joined.delivered_at,
        joined.canceled_at,
        joined.returned_at,
        joined.updated_at,

        ---------- delivery
        cast(
            {{ dbt.datediff('cast(joined.ordered_at as date)', 'cast(joined.delivered_at as date)', 'day') }}
            as integer
        ) as delivery_days,
        coalesce(cast(joined.delivered_at as date) > joined.promised_delivery_date, false) as is_late,
        joined.delivered_at is not null as is_delivered,

        ---------- lineage
        joined.last_loaded_at,
        greatest(joined.last_loaded_at, coalesce(joined.customer_loaded_at, joined.last_loaded_at)) as source_loaded_at
    from joined
    {{ join_age_groups('joined.customer_age_years') }}
)

select * from final
