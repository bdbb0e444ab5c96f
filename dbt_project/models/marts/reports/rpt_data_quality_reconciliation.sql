{#- Where every row the source sent went, per table: raw = clean + quarantined + exact duplicates +
    superseded versions; plus the rows the loader rejected before the raw tables. -#}
with

raw_rows as (
    select * from {{ ref('int_raw_rows_classified') }}
),

loader_rejected_rows as (
    select * from {{ ref('stg_loader__rejected_rows') }}
),

clean_rows as (
    select
        'customers' as table_name,
        count(*) as clean_rows
    from {{ ref('stg_shop__customers') }}
    union all
    select
        'products' as table_name,
        count(*) as clean_rows
    from {{ ref('stg_shop__products') }}
    union all
    select
        'orders' as table_name,
        count(*) as clean_rows
    from {{ ref('stg_shop__orders') }}
    union all
    select
        'order_items' as table_name,
        count(*) as clean_rows
    from {{ ref('stg_shop__order_items') }}
    union all
    select
        'reviews' as table_name,
        count(*) as clean_rows
    from {{ ref('stg_shop__reviews') }}
),

classified as (
    select
        table_name,
        count(*) as raw_rows,
        sum(case when row_status = 'kept' and rejection_rule is not null then 1 else 0 end) as quarantined_rows,
        sum(case when row_status = 'duplicate_row' then 1 else 0 end) as duplicate_rows,
        sum(case when row_status = 'superseded_version' then 1 else 0 end) as superseded_rows
    from raw_rows
    group by table_name
),

loader_counted as (
    select
        table_name,
        count(*) as loader_rejected_rows
    from loader_rejected_rows
    group by table_name
),

final as (
    select
        cast(clean_rows.table_name as {{ type_text(32) }}) as table_name,
        cast(coalesce(loader_counted.loader_rejected_rows, 0) + coalesce(classified.raw_rows, 0) as bigint)
            as source_rows,
        cast(coalesce(loader_counted.loader_rejected_rows, 0) as bigint) as loader_rejected_rows,
        cast(coalesce(classified.raw_rows, 0) as bigint) as raw_rows,
        cast(clean_rows.clean_rows as bigint) as clean_rows,
        cast(coalesce(classified.quarantined_rows, 0) as bigint) as quarantined_rows,
        cast(coalesce(classified.duplicate_rows, 0) as bigint) as duplicate_rows,
        cast(coalesce(classified.superseded_rows, 0) as bigint) as superseded_rows,
        coalesce(classified.raw_rows, 0) = clean_rows.clean_rows
        + coalesce(classified.quarantined_rows, 0)
        + coalesce(classified.duplicate_rows, 0)
        + coalesce(classified.superseded_rows, 0) as is_reconciled
    from clean_rows
    left join classified on clean_rows.table_name = classified.table_name
    left join loader_counted on clean_rows.table_name = loader_counted.table_name
)

select * from final
