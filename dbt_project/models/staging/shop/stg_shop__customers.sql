{#- The shop's customers as the warehouse serves them: one row per key, the newest version, clean. -#}
with

cleaned as (
    select * from {{ ref('base_shop__customers') }}
),

kept as (
    select
        customer_id,
        email,
        first_name,
        last_name,
        gender,
        birth_date,
        city,
        state,
        country_code,
        acquisition_channel,
        created_at,
        updated_at,
        is_email_missing,
        is_email_invalid,
        _load_id,
        _loaded_at
    from cleaned
    where row_status = 'kept'
)

select * from kept
