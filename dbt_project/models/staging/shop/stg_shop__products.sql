{#- The shop's products as the warehouse serves them: one row per key, the newest version, clean. -#}
with

cleaned as (
    select * from {{ ref('base_shop__products') }}
),

kept as (
    select
        product_id,
        sku,
        product_name,
        category,
        brand,
        list_price,
        unit_cost,
        weight_grams,
        created_at,
        updated_at,
        _load_id,
        _loaded_at
    from cleaned
    where row_status = 'kept'
)

select * from kept
