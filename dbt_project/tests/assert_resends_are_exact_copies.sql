{#- Staging treats rows with the same key and version column as re-sends of one version and keeps one.
    That is only safe if they are byte-identical copies: any pair that differs in a contract column fails. -#}
{{ resent_versions_that_differ('customers', 'customer_id', 'updated_at') }}
union all
{{ resent_versions_that_differ('products', 'product_id', 'updated_at') }}
union all
{{ resent_versions_that_differ('orders', 'order_id', 'updated_at') }}
union all
{{ resent_versions_that_differ('order_items', 'order_item_id', 'created_at') }}
union all
{{ resent_versions_that_differ('reviews', 'review_id', 'created_at') }}
