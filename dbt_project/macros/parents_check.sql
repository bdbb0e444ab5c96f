{#- The checks base_shop__order_items and base_shop__reviews share: both rows point at an order and a
    product, and are held back (quarantined) while either is missing or their bounded value is out of
    the contract's range. The calling model names its raw rows `source` and its classified rows
    `classified`, and defines `order_keys` and `product_keys` with `first_arrivals`. -#}

{#- Incremental filter: the keys of `table_name` loaded since the last build, and the keys held back for
    an order or product that has arrived since (no watermark there: a build that ran before the parents
    were loaded is repaired too). -#}
{% macro keys_to_reclassify(table_name, key) -%}
    select new_rows.{{ key }} from {{ source('shop', table_name) }} as new_rows
    where {{ loaded_since_last_build('new_rows._loaded_at') }}
    union all
    select held_back.{{ key }} from {{ this }} as held_back
    inner join {{ ref('base_shop__orders') }} as arrived
        on held_back.order_id = arrived.order_id
    where held_back.rejected_column = 'order_id'
    union all
    select held_back.{{ key }} from {{ this }} as held_back
    inner join {{ ref('base_shop__products') }} as arrived
        on held_back.product_id = arrived.product_id
    where held_back.rejected_column = 'product_id'
{%- endmacro %}


{#- When each parent the rows in `source` point at first arrived, from its base model. -#}
{% macro first_arrivals(parent_model, key) -%}
    select
        {{ key }},
        min(_loaded_at) as first_loaded_at
    from {{ ref(parent_model) }}
    where {{ key }} in (select source.{{ key }} from source)
    group by {{ key }}
{%- endmacro %}


{#- `classified` with the rule a row breaks, the column it breaks it in, and `parents_loaded_at`: when
    the last of its order and product first arrived (null while one is missing). -#}
{% macro select_checked_against_parents(table_name, bounded_column) -%}
    select
        classified.*,
        case
            when order_keys.order_id is null then 'orphan_foreign_key'
            when product_keys.product_id is null then 'orphan_foreign_key'
            when {{ is_out_of_contract_range(table_name, bounded_column, 'classified.' ~ bounded_column) }}
                then 'out_of_range_value'
        end as rejection_rule,
        case
            when order_keys.order_id is null then 'order_id'
            when product_keys.product_id is null then 'product_id'
            when {{ is_out_of_contract_range(table_name, bounded_column, 'classified.' ~ bounded_column) }}
                then '{{ bounded_column }}'
        end as rejected_column,
        case
            when order_keys.order_id is not null and product_keys.product_id is not null
                then greatest(order_keys.first_loaded_at, product_keys.first_loaded_at)
        end as parents_loaded_at
    from classified
    left join order_keys on classified.order_id = order_keys.order_id
    left join product_keys on classified.product_id = product_keys.product_id
{%- endmacro %}
