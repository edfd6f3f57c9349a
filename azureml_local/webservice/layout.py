"""Where a deployed service's files live and its scoring process's environment (its port: ``urls.free_port``).

``<workspace>/webservices/<name>/gen-<generation>/`` holds one deployment: ``app/`` (a copy of
the source directory), ``azureml-models/<model>/<version>/...`` (the registered files, the SDK's
container layout) and ``service.log``. Standard library only: the scoring process reads this.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


WEBSERVICES_DIR = "webservices"
MODELS_DIRNAME = "azureml-models"
APP_DIRNAME = "app"
LOG_NAME = "service.log"


def service_dir(folder: Path, name: str) -> Path:
    return Path(folder) / WEBSERVICES_DIR / name


def generation_dir(folder: Path, name: str, generation: int) -> Path:
    return service_dir(folder, name) / f"gen-{generation}"


def log_path(folder: Path, name: str, generation: int) -> Path:
    return generation_dir(folder, name, generation) / LOG_NAME


def remove_older_generations(folder: Path, name: str, generation: int) -> None:
    """Drop the files of replaced deployments (their processes are stopped first)."""
    root = service_dir(folder, name)
    for child in root.glob("gen-*") if root.is_dir() else []:
        suffix = child.name[4:]
        if suffix.isdigit() and int(suffix) < generation:
            shutil.rmtree(child, ignore_errors=True)


def model_dir(gen_dir: Path, models: list[dict[str, Any]]) -> Path:
    """``AZUREML_MODEL_DIR`` as the SDK sets it: one model -> ``<models>/<name>/<version>``, else ``<models>``."""
    base = gen_dir / MODELS_DIRNAME
    if len(models) == 1:
        return base / models[0]["name"] / str(models[0]["version"])
    return base


def scoring_environment(gen_dir: Path, row: dict[str, Any]) -> dict[str, str]:
    """The scoring process's environment: this process's, the deployment's variables, the SDK's names."""
    inference = row.get("inference") or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_") or k.startswith("AZUREML_LOCAL")}
    env.update({str(k): str(v) for k, v in (inference.get("environment_variables") or {}).items()})
    env.update({
        "AZUREML_MODEL_DIR": str(model_dir(gen_dir, row.get("models") or [])),
        "AML_APP_ROOT": str(gen_dir),
        "AZUREML_ENTRY_SCRIPT": inference.get("entry_script", ""),
        "AZUREML_SOURCE_DIRECTORY": str(gen_dir / APP_DIRNAME),
        "PYTHONUNBUFFERED": "1",
    })
    return env
