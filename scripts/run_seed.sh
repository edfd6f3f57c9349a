#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the main job: the seed document's pipeline, end to end,
# on the embedded sample data, in a local workspace under ./.azureml-local (override with AZUREML_LOCAL_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AZUREML_LOCAL_HOME="${AZUREML_LOCAL_HOME:-$PWD/.azureml-local}"
cd samples/seed_pipeline
exec ../../.venv/bin/python run_pipeline.py "$@"
