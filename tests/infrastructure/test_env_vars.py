"""Every environment variable the code reads is documented in `.env.example`.

The scanner (env_scan.py) is tested on small sources first, so a pass of the last test means the
repository is complete, not that the scanner saw nothing.
"""

from __future__ import annotations

import textwrap

from tests.infrastructure import env_scan
from tests.infrastructure.tools import ENV_EXAMPLE, REPO_ROOT


def names(reads: list[env_scan.EnvRead]) -> set[str]:
    return {read.name for read in reads}


def test_python_reads_are_found_and_writes_are_not():
    source = textwrap.dedent(
        """
        import os
        from os import environ, getenv

        a = os.environ["DIRECT"]
        b = os.environ.get("WITH_GET", "x")
        c = os.getenv("WITH_GETENV")
        d = getenv("BARE_GETENV")
        e = environ["BARE_ENVIRON"]
        f = "CHECKED" in os.environ
        os.environ["WRITTEN_ONLY"] = "1"
        os.environ.setdefault("DEFAULT_FOR_A_TOOL", "1")
        g = {**os.environ, "PASSED_ON": "1"}
        """
    )
    assert names(env_scan.python_reads("x.py", source)) == {
        "DIRECT",
        "WITH_GET",
        "WITH_GETENV",
        "BARE_GETENV",
        "BARE_ENVIRON",
        "CHECKED",
    }


def test_pydantic_settings_fields_become_variables():
    source = textwrap.dedent(
        """
        from typing import ClassVar
        from pydantic import AliasChoices, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Plain(BaseSettings):
            model_config = SettingsConfigDict(env_file=".env")
            lake_url: str = "lake"
            redshift_port: int = 5439
            _private: int = 0
            KNOWN: ClassVar[int] = 1

            @property
            def derived(self) -> str:
                return self.lake_url

        class Prefixed(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="app_")
            port: int = 1
            token: str = Field("", validation_alias="EXTERNAL_TOKEN")
            region: str = Field("", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))

        class Child(Plain):
            extra_setting: bool = False

        class NotSettings:
            ignored: int = 0
        """
    )
    assert names(env_scan.python_reads("x.py", source)) == {
        "LAKE_URL",
        "REDSHIFT_PORT",
        "APP_PORT",
        "EXTERNAL_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "EXTRA_SETTING",
    }


def test_dbt_env_var_calls_are_found_in_yaml_and_sql():
    yaml_text = "schema: '{{ env_var(''RAW_SCHEMA'', ''raw'') }}'\nhost: \"{{ env_var('REDSHIFT_HOST') }}\"\n"
    sql_text = 'select 1 where {{ env_var("DBT_FLAG", "0") }} = 1\n'
    assert names(env_scan.file_reads("profiles/profiles.yml", yaml_text)) == {"RAW_SCHEMA", "REDSHIFT_HOST"}
    reads = env_scan.file_reads("models/x.sql", "\n" + sql_text)
    assert [(r.name, r.line) for r in reads] == [("DBT_FLAG", 2)]


def test_compose_interpolations_are_found_but_escaped_dollars_are_not():
    text = 'a: ${PLAIN}\nb: "${WITH_DEFAULT:-x}"\nc: ${REQUIRED:?set it}\nd: $${CONTAINER_SHELL}\ne: ${ALT+y}\n'
    assert names(env_scan.file_reads("docker-compose.yml", text)) == {"PLAIN", "WITH_DEFAULT", "REQUIRED", "ALT"}


def test_env_example_keys_include_commented_examples(tmp_path):
    example = tmp_path / ".env.example"
    example.write_text("# comment\nSET_ONE=1\n# SHOWN_OFF=2\nlowercase=3\n", encoding="utf-8")
    assert env_scan.env_example_keys(example) == {"SET_ONE", "SHOWN_OFF"}


def test_a_variable_missing_from_env_example_is_reported(tmp_path):
    (tmp_path / "app.py").write_text('import os\nos.getenv("DOCUMENTED")\nos.getenv("UNDOCUMENTED")\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text('import os\nos.getenv("ONLY_IN_TESTS")\n')
    example = tmp_path / ".env.example"
    example.write_text("DOCUMENTED=\n", encoding="utf-8")
    env_scan.subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    missing = env_scan.missing_from_env_example(tmp_path, example)
    assert list(missing) == ["UNDOCUMENTED"]
    assert str(missing["UNDOCUMENTED"][0]) == "UNDOCUMENTED (app.py:3, os.getenv)"


def test_every_variable_the_code_reads_is_in_env_example():
    missing = env_scan.missing_from_env_example(REPO_ROOT, ENV_EXAMPLE)
    report = "\n".join(
        f"  {name}: read at " + ", ".join(f"{r.path}:{r.line}" for r in reads)
        for name, reads in sorted(missing.items())
    )
    assert not missing, f"{len(missing)} variable(s) the code reads are not in .env.example:\n{report}"
