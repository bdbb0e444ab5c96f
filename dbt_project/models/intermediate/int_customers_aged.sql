{#- Each customer's age in full years at the as-of date (var `as_of_date`, default: the last day in the
    data) and the age groups of both schemes in use. -#}
with

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

as_of as (
    select {{ as_of_date() }} as as_of_date
),

aged as (
    select
        customers.*,
        {{ age_in_years('customers.birth_date', 'as_of.as_of_date') }} as age_years
    from customers
    cross join as_of
),

grouped as (
    select
        aged.*,
        marketing_age_groups.age_group as marketing_age_group,
        decade_age_groups.age_group as decade_age_group
    from aged
    {{ join_age_groups('aged.age_years') }}
)

select * from grouped
