"""The images: hadolint-clean, slim Python 3.12, non-root, locked dependencies in their own layer, a HEALTHCHECK.

No Docker engine here, so nothing is built: hadolint (the same rules Docker's own linters follow) plus
checks of what each instruction says.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

from tests.infrastructure.tools import DOCKERFILES, DOCKERIGNORE, REPO_ROOT, run, venv_tool

PIPELINE_DOCKERFILE, SUPERSET_DOCKERFILE = DOCKERFILES


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical, pending = [], ""
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "") for text in logical]


def stages(dockerfile: Path) -> list[list[tuple[str, str]]]:
    """Instructions grouped by build stage (the ARGs before the first FROM are their own group)."""
    groups: list[list[tuple[str, str]]] = [[]]
    for instruction in instructions(dockerfile):
        if instruction[0] == "FROM":
            groups.append([])
        groups[-1].append(instruction)
    return groups


def base_images(dockerfile: Path) -> list[str]:
    defaults = dict(
        re.match(r"(\w+)=(\S+)", args).groups() for name, args in stages(dockerfile)[0] if name == "ARG" and "=" in args
    )
    images = []
    for stage in stages(dockerfile)[1:]:
        image = stage[0][1].split()[0]
        images.append(re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], image))
    return images


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_hadolint_passes(dockerfile):
    result = run([venv_tool("hadolint"), "--no-color", dockerfile])
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_on_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\nRUN pip install requests\n", encoding="utf-8")
    result = run([venv_tool("hadolint"), "--no-color", bad])
    assert result.returncode != 0
    for rule in ("DL3007", "DL3008", "DL3013"):  # :latest tag, unpinned apt package, unpinned pip package
        assert rule in result.stdout


def test_pipeline_image_is_slim_python_312():
    assert all(re.fullmatch(r"python:3\.12-slim(-\w+)?", image) for image in base_images(PIPELINE_DOCKERFILE))


def test_superset_image_uses_the_python_its_lock_was_compiled_for():
    lock_header = (REPO_ROOT / "dashboards" / "requirements-superset.lock").read_text(encoding="utf-8")[:300]
    version = re.search(r"--python-version (3\.\d+)", lock_header).group(1)
    assert all(re.fullmatch(rf"python:{re.escape(version)}-slim(-\w+)?", i) for i in base_images(SUPERSET_DOCKERFILE))


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_runs_as_a_numeric_non_root_user_with_a_healthcheck(dockerfile):
    final = stages(dockerfile)[-1]
    users = [args for name, args in final if name == "USER"]
    assert users, "the runtime stage never switches away from root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0
    user_index = max(i for i, (name, _) in enumerate(final) if name == "USER")
    assert all(name != "RUN" for name, _ in final[user_index + 1 :]), "RUN after USER would need root again"
    healthchecks = [args for name, args in final if name == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and "CMD" in healthchecks[0] and "NONE" not in healthchecks[0]


def test_locked_dependencies_install_before_the_sources_are_copied():
    """Editing code must not re-install 160 packages: the lock gets its own, earlier layer."""
    builder = stages(PIPELINE_DOCKERFILE)[1]
    copies = [args for name, args in builder if name == "COPY"]
    assert copies == ["pyproject.toml requirements.lock ./"], "the builder should copy only the dependency files"
    install = next(args for name, args in builder if name == "RUN" and "uv pip install" in args)
    assert "--constraint requirements.lock" in install
    assert "--mount=type=cache" in install
    runtime = stages(PIPELINE_DOCKERFILE)[-1]
    assert not any("uv pip" in args or "pip install" in args for name, args in runtime if name == "RUN")


def test_image_installs_only_the_pipeline_extras():
    install = next(
        args for name, args in instructions(PIPELINE_DOCKERFILE) if name == "RUN" and "uv pip install" in args
    )
    extras = set(re.findall(r"--extra (\S+)", install))
    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert extras <= set(declared), f"extras {extras - set(declared)} are not in pyproject.toml"
    assert extras == {"dbt", "orchestration"}, "dev and bench tools (pytest, moto, playwright, dlt) stay out"


def dockerignore_excludes(path: str, patterns: list[str]) -> bool:
    """Docker's rule, simplified: the last pattern matching the path or one of its parents decides."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.lstrip("!").strip("/")
        if any(fnmatch.fnmatch(c, glob) or fnmatch.fnmatch(c, glob.replace("**/", "")) for c in candidates):
            excluded = not negated
    return excluded


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    "path", [".env", ".venv/bin/python", "lake/raw/x.csv.gz", "warehouse/ecommerce.duckdb", ".git/config", "tests/x.py"]
)
def test_build_context_leaves_out_secrets_and_data(path):
    assert dockerignore_excludes(path, dockerignore_patterns())


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_everything_copied_from_the_context_exists_and_is_not_ignored(dockerfile):
    patterns = dockerignore_patterns()
    for name, args in instructions(dockerfile):
        if name != "COPY" or "--from=" in args:
            continue
        sources = [part for part in args.split() if not part.startswith("--")][:-1]
        for source in sources:
            assert (REPO_ROOT / source).exists(), f"{dockerfile.name} copies missing {source}"
            assert not dockerignore_excludes(source, patterns), f".dockerignore drops {source}"
