{#- One row per day from 2020-01-01 for 10,000 days (to 2047): the calendar MetricFlow joins metrics to.
    Built from digits rather than generate_series, which Redshift runs on the leader node only. -#}
with

digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

day_numbers as (
    select thousands.digit * 1000 + hundreds.digit * 100 + tens.digit * 10 + ones.digit as day_number
    from digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones
),

final as (
    select
        cast({{ dbt.dateadd('day', 'day_number', "cast('2020-01-01' as date)") }} as date) as date_day
    from day_numbers
)

select * from final
