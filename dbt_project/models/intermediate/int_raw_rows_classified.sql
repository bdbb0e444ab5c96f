{#- Every raw row of every shop table, narrowed to what the data-quality report counts: its row status
    (kept, duplicate_row, superseded_version), the quarantine rule it broke, and the issues flagged or
    repaired in it. One row per raw row, so counts reconcile with the sources. -#}
{%- set tables = {
    'customers': ('customer_id', ['is_email_invalid', 'is_email_missing', 'has_missing_value', 'has_whitespace_noise', 'has_case_noise']),
    'products': ('product_id', ['has_missing_value', 'has_whitespace_noise', 'has_case_noise']),
    'orders': ('order_id', ['has_case_noise']),
    'order_items': ('order_item_id', []),
    'reviews': ('review_id', []),
} -%}
{%- set flags = ['is_email_invalid', 'is_email_missing', 'has_missing_value', 'has_whitespace_noise', 'has_case_noise'] -%}

with

{% for table_name, (key, table_flags) in tables.items() %}
{{ table_name }} as (
    select
        '{{ table_name }}' as table_name,
        {{ key }} as row_key,
        copy_number,
        version_number,
        row_status,
        {% if table_name in ['order_items', 'reviews'] -%}
            rejection_rule,
        {%- else -%}
            cast(null as {{ type_text(32) }}) as rejection_rule,
        {%- endif %}
        {% for flag in flags -%}
            {% if flag in table_flags %}coalesce({{ flag }}, false){% else %}false{% endif %} as {{ flag }}
            {{- "," if not loop.last }}
        {% endfor %}
    from {{ ref('base_shop__' ~ table_name) }}
),
{% endfor %}

unioned as (
    {% for table_name in tables -%}
        select * from {{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
