{#- The shop's reviews as the warehouse serves them: one row per key, the newest version, clean. -#}
with

cleaned as (
    select * from {{ ref('base_shop__reviews') }}
),

kept as (
    select
        review_id,
        order_id,
        product_id,
        rating,
        review_title,
        review_comment,
        created_at,
        _load_id,
        _loaded_at,
        _parents_loaded_at
    from cleaned
    where
        row_status = 'kept'
        and rejection_rule is null
)

select * from kept
