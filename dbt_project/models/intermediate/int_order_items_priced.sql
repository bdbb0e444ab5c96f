{#- Each clean order line priced: gross revenue, discount, revenue (net of discount), cost and margin. -#}
with

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

priced as (
    select
        order_item_id,
        order_id,
        product_id,
        line_number,
        quantity,
        unit_price,
        unit_cost,
        cast(quantity * unit_price as {{ type_money() }}) as gross_revenue,
        discount_amount,
        cast(quantity * unit_price - discount_amount as {{ type_money() }}) as revenue,
        cast(quantity * unit_cost as {{ type_money() }}) as cost_of_goods,
        cast(quantity * unit_price - discount_amount - quantity * unit_cost as {{ type_money() }}) as margin,
        created_at,
        _loaded_at,
        _parents_loaded_at
    from order_items
)

select * from priced
