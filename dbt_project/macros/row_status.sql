{#- Classify every raw row of a change-log table, so nothing is dropped silently:
    - 'duplicate_row'      a re-send of a version already received (same key and version column; the
                           `resends_are_exact_copies` test checks that such copies are byte-identical);
    - 'superseded_version' an older version of a key: a newer `version_column` value exists;
    - 'kept'               the newest version, the one the staging model serves.
    Among exact copies the one loaded last is kept. One ordering of each key's rows (newest version, then
    latest load, first) gives all three numbers, so the engine sorts the rows once. -#}
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
            -- position among the copies of the row's version: its place in the key minus where the version starts
            row_number() over (partition by {{ key }} order by {{ version_column }} desc, _loaded_at desc)
            - rank() over (partition by {{ key }} order by {{ version_column }} desc)
            + 1 as copy_number,
            dense_rank() over (partition by {{ key }} order by {{ version_column }} desc) as version_number
        from {{ relation }}
    ) as ranked
{%- endmacro %}
