{#- Classify every raw row of a change-log table, so nothing is dropped silently:
    - 'duplicate_row'      a re-send of a version already received (same key and version column; the
                           `resends_are_exact_copies` test checks that such copies are byte-identical);
    - 'superseded_version' an older version of a key: a newer `version_column` value (then a later load) exists;
    - 'kept'               the newest version, the one the staging model serves.
    Among exact copies the one loaded last is kept. -#}
{% macro select_with_row_status(relation, key, version_column) -%}
    select
        *,
        case
            when copy_number > 1 then 'duplicate_row'
            when version_number > 1 then 'superseded_version'
            else 'kept'
        end as row_status
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}, copy_number
                order by {{ version_column }} desc, _loaded_at desc
            ) as version_number
        from (
            select
                *,
                row_number() over (
                    partition by {{ key }}, {{ version_column }}
                    order by _loaded_at desc
                ) as copy_number
            from {{ relation }}
        ) as copies
    ) as versions
{%- endmacro %}
