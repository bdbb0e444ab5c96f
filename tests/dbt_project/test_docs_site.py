"""The dbt docs site (what `make docs` serves) renders in headless Chromium and shows fct_order_items' lineage."""

from __future__ import annotations

import importlib.util
import threading

import pytest

from tests.dbt_project.conftest import PROJECT_DIR, environment, release_duckdb

pytestmark = pytest.mark.slow


def load_serve_docs():
    spec = importlib.util.spec_from_file_location("serve_docs", PROJECT_DIR / "scripts" / "serve_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_site_shows_the_lineage_of_fct_order_items(incremental_warehouse, tmp_path, chromium_page):
    serve_docs = load_serve_docs()
    with environment(**incremental_warehouse.env):
        try:
            serve_docs.generate("dev", tmp_path)
        finally:
            release_duckdb()
    server = serve_docs.serve(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = chromium_page
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/#!/model/model.ecommerce.fct_order_items")
        page.wait_for_selector("text=Depends On", timeout=60_000)
        page.click(".launcher-btn")
        page.wait_for_function("() => document.querySelector('#cy canvas') !== null", timeout=30_000)
        shown = page.evaluate(
            """() => angular.element(document.body).injector().get('graph').graph.elements
                .filter(e => e.group === 'nodes' && !e.data.hidden).map(e => e.data.unique_id)"""
        )
        selector = page.input_value("input >> nth=0")
    finally:
        server.shutdown()
        server.server_close()
    assert selector == "+fct_order_items+"
    assert {
        "model.ecommerce.fct_order_items",
        "model.ecommerce.int_order_items_priced",
        "model.ecommerce.stg_shop__orders",
        "model.ecommerce.stg_shop__products",
        "exposure.ecommerce.ecommerce_overview",
    } <= set(shown)
