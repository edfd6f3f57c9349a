"""``python -m azureml_local.pipeline.execution SUB RG NAME RUN_ID``: orchestrate one pipeline run."""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from azureml_local.pipeline.execution.orchestrator import run_pipeline
    from azureml_local.workspace import Workspace

    sub, rg, name, run_id = argv
    run_pipeline(Workspace(sub, rg, name), run_id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
