#!/usr/bin/env bash
# Set up a development environment from a clean clone:
#   .venv/ with azureml-local (editable) and its test dependencies,
#   node_modules/ with Azurite 3.35.0 (the Azure Storage emulator; needs Node >= 18 and npm).
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,testing,mlflow,hyperdrive,steps,studio,dask,postgres]"
# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set every step process
# would recompile the package on import (~140 ms each): write the .pyc files once, explicitly.
.venv/bin/python -m compileall -q azureml azureml_local >/dev/null

if [ ! -x node_modules/.bin/azurite-blob ]; then
    if command -v npm >/dev/null 2>&1; then
        npm install --no-audit --no-fund --silent azurite@3.35.0 >/dev/null
    else
        echo "npm not found: Azurite not installed; blob storage falls back to a plain folder." >&2
    fi
fi
echo "setup done: $(.venv/bin/python --version), azurite: $(test -x node_modules/.bin/azurite-blob && echo installed || echo missing)"
