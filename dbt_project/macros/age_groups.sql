{#- Joins the age-group lookup (seed `age_groups`) twice, once per scheme in use:
    marketing bands (18-24 ... 65+) as `marketing_age_groups`, decades (10s, 20s ...) as `decade_age_groups`.
    An open-ended band has no max_age. -#}
{% macro join_age_groups(age_column) -%}
    left join {{ ref('age_groups') }} as marketing_age_groups
        on
            marketing_age_groups.age_group_scheme = 'marketing'
            and {{ age_column }} >= marketing_age_groups.min_age
            and (marketing_age_groups.max_age is null or {{ age_column }} <= marketing_age_groups.max_age)
    left join {{ ref('age_groups') }} as decade_age_groups
        on
            decade_age_groups.age_group_scheme = 'decade'
            and {{ age_column }} >= decade_age_groups.min_age
            and (decade_age_groups.max_age is null or {{ age_column }} <= decade_age_groups.max_age)
{%- endmacro %}
