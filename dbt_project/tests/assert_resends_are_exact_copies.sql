{#- Staging treats rows with the same key and version column as re-sends of one version and keeps one.
    That is only safe if they are byte-identical copies: any pair that differs in a contract column fails. -#}
{%- set tables = {
    'customers': ('customer_id', 'updated_at'),
    'products': ('product_id', 'updated_at'),
    'orders': ('order_id', 'updated_at'),
    'order_items': ('order_item_id', 'created_at'),
    'reviews': ('review_id', 'created_at'),
} -%}
{% for table_name, (key, version_column) in tables.items() %}
    {%- set columns = shop_columns(table_name) %}
    select
        '{{ table_name }}' as table_name,
        {{ key }} as row_key,
        {{ version_column }} as version_value,
        count(*) as copies
    from (
        select distinct {{ columns | join(', ') }}
        from {{ source('shop', table_name) }}
    ) as distinct_rows
    group by {{ key }}, {{ version_column }}
    having count(*) > 1
    {% if not loop.last %}union all{% endif %}
{% endfor %}
