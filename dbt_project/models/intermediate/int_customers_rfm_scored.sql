{#- Recency, frequency and monetary scores for every customer with an order, and their segment.
    A score is the customer's percentile rank cut into five equal bands (1 = lowest fifth, 5 = top), so
    equal values share a score. Recency is counted in days to the as-of date; fewer days score higher. -#}
with

customer_orders as (
    select * from {{ ref('int_customer_orders_summarised') }}
),

as_of as (
    select {{ as_of_date() }} as as_of_date
),

measured as (
    select
        customer_orders.customer_id,
        {{ dbt.datediff('cast(customer_orders.last_ordered_at as date)', 'as_of.as_of_date', 'day') }}
            as recency_days,
        customer_orders.order_count as frequency,
        customer_orders.lifetime_revenue as monetary
    from customer_orders
    cross join as_of
),

scored as (
    select
        customer_id,
        recency_days,
        frequency,
        monetary,
        cast(least(5, 1 + floor(percent_rank() over (order by recency_days desc) * 5)) as integer) as recency_score,
        cast(least(5, 1 + floor(percent_rank() over (order by frequency) * 5)) as integer) as frequency_score,
        cast(least(5, 1 + floor(percent_rank() over (order by monetary) * 5)) as integer) as monetary_score
    from measured
),

segmented as (
    select
        *,
        recency_score * 100 + frequency_score * 10 + monetary_score as rfm_score,
        case
            when recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4 then 'champions'
            when recency_score >= 3 and frequency_score >= 3 then 'loyal'
            when recency_score >= 4 then 'recent'
            when frequency_score >= 3 then 'at_risk'
            when recency_score >= 3 then 'needs_attention'
            else 'hibernating'
        end as rfm_segment
    from scored
)

select * from segmented
