{#- Read the raw contract (rendered into the `shop` source's YAML by shop_contract.dbt_sources) so that
    models quarantine by the contract's own rules instead of copies of them. -#}

{% macro shop_source_node(table_name) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'shop' and node.name == table_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("the shop source has no table " ~ table_name) }}
{%- endmacro %}


{#- The contract's columns of a raw table, in file order (without the loader's _load_id/_loaded_at). -#}
{% macro shop_columns(table_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in shop_source_node(table_name).columns.values() -%}
        {%- if not column.name.startswith('_') -%}{%- do names.append(column.name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- One value rule of a column (accepted_values, min_value, max_value, references). -#}
{% macro shop_rule(table_name, column_name, rule) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set column = shop_source_node(table_name).columns[column_name] -%}
    {%- set meta = column.meta or column.config.meta or {} -%}
    {%- if rule not in meta -%}
        {{ exceptions.raise_compiler_error("the contract sets no " ~ rule ~ " on " ~ table_name ~ "." ~ column_name) }}
    {%- endif -%}
    {{ return(meta[rule]) }}
{%- endmacro %}


{#- SQL condition: the column's value lies outside the contract's inclusive bounds. -#}
{% macro is_out_of_contract_range(table_name, column_name, column_sql=none) -%}
    {%- set column_sql = column_sql or column_name -%}
    ({{ column_sql }} < {{ shop_rule(table_name, column_name, 'min_value') }}
        or {{ column_sql }} > {{ shop_rule(table_name, column_name, 'max_value') }})
{%- endmacro %}
