{{ config(unique_key='order_item_id') }}
{#- Every raw order line, cleaned, with its row status and the rule it breaks, if any. Lines that break a
    rule are quarantined (stg_shop__order_items_rejected), not dropped: a reference to an order or
    product never received, or a quantity outside the contract's bounds.
    Incremental like base_shop__orders, and a build also checks again the lines held back for an order
    or product that has arrived since. `_parents_loaded_at` is when the last of the two first arrived:
    a line held back becomes clean then, which is what the facts watch. -#}
with

source as (
    select * from {{ source('shop', 'order_items') }}
    {% if is_incremental() %}
        where order_item_id in ({{ keys_to_reclassify('order_items', 'order_item_id') }})
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'order_item_id', 'created_at') }}
),

order_keys as (
    {{ first_arrivals('base_shop__orders', 'order_id') }}
),

product_keys as (
    {{ first_arrivals('base_shop__products', 'product_id') }}
),

checked as (
    {{ select_checked_against_parents('order_items', 'quantity') }}
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
        cast(_loaded_at as timestamp) as _loaded_at,
        cast(parents_loaded_at as timestamp) as _parents_loaded_at

    from checked
)

select * from renamed
