{#- How many raw rows carried each known defect, per table, and what the warehouse did with them (the
    contract's handling). Declared pairs with no such row show 0; late-arriving rows are accepted as
    they come and not counted (null). Rows the loader could not cast count as `rejected_by_loader`. -#}
with

checks as (
    select * from {{ ref('data_quality_checks') }}
),

raw_rows as (
    select * from {{ ref('int_raw_rows_classified') }}
),

loader_rejected_rows as (
    select * from {{ ref('stg_loader__rejected_rows') }}
),

counted as (
    select
        table_name,
        sum(case when row_status = 'duplicate_row' then 1 else 0 end) as duplicate_row,
        sum(case when row_status = 'superseded_version' then 1 else 0 end) as superseded_version,
        sum(case when row_status = 'kept' and rejection_rule = 'orphan_foreign_key' then 1 else 0 end)
            as orphan_foreign_key,
        sum(case when row_status = 'kept' and rejection_rule = 'out_of_range_value' then 1 else 0 end)
            as out_of_range_value,
        sum(case when row_status != 'duplicate_row' and is_email_invalid then 1 else 0 end) as invalid_email,
        sum(case when row_status != 'duplicate_row' and is_email_missing then 1 else 0 end) as missing_email,
        sum(case when row_status != 'duplicate_row' and has_missing_value then 1 else 0 end) as missing_value,
        sum(case when row_status != 'duplicate_row' and has_whitespace_noise then 1 else 0 end) as whitespace_noise,
        sum(case when row_status != 'duplicate_row' and has_case_noise then 1 else 0 end) as case_noise
    from raw_rows
    group by table_name
),

loader_counted as (
    select
        table_name,
        count(*) as rejected_by_loader
    from loader_rejected_rows
    group by table_name
),

final as (
    select
        cast(checks.table_name as {{ type_text(32) }}) as table_name,
        cast(checks.defect_kind as {{ type_text(32) }}) as defect_kind,
        cast(checks.handling as {{ type_text(16) }}) as handling,
        checks.is_contract_defect,
        cast(
            case checks.defect_kind
                when 'duplicate_row' then coalesce(counted.duplicate_row, 0)
                when 'superseded_version' then coalesce(counted.superseded_version, 0)
                when 'orphan_foreign_key' then coalesce(counted.orphan_foreign_key, 0)
                when 'out_of_range_value' then coalesce(counted.out_of_range_value, 0)
                when 'invalid_email' then coalesce(counted.invalid_email, 0)
                when 'missing_email' then coalesce(counted.missing_email, 0)
                when 'missing_value' then coalesce(counted.missing_value, 0)
                when 'whitespace_noise' then coalesce(counted.whitespace_noise, 0)
                when 'case_noise' then coalesce(counted.case_noise, 0)
                when 'rejected_by_loader' then coalesce(loader_counted.rejected_by_loader, 0)
            end
            as bigint
        ) as row_count
    from checks
    left join counted on checks.table_name = counted.table_name
    left join loader_counted on checks.table_name = loader_counted.table_name
)

select * from final
