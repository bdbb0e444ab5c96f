{#- Engine differences live here, behind adapter.dispatch; models call these and stay portable. -#}

{#- True when `column` looks like a deliverable address: one @, a dotted domain, no spaces.
    DuckDB's `~` is a full match and PostgreSQL/Redshift's a partial one, so spell the call per engine. -#}
{% macro is_valid_email(column) -%}
    {{ return(adapter.dispatch('is_valid_email')(column)) }}
{%- endmacro %}

{% macro default__is_valid_email(column) -%}
    ({{ column }} ~ '^[^@[:space:]]+@[^@[:space:]]+\.[a-z]{2,}$')
{%- endmacro %}

{% macro duckdb__is_valid_email(column) -%}
    regexp_full_match({{ column }}, '[^@\s]+@[^@\s]+\.[a-z]{2,}')
{%- endmacro %}


{#- Text of a bounded length. `type_string()` is VARCHAR(256) on Redshift, too short for comments. -#}
{% macro type_text(length) -%}
    {{ return(adapter.dispatch('type_text')(length)) }}
{%- endmacro %}

{% macro default__type_text(length) -%}
    varchar
{%- endmacro %}

{% macro redshift__type_text(length) -%}
    varchar({{ length }})
{%- endmacro %}


{#- Money: exact decimals everywhere. -#}
{% macro type_money() -%}
    numeric(18, 2)
{%- endmacro %}


{#- Ratios and averages: exact decimals, so engines agree to the last digit. -#}
{% macro type_ratio() -%}
    numeric(18, 4)
{%- endmacro %}


{#- Division that never truncates (PostgreSQL and Redshift divide integers as integers) and never
    fails on a zero denominator (null instead). -#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as numeric(28, 8)) / nullif({{ denominator }}, 0)
{%- endmacro %}


{#- Age in full years at `as_of`: the years between the dates, minus one when the birthday has not come
    yet that year. A 29 February birthday comes on 1 March in common years. -#}
{% macro age_in_years(birth_date, as_of) -%}
    cast(
        extract(year from {{ as_of }}) - extract(year from {{ birth_date }})
        - case
            when
                extract(month from {{ as_of }}) * 100 + extract(day from {{ as_of }})
                < extract(month from {{ birth_date }}) * 100 + extract(day from {{ birth_date }})
                then 1
            else 0
        end
        as integer
    )
{%- endmacro %}


{#- The date ages are computed at: the `as_of_date` var, or the last day in the data. -#}
{% macro as_of_date() -%}
    {%- set configured = var('as_of_date', none) -%}
    {%- if configured -%}
        cast('{{ configured }}' as date)
    {%- else -%}
        (select cast(max(updated_at) as date) from {{ ref('stg_shop__orders') }})
    {%- endif -%}
{%- endmacro %}
