"""Find every environment variable the project's code reads, to compare with `.env.example`.

Four ways a variable gets read here, each found by the scanner for its kind of file:
- Python: `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`, `"X" in os.environ` (from the AST, so
  writes such as `os.environ["X"] = ...` and `os.environ.setdefault(...)`, which set defaults for
  other tools, are not reads);
- pydantic-settings: every field of a `BaseSettings` subclass is the variable `<env_prefix><FIELD>`
  (or its `alias` / `validation_alias`);
- dbt (YAML, SQL): `env_var('X')`;
- docker-compose.yml: `${X}`, `${X:-default}`, `${X:?message}` interpolations (not `$${X}`, which compose
  passes through to the container's shell).
Tests are not scanned: they set variables for fixtures, which is not the product reading them.
"""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ENV_VAR_CALL = re.compile(r"""env_var\(\s*['"]+([A-Za-z_][A-Za-z0-9_]*)['"]+""")
COMPOSE_INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\}")
ENV_EXAMPLE_KEY = re.compile(r"^\s*#?\s*([A-Z_][A-Z0-9_]*)=", re.MULTILINE)
DBT_FILE_SUFFIXES = {".yml", ".yaml", ".sql"}
COMPOSE_FILES = {"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"}
NOT_SCANNED = ("tests/", "infrastructure/")  # fixtures; CloudFormation's ${...} is not the environment


@dataclass(frozen=True, order=True)
class EnvRead:
    """One place that reads one variable."""

    name: str
    path: str
    line: int
    how: str

    def __str__(self) -> str:
        return f"{self.name} ({self.path}:{self.line}, {self.how})"


def _is_environ(node: ast.AST) -> bool:
    """`os.environ` or a bare `environ` (from `from os import environ`)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _direct_reads(tree: ast.AST) -> list[tuple[str, int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            found.append((_literal(node.slice), node.lineno, "os.environ[...]"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id
            first = _literal(node.args[0]) if node.args else None
            if name == "get" and isinstance(func, ast.Attribute) and _is_environ(func.value):
                found.append((first, node.lineno, "os.environ.get"))
            elif name == "getenv":
                found.append((first, node.lineno, "os.getenv"))
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.ops[0], ast.In | ast.NotIn)
            and _is_environ(node.comparators[0])
        ):
            found.append((_literal(node.left), node.lineno, "in os.environ"))
    return [(name, line, how) for name, line, how in found if name]


def _base_names(cls: ast.ClassDef) -> set[str]:
    return {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in cls.bases}


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _env_prefix(cls: ast.ClassDef) -> str:
    for statement in cls.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        else:
            continue
        if any(getattr(t, "id", None) == "model_config" for t in targets) and isinstance(statement.value, ast.Call):
            return _literal(_keyword(statement.value, "env_prefix")) or ""
    return ""


def _aliases(value: ast.AST | None) -> list[str]:
    """Names given by `Field(alias=...)`, `Field(validation_alias=...)` or `AliasChoices(...)`."""
    if not isinstance(value, ast.Call):
        return []
    for keyword in ("validation_alias", "alias"):
        alias = _keyword(value, keyword)
        if _literal(alias):
            return [_literal(alias)]
        if isinstance(alias, ast.Call):
            return [name for name in map(_literal, alias.args) if name]
    return []


def _settings_reads(tree: ast.Module) -> list[tuple[str, int, str]]:
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    settings_classes: set[str] = set()
    changed = True
    while changed:  # subclasses of settings classes defined in the same module are settings too
        changed = False
        for cls in classes:
            if cls.name not in settings_classes and _base_names(cls) & (settings_classes | {"BaseSettings"}):
                settings_classes.add(cls.name)
                changed = True
    found = []
    for cls in classes:
        if cls.name not in settings_classes:
            continue
        prefix = _env_prefix(cls)
        for statement in cls.body:
            if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
                continue
            field = statement.target.id
            if field.startswith("_") or field == "model_config" or "ClassVar" in ast.unparse(statement.annotation):
                continue
            names = _aliases(statement.value) or [prefix + field]
            found += [(name.upper(), statement.lineno, f"{cls.name}.{field}") for name in names]
    return found


def python_reads(path: str, source: str) -> list[EnvRead]:
    tree = ast.parse(source, filename=path)
    return [EnvRead(name, path, line, how) for name, line, how in _direct_reads(tree) + _settings_reads(tree)]


def _regex_reads(path: str, text: str, pattern: re.Pattern[str], how: str) -> list[EnvRead]:
    return [
        EnvRead(match.group(1), path, text.count("\n", 0, match.start()) + 1, how) for match in pattern.finditer(text)
    ]


def file_reads(path: str, text: str) -> list[EnvRead]:
    """The variables one file reads, by its kind (path relative to the repository root)."""
    name = Path(path).name
    if path.endswith(".py"):
        return python_reads(path, text)
    if name in COMPOSE_FILES:
        return _regex_reads(path, text, COMPOSE_INTERPOLATION, "compose ${...}")
    if Path(path).suffix in DBT_FILE_SUFFIXES:
        return _regex_reads(path, text, ENV_VAR_CALL, "dbt env_var")
    return []


def project_files(root: Path) -> list[str]:
    """Tracked files plus new ones not git-ignored: what the next commit could contain."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted({path for path in listed if (root / path).is_file()})


def scan(root: Path) -> list[EnvRead]:
    reads: list[EnvRead] = []
    for path in project_files(root):
        if path.startswith(NOT_SCANNED):
            continue
        if path.endswith(".py") or Path(path).name in COMPOSE_FILES or Path(path).suffix in DBT_FILE_SUFFIXES:
            reads += file_reads(path, (root / path).read_text(encoding="utf-8"))
    return sorted(reads)


def env_example_keys(env_example: Path) -> set[str]:
    """Keys `.env.example` documents, set (`KEY=value`) or shown commented out (`# KEY=value`)."""
    return set(ENV_EXAMPLE_KEY.findall(env_example.read_text(encoding="utf-8")))


def missing_from_env_example(root: Path, env_example: Path) -> dict[str, list[EnvRead]]:
    """Variable -> the places reading it, for every variable `.env.example` does not mention."""
    documented = env_example_keys(env_example)
    missing: dict[str, list[EnvRead]] = {}
    for read in scan(root):
        if read.name not in documented:
            missing.setdefault(read.name, []).append(read)
    return missing


if __name__ == "__main__":
    from tests.infrastructure.tools import ENV_EXAMPLE, REPO_ROOT

    for variable, reads in sorted(missing_from_env_example(REPO_ROOT, ENV_EXAMPLE).items()):
        print(f"{variable}: " + ", ".join(f"{r.path}:{r.line}" for r in reads))
