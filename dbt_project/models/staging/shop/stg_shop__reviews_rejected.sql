{#- reviews quarantined by a contract rule, with the rule, the column and the value that broke it. -#}
with

cleaned as (
    select * from {{ ref('base_shop__reviews') }}
),

rejected as (
    select
        *,
        case rejected_column
            when 'order_id' then cast(order_id as {{ type_text(32) }})
            when 'product_id' then cast(product_id as {{ type_text(32) }})
            when 'rating' then cast(rating as {{ type_text(32) }})
        end as rejected_value
    from cleaned
    where
        row_status = 'kept'
        and rejection_rule is not null
)

select * from rejected
