{#- The raw contract as dbt sees it. Columns come from the `shop` source (rendered from shop_contract by
    `python -m shop_contract.dbt_sources`); value bounds from the `shop_value_bounds` var, which
    tests/dbt_project checks against the contract (unit tests have no graph to read the source from). -#}

{#- The contract's columns of a raw table, in file order (without the loader's _load_id/_loaded_at). -#}
{% macro shop_columns(table_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == 'shop' and node.name == table_name -%}
        {%- set names = [] -%}
        {%- for name in node.columns if not name.startswith('_') -%}{%- do names.append(name) -%}{%- endfor -%}
        {{ return(names) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("the shop source has no table " ~ table_name) }}
{%- endmacro %}


{#- SQL condition: the column's value lies outside the contract's inclusive bounds. -#}
{% macro is_out_of_contract_range(table_name, column_name, column_sql=none) -%}
    {%- set bounds = var('shop_value_bounds')[table_name ~ '.' ~ column_name] -%}
    {%- set column_sql = column_sql or column_name -%}
    ({{ column_sql }} < {{ bounds[0] }} or {{ column_sql }} > {{ bounds[1] }})
{%- endmacro %}


{#- Keys of a shop table sent more than once with the same version column but different content: the
    re-sends staging de-duplicates must be byte-identical copies. -#}
{% macro resent_versions_that_differ(table_name, key, version_column) -%}
    select
        '{{ table_name }}' as table_name,
        {{ key }} as row_key,
        {{ version_column }} as version_value,
        count(*) as distinct_copies
    from (
        select distinct {{ shop_columns(table_name) | join(', ') }}
        from {{ source('shop', table_name) }}
    ) as distinct_rows
    group by {{ key }}, {{ version_column }}
    having count(*) > 1
{%- endmacro %}
