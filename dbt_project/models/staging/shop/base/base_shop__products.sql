{{ config(unique_key='product_id') }}
{#- Every raw product row, cleaned, with its row status and the issues found in it.
    Incremental like base_shop__orders: every row of the products a new load touched is classified again. -#}
with

source as (
    select * from {{ source('shop', 'products') }}
    {% if is_incremental() %}
        where product_id in (
            select new_rows.product_id from {{ source('shop', 'products') }} as new_rows
            where {{ loaded_since_last_build('new_rows._loaded_at') }}
        )
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'product_id', 'updated_at') }}
),

renamed as (
    select
        ---------- ids
        cast(product_id as bigint) as product_id,

        ---------- strings
        upper(trim(sku)) as sku,
        trim(product_name) as product_name,
        lower(trim(category)) as category,
        trim(brand) as brand,

        ---------- numerics
        cast(list_price as {{ type_money() }}) as list_price,
        cast(unit_cost as {{ type_money() }}) as unit_cost,
        cast(weight_grams as integer) as weight_grams,

        ---------- timestamps
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,

        ---------- issues found (flagged: the row is kept)
        weight_grams is null as has_missing_value,

        ---------- repairs made
        (product_name <> trim(product_name) or brand <> trim(brand)) as has_whitespace_noise,
        trim(category) <> lower(trim(category)) as has_case_noise,

        ---------- load metadata
        row_status,
        copy_number,
        version_number,
        _load_id,
        cast(_loaded_at as timestamp) as _loaded_at

    from classified
)

select * from renamed
