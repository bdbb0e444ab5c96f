{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='order_item_id',
        on_schema_change='append_new_columns'
    )
}}
{#- One row per clean order line with its order, customer and product: the wide table BI tools read.
    Incremental like fct_orders: lines touched by a load since the last build (the line, its order, its
    customer or its product) are merged again, so a full refresh gives the same table. -#}
with

order_items as (
    select * from {{ ref('int_order_items_priced') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

{% if is_incremental() %}
watermark as (
    select max(source_loaded_at) as source_loaded_at from {{ this }}
),
{% endif %}

joined as (
    select
        order_items.*,
        orders.customer_id,
        orders.status as order_status,
        orders.payment_method,
        orders.ordered_at,
        customers.gender as customer_gender,
        customers.country_code as customer_country_code,
        customers.acquisition_channel as customer_acquisition_channel,
        {{ age_in_years('customers.birth_date', 'cast(orders.ordered_at as date)') }} as customer_age_years,
        products.sku,
        products.product_name,
        products.category,
        products.brand,
        greatest(
            order_items._loaded_at,
            orders._loaded_at,
            products._loaded_at,
            coalesce(customers._loaded_at, orders._loaded_at)
        ) as source_loaded_at
    from order_items
    inner join orders on order_items.order_id = orders.order_id
    inner join products on order_items.product_id = products.product_id
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
        changed.order_item_id,
        changed.order_id,
        changed.customer_id,
        changed.product_id,
        changed.line_number,

        ---------- order
        cast(changed.order_status as {{ type_text(16) }}) as order_status,
        cast(changed.payment_method as {{ type_text(16) }}) as payment_method,
        cast(changed.ordered_at as date) as order_date,
        changed.ordered_at,

        ---------- customer at the order
        cast(changed.customer_gender as {{ type_text(16) }}) as customer_gender,
        cast(changed.customer_country_code as {{ type_text(2) }}) as customer_country_code,
        cast(changed.customer_acquisition_channel as {{ type_text(32) }}) as customer_acquisition_channel,
        changed.customer_age_years,
        cast(marketing_age_groups.age_group as {{ type_text(16) }}) as customer_age_group,
        cast(decade_age_groups.age_group as {{ type_text(16) }}) as customer_age_decade,

        ---------- product
        cast(changed.sku as {{ type_text(32) }}) as sku,
        cast(changed.product_name as {{ type_text(200) }}) as product_name,
        cast(changed.category as {{ type_text(64) }}) as category,
        cast(changed.brand as {{ type_text(100) }}) as brand,

        ---------- amounts
        changed.quantity,
        changed.unit_price,
        changed.unit_cost,
        changed.gross_revenue,
        changed.discount_amount,
        changed.revenue,
        changed.cost_of_goods,
        changed.margin,

        ---------- lineage
        changed.created_at,
        changed.source_loaded_at
    from changed
    {{ join_age_groups('changed.customer_age_years') }}
)

select * from final
