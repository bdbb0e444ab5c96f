{{ config(unique_key='order_id') }}
{#- Every raw order row (one per status change), cleaned, with its row status.
    Incremental: a build classifies again every row of the orders a new load touched (delete+insert on
    order_id), so a newer version or a re-send changes the status of the rows received before it. -#}
with

source as (
    select * from {{ source('shop', 'orders') }}
    {% if is_incremental() %}
        where order_id in (
            select new_rows.order_id from {{ source('shop', 'orders') }} as new_rows
            where {{ loaded_since_last_build('new_rows._loaded_at') }}
        )
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'order_id', 'updated_at') }}
),

renamed as (
    select
        ---------- ids
        cast(order_id as bigint) as order_id,
        cast(customer_id as bigint) as customer_id,

        ---------- strings
        lower(trim(status)) as status,
        lower(trim(payment_method)) as payment_method,

        ---------- numerics
        cast(shipping_cost as {{ type_money() }}) as shipping_cost,

        ---------- dates
        cast(promised_delivery_date as date) as promised_delivery_date,

        ---------- timestamps
        cast(ordered_at as timestamp) as ordered_at,
        cast(paid_at as timestamp) as paid_at,
        cast(shipped_at as timestamp) as shipped_at,
        cast(delivered_at as timestamp) as delivered_at,
        cast(canceled_at as timestamp) as canceled_at,
        cast(returned_at as timestamp) as returned_at,
        cast(updated_at as timestamp) as updated_at,

        ---------- repairs made
        (
            trim(status) <> lower(trim(status))
            or trim(payment_method) <> lower(trim(payment_method))
        ) as has_case_noise,

        ---------- load metadata
        row_status,
        copy_number,
        version_number,
        _load_id,
        cast(_loaded_at as timestamp) as _loaded_at

    from classified
)

select * from renamed
