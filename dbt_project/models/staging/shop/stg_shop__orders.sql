{#- The shop's orders as the warehouse serves them: one row per key, the newest version, clean. -#}
with

cleaned as (
    select * from {{ ref('base_shop__orders') }}
),

kept as (
    select
        order_id,
        customer_id,
        status,
        payment_method,
        shipping_cost,
        promised_delivery_date,
        ordered_at,
        paid_at,
        shipped_at,
        delivered_at,
        canceled_at,
        returned_at,
        updated_at,
        _load_id,
        _loaded_at
    from cleaned
    where row_status = 'kept'
)

select * from kept
