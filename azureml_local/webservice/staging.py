"""The files of one deployment: a copy of the source directory and the registered model files.

Copied at deploy time (in the deploying process) into the generation's folder, so the scoring
process never depends on the user's working tree, and an update stages a new generation beside
the running one. ``Model.package`` writes the same layout into a build context. Plain values only:
``ctx`` and ``[{name, version}]``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from azureml_local import model_store
from azureml_local.engine.snapshot import ALWAYS_IGNORED
from azureml_local.webservice.layout import APP_DIRNAME, MODELS_DIRNAME, generation_dir


def stage(ctx: Any, name: str, generation: int, source_directory: str | None, entry_script: str,
          models: list[dict[str, Any]]) -> Path:
    """Write ``gen-<generation>/`` (removing a half-written one first); returns its path."""
    gen_dir = generation_dir(ctx.folder, name, generation)
    shutil.rmtree(gen_dir, ignore_errors=True)
    try:
        write_layout(ctx, gen_dir, source_directory, entry_script, models)
    except BaseException:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    return gen_dir


def write_layout(ctx: Any, target: Path, source_directory: str | None, entry_script: str,
                 models: list[dict[str, Any]]) -> None:
    """``target/app/`` (the source directory, or the entry script alone) and ``target/azureml-models/``."""
    app = Path(target) / APP_DIRNAME
    if source_directory:
        shutil.copytree(source_directory, app, ignore=shutil.ignore_patterns(*ALWAYS_IGNORED, MODELS_DIRNAME),
                        dirs_exist_ok=True)
    else:
        app.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry_script, app / os.path.basename(entry_script))
    for model in models:
        folder = Path(target) / MODELS_DIRNAME / model["name"] / str(model["version"])
        folder.mkdir(parents=True, exist_ok=True)
        model_store.download(ctx, model["name"], model["version"], str(folder))
