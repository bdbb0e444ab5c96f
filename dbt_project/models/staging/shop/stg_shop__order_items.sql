{#- The shop's order items as the warehouse serves them: one row per key, the newest version, clean. -#}
with

cleaned as (
    select * from {{ ref('base_shop__order_items') }}
),

kept as (
    select
        order_item_id,
        order_id,
        product_id,
        line_number,
        quantity,
        unit_price,
        discount_amount,
        unit_cost,
        created_at,
        _load_id,
        _loaded_at,
        _parents_loaded_at
    from cleaned
    where
        row_status = 'kept'
        and rejection_rule is null
)

select * from kept
