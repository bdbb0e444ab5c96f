{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_date',
        on_schema_change='append_new_columns',
        post_hook=["{{ delete_days_without_sales() }}", "{{ stamp_report_watermark() }}"]
    )
}}
{#- Sales per day, product category and the customer's age group at the order (marketing bands and
    decades; 'unknown' without a birth date). Sums of clean order lines.
    Incremental by day: a build computes again the days whose figures a load can have changed, and
    replaces their rows (delete+insert on order_date). Order status and price updates, most of what a
    load brings, change none of these figures, so a day is recomputed only when one of its lines was
    added, changed, quarantined or released, or when an order, product or customer changed a value the
    figures group by (order date, customer, category, birth date). Those are found among all their
    versions, which only the base models keep. -#}
-- read only by the incremental branch:
-- depends_on: {{ ref('base_shop__order_items') }}
-- depends_on: {{ ref('base_shop__orders') }}
-- depends_on: {{ ref('base_shop__products') }}
-- depends_on: {{ ref('base_shop__customers') }}
with

{% if is_incremental() %}
watermark as (
    select {{ last_built_loaded_at('source_loaded_at') }} as loaded_at
),

touched_lines as (
    select line_versions.order_item_id from {{ ref('base_shop__order_items') }} as line_versions
    where
        line_versions._loaded_at > (select watermark.loaded_at from watermark)
        or line_versions._parents_loaded_at > (select watermark.loaded_at from watermark)
),

-- a value the figures group by differs between two versions of a key loaded since the last build
regrouped_orders as (
    select order_versions.order_id from {{ ref('base_shop__orders') }} as order_versions
    where order_versions.order_id in (
        select new_versions.order_id from {{ ref('base_shop__orders') }} as new_versions
        where new_versions._loaded_at > (select watermark.loaded_at from watermark)
    )
    group by order_versions.order_id
    having
        count(distinct cast(order_versions.ordered_at as date)) > 1
        or count(distinct order_versions.customer_id) > 1
),

recategorised_products as (
    select product_versions.product_id from {{ ref('base_shop__products') }} as product_versions
    where product_versions.product_id in (
        select new_versions.product_id from {{ ref('base_shop__products') }} as new_versions
        where new_versions._loaded_at > (select watermark.loaded_at from watermark)
    )
    group by product_versions.product_id
    having count(distinct product_versions.category) > 1
),

reaged_customers as (
    select customer_versions.customer_id from {{ ref('base_shop__customers') }} as customer_versions
    where customer_versions.customer_id in (
        select new_versions.customer_id from {{ ref('base_shop__customers') }} as new_versions
        where new_versions._loaded_at > (select watermark.loaded_at from watermark)
    )
    group by customer_versions.customer_id
    having
        count(distinct customer_versions.birth_date) > 1
        or count(customer_versions.birth_date) not in (0, count(*))
),

touched_orders as (
    select line_versions.order_id from {{ ref('base_shop__order_items') }} as line_versions
    where line_versions.order_item_id in (select touched_lines.order_item_id from touched_lines)
    union
    select regrouped_orders.order_id from regrouped_orders
    union
    select clean_lines.order_id from {{ ref('fct_order_items') }} as clean_lines
    where
        clean_lines.product_id in (select recategorised_products.product_id from recategorised_products)
        or clean_lines.customer_id in (select reaged_customers.customer_id from reaged_customers)
),

-- every date any version of those orders was placed on: the old day loses what the new one gains
touched_days as (
    select distinct cast(order_versions.ordered_at as date) as order_date
    from {{ ref('base_shop__orders') }} as order_versions
    where order_versions.order_id in (select touched_orders.order_id from touched_orders)
),
{% endif %}

order_items as (
    select * from {{ ref('fct_order_items') }}
    {% if is_incremental() %}
        where order_date in (select touched_days.order_date from touched_days)
    {% endif %}
),

final as (
    select
        order_date,
        category,
        cast(coalesce(customer_age_group, 'unknown') as {{ type_text(16) }}) as age_group,
        cast(coalesce(customer_age_decade, 'unknown') as {{ type_text(16) }}) as age_decade,
        cast(count(distinct order_id) as bigint) as order_count,
        cast(count(distinct customer_id) as bigint) as customer_count,
        cast(count(*) as bigint) as line_count,
        cast(sum(quantity) as bigint) as units_sold,
        cast(sum(revenue) as {{ type_money() }}) as revenue,
        cast(sum(discount_amount) as {{ type_money() }}) as discount_amount,
        cast(sum(margin) as {{ type_money() }}) as margin,
        (select max(clean_lines.source_loaded_at) from {{ ref('fct_order_items') }} as clean_lines) as source_loaded_at
    from order_items
    group by 1, 2, 3, 4
)

select * from final
