#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the main job: the seed document's pipeline, end to end,
# on the embedded sample data, in a local workspace under ./.azureml-local (override with AZUREML_LOCAL_HOME).
# The workspace's runner and Azurite are stopped (gracefully) when the job ends; pass --keep-running
# through the environment (AZUREML_LOCAL_KEEP_RUNNING=1) to leave them up for exploring the results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AZUREML_LOCAL_HOME="${AZUREML_LOCAL_HOME:-$PWD/.azureml-local}"
cd samples/seed_pipeline
stop_services() {
    if [ "${AZUREML_LOCAL_KEEP_RUNNING:-0}" != "1" ]; then
        ../../.venv/bin/azureml-local service stop >/dev/null 2>&1 || true
    fi
}
trap stop_services EXIT
../../.venv/bin/python run_pipeline.py "$@"
