{#- Ratings per product: review count, average, and how the stars spread (clean reviews only). -#}
with

reviews as (
    select * from {{ ref('fct_reviews') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

star_counts as (
    select
        product_id,
        count(*) as review_count,
        avg(cast(rating as {{ type_ratio() }})) as average_rating,
        sum(case when rating = 1 then 1 else 0 end) as one_star_count,
        sum(case when rating = 2 then 1 else 0 end) as two_star_count,
        sum(case when rating = 3 then 1 else 0 end) as three_star_count,
        sum(case when rating = 4 then 1 else 0 end) as four_star_count,
        sum(case when rating = 5 then 1 else 0 end) as five_star_count
    from reviews
    group by product_id
),

final as (
    select
        products.product_id,
        products.product_name,
        products.category,
        products.brand,
        cast(star_counts.review_count as bigint) as review_count,
        cast(star_counts.average_rating as {{ type_ratio() }}) as average_rating,
        cast(star_counts.one_star_count as bigint) as one_star_count,
        cast(star_counts.two_star_count as bigint) as two_star_count,
        cast(star_counts.three_star_count as bigint) as three_star_count,
        cast(star_counts.four_star_count as bigint) as four_star_count,
        cast(star_counts.five_star_count as bigint) as five_star_count,
        cast({{ safe_divide('star_counts.five_star_count', 'star_counts.review_count') }} as {{ type_ratio() }})
            as five_star_share,
        cast(
            {{ safe_divide('star_counts.one_star_count + star_counts.two_star_count', 'star_counts.review_count') }}
            as {{ type_ratio() }}
        ) as low_rating_share
    from star_counts
    inner join products on star_counts.product_id = products.product_id
)

select * from final
