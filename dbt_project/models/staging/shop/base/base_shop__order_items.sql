{#- Every raw order line, cleaned, with its row status and the rule it breaks, if any. Lines that break a
    rule are quarantined (stg_shop__order_items_rejected), not dropped: a reference to an order or
    product never received, or a quantity outside the contract's bounds. -#}
with

source as (
    select * from {{ source('shop', 'order_items') }}
),

classified as (
    {{ select_with_row_status('source', 'order_item_id', 'created_at') }}
),

order_keys as (
    select distinct order_id from {{ ref('base_shop__orders') }}
),

product_keys as (
    select distinct product_id from {{ ref('base_shop__products') }}
),

checked as (
    select
        classified.*,
        case
            when order_keys.order_id is null then 'orphan_foreign_key'
            when product_keys.product_id is null then 'orphan_foreign_key'
            when {{ is_out_of_contract_range('order_items', 'quantity', 'classified.quantity') }}
                then 'out_of_range_value'
        end as rejection_rule,
        case
            when order_keys.order_id is null then 'order_id'
            when product_keys.product_id is null then 'product_id'
            when {{ is_out_of_contract_range('order_items', 'quantity', 'classified.quantity') }}
                then 'quantity'
        end as rejected_column
    from classified
    left join order_keys on classified.order_id = order_keys.order_id
    left join product_keys on classified.product_id = product_keys.product_id
),

renamed as (
    select
        ---------- ids
        cast(order_item_id as bigint) as order_item_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,

        ---------- numerics
        cast(line_number as integer) as line_number,
        cast(quantity as integer) as quantity,
        cast(unit_price as {{ type_money() }}) as unit_price,
        cast(discount_amount as {{ type_money() }}) as discount_amount,
        cast(unit_cost as {{ type_money() }}) as unit_cost,

        ---------- timestamps
        cast(created_at as timestamp) as created_at,

        ---------- quarantine
        rejection_rule,
        rejected_column,

        ---------- load metadata
        row_status,
        copy_number,
        version_number,
        _load_id,
        cast(_loaded_at as timestamp) as _loaded_at

    from checked
)

select * from renamed
