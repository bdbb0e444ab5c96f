"""The shared server fixtures really serve: each test talks to the server over its real protocol."""

import boto3
import psycopg
import pytest

pytestmark = pytest.mark.slow


def test_postgres_server_answers_sql(postgres_dsn):
    with psycopg.connect(postgres_dsn) as conn:
        assert conn.execute("select current_database(), version()").fetchone()[0] == "ecommerce"


def test_s3_endpoint_round_trips_an_object(s3_endpoint):
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.create_bucket(Bucket="fixture-smoke")
    s3.put_object(Bucket="fixture-smoke", Key="probe.txt", Body=b"hello")
    assert s3.get_object(Bucket="fixture-smoke", Key="probe.txt")["Body"].read() == b"hello"


def test_chromium_renders_a_page(chromium_page):
    chromium_page.set_content("<h1>rendered</h1>")
    assert chromium_page.inner_text("h1") == "rendered"
