{#- Rows the loader could not cast to the contract's types: they never reached the raw tables, and the
    data-quality report counts them with the rows staging quarantined. -#}
with

source as (
    select * from {{ source('loader', 'loader_rejected_rows') }}
),

renamed as (
    select
        ---------- ids
        load_id,
        lower(table_name) as table_name,
        file as file_path,
        cast(line as bigint) as line_number,

        ---------- strings
        column_name,
        raw_value,
        reason
    from source
)

select * from renamed
