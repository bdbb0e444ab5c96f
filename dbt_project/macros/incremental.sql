{#- What an incremental build reads again. Raw tables only grow, and the loader stamps `_loaded_at` inside
    its transaction while holding a lock (DuckDB: the one writer), so stamps follow commit order: every
    row committed after a build carries a later stamp than any row that build saw. -#}

{#- The latest `_loaded_at` the model `this` has taken in (`column`), or the start of time for an empty table. -#}
{% macro last_built_loaded_at(column='_loaded_at') -%}
    (select coalesce(max({{ column }}), cast('1900-01-01 00:00:00' as timestamp)) from {{ this }})
{%- endmacro %}


{#- Condition: `column` is later than what this model last took in. -#}
{% macro loaded_since_last_build(column='_loaded_at', built_column='_loaded_at') -%}
    {{ column }} > {{ last_built_loaded_at(built_column) }}
{%- endmacro %}


{#- Post-hook of a fact built from a table with a quarantine: delete the rows whose key's newest version
    is now quarantined (`rejected_model`). A merge only adds and updates, so without this a line that a
    newer version moved into quarantine would stay in the fact, and an incremental build would differ
    from a full refresh. -#}
{% macro delete_rows_now_quarantined(key, rejected_model) -%}
    delete from {{ this }}
    where {{ key }} in (select rejected.{{ key }} from {{ rejected_model }} as rejected)
{%- endmacro %}


{#- Keys of `model` whose row was loaded after the stamp of the calling model's `watermark` CTE. -#}
{% macro keys_loaded_since_watermark(model, key) -%}
    select loaded.{{ key }} from {{ ref(model) }} as loaded
    where loaded._loaded_at > (select watermark.loaded_at from watermark)
{%- endmacro %}


{#- Orders whose own row or whose customer was loaded after the stamp of the model's `watermark` CTE: the
    orders whose columns in a fact can have changed, whatever their lines did. -#}
{% macro orders_or_customers_changed() -%}
    {{ keys_loaded_since_watermark('stg_shop__orders', 'order_id') }}
    union
    select orders.order_id from {{ ref('stg_shop__orders') }} as orders
    inner join {{ ref('stg_shop__customers') }} as customers on orders.customer_id = customers.customer_id
    where customers._loaded_at > (select watermark.loaded_at from watermark)
{%- endmacro %}
