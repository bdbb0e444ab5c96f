#!/usr/bin/env bash
# Creates Superset's own virtual environment (its pins clash with the pipeline's) from the lock.
# Installs once: re-runs are instant while the lock is unchanged. Used by `make bi` and by the tests.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo_root/dashboards/requirements-superset.lock"
venv="${SUPERSET_VENV:-$repo_root/.superset/venv}"
stamp="$venv/.installed-lock.sha256"
uv="${UV:-$repo_root/.venv/bin/uv}"
command -v "$uv" >/dev/null 2>&1 || uv="uv"
# The pipeline's interpreter (the lock was compiled for Python 3.11); never a downloaded one.
python="${SUPERSET_PYTHON:-$repo_root/.venv/bin/python}"
[ -x "$python" ] || python="python3.11"

wanted="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    exit 0
fi

echo "Installing Superset into $venv (about 700 MB; a few minutes from PyPI, once)"
start=$SECONDS
[ -x "$venv/bin/python" ] || UV_PYTHON_DOWNLOADS=never "$uv" venv --quiet --python "$python" "$venv"
"$uv" pip sync --quiet --python "$venv/bin/python" "$lock"
echo "$wanted" > "$stamp"
echo "Superset installed in $((SECONDS - start)) s ($(du -sh "$venv" | cut -f1))"
