{#- Custom schemas are used as-is (staging, intermediate, marts, reports), not prefixed with the target's
    schema: the BI tools and exports read `marts.*` by name on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
