{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_item_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_now_quarantined('order_item_id', ref('stg_shop__order_items_rejected')) }}"
    )
}}
{#- One row per clean order line with its order, customer and product: the wide table BI tools read.
    Incremental like fct_orders: the lines a load has touched since the last build (the line, its order,
    its customer or its product) are computed again and replace their rows (delete+insert on
    order_item_id); lines a newer version quarantined are deleted after. A full refresh gives the same table. -#}
-- read only by the post-hook:
-- depends_on: {{ ref('stg_shop__order_items_rejected') }}
with

{% if is_incremental() %}
watermark as (
    select {{ last_built_loaded_at('source_loaded_at') }} as loaded_at
),

changed_orders as (
    {{ orders_or_customers_changed() }}
),

changed_products as (
    {{ keys_loaded_since_watermark('stg_shop__products', 'product_id') }}
),
{% endif %}

order_items as (
    select * from {{ ref('int_order_items_priced') }}
    {% if is_incremental() %}
        where
            _loaded_at > (select watermark.loaded_at from watermark)
            or _parents_loaded_at > (select watermark.loaded_at from watermark)
            or order_id in (select changed_orders.order_id from changed_orders)
            or product_id in (select changed_products.product_id from changed_products)
    {% endif %}
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
            coalesce(order_items._parents_loaded_at, order_items._loaded_at),
            orders._loaded_at,
            products._loaded_at,
            coalesce(customers._loaded_at, orders._loaded_at)
        ) as source_loaded_at
    from order_items
    inner join orders on order_items.order_id = orders.order_id
    inner join products on order_items.product_id = products.product_id
    left join customers on orders.customer_id = customers.customer_id
),

final as (
    select
        ---------- ids
        joined.order_item_id,
        joined.order_id,
        joined.customer_id,
        joined.product_id,
        joined.line_number,

        ---------- order
        cast(joined.order_status as {{ type_text(16) }}) as order_status,
        cast(joined.payment_method as {{ type_text(16) }}) as payment_method,
        cast(joined.ordered_at as date) as order_date,
        joined.ordered_at,

        ---------- customer at the order
        cast(joined.customer_gender as {{ type_text(16) }}) as customer_gender,
        cast(joined.customer_country_code as {{ type_text(2) }}) as customer_country_code,
        cast(joined.customer_acquisition_channel as {{ type_text(32) }}) as customer_acquisition_channel,
        joined.customer_age_years,
        cast(marketing_age_groups.age_group as {{ type_text(16) }}) as customer_age_group,
        cast(decade_age_groups.age_group as {{ type_text(16) }}) as customer_age_decade,

        ---------- product
        cast(joined.sku as {{ type_text(32) }}) as sku,
        cast(joined.product_name as {{ type_text(200) }}) as product_name,
        cast(joined.category as {{ type_text(64) }}) as category,
        cast(joined.brand as {{ type_text(100) }}) as brand,

        ---------- amounts
        joined.quantity,
        joined.unit_price,
        joined.unit_cost,
        joined.gross_revenue,
        joined.discount_amount,
        joined.revenue,
        joined.cost_of_goods,
        joined.margin,

        ---------- lineage
        joined.created_at,
        joined.source_loaded_at
    from joined
    {{ join_age_groups('joined.customer_age_years') }}
)

select * from final
