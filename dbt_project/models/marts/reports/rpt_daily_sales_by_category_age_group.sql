{#- Sales per day, product category and the customer's age group at the order (marketing bands and
    decades; 'unknown' without a birth date). Sums of clean order lines. -#}
with

order_items as (
    select * from {{ ref('fct_order_items') }}
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
        cast(sum(margin) as {{ type_money() }}) as margin
    from order_items
    group by 1, 2, 3, 4
)

select * from final
