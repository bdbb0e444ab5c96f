{#- dbt's is_incremental(), unless the `assume_is_incremental` var decides: it asks the warehouse whether
    the table exists, which an offline `dbt compile --target redshift --no-populate-cache` cannot.
    `--vars '{assume_is_incremental: false}'` compiles the full-refresh SQL, `true` the incremental SQL. -#}
{% macro is_incremental() -%}
    {%- set assumed = var('assume_is_incremental', none) -%}
    {%- if assumed is not none -%}
        {{ return(assumed and model.config.materialized == 'incremental' and not flags.FULL_REFRESH) }}
    {%- endif -%}
    {{ return(dbt.is_incremental()) }}
{%- endmacro %}
