{{ config(unique_key='customer_id') }}
{#- Every raw customer row, cleaned, with its row status and the issues found in it.
    Incremental like base_shop__orders: every row of the customers a new load touched is classified again. -#}
with

source as (
    select * from {{ source('shop', 'customers') }}
    {% if is_incremental() %}
        where customer_id in (
            select new_rows.customer_id from {{ source('shop', 'customers') }} as new_rows
            where {{ loaded_since_last_build('new_rows._loaded_at') }}
        )
    {% endif %}
),

classified as (
    {{ select_with_row_status('source', 'customer_id', 'updated_at') }}
),

trimmed as (
    select
        *,
        nullif(lower(trim(email)), '') as email_cleaned
    from classified
),

renamed as (
    select
        ---------- ids
        cast(customer_id as bigint) as customer_id,

        ---------- strings
        case when {{ is_valid_email('email_cleaned') }} then email_cleaned end as email,
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        lower(trim(gender)) as gender,
        nullif(trim(city), '') as city,
        nullif(trim(state), '') as state,
        upper(trim(country_code)) as country_code,
        lower(trim(acquisition_channel)) as acquisition_channel,

        ---------- dates
        cast(birth_date as date) as birth_date,

        ---------- timestamps
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,

        ---------- issues found (flagged: the row is kept)
        email_cleaned is null as is_email_missing,
        coalesce(email_cleaned is not null and not {{ is_valid_email('email_cleaned') }}, false) as is_email_invalid,
        birth_date is null or nullif(trim(city), '') is null as has_missing_value,

        ---------- repairs made
        (
            first_name <> trim(first_name)
            or last_name <> trim(last_name)
            or coalesce(city <> trim(city), false)
        ) as has_whitespace_noise,
        coalesce(trim(email) <> lower(trim(email)), false) as has_case_noise,

        ---------- load metadata
        row_status,
        copy_number,
        version_number,
        _load_id,
        cast(_loaded_at as timestamp) as _loaded_at

    from trimmed
)

select * from renamed
