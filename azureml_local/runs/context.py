"""``Run.get_context()`` inside a submitted run: ``_SubmittedRun``, ``InputDatasets``, ``OutputDatasets``.

The run is found from the env vars the engine sets (sdk-v1-behaviour.md
section a); ``AZUREML_LOCAL_HOME`` points at the same workspace root. A missing
variable means "not in a run" -> ``_OfflineRun`` (or RunEnvironmentException).
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Any

from azureml_local.data.dataset_registry import get_dataset_by_id
from azureml_local.exceptions import RunEnvironmentException
from azureml_local.experiment import Experiment
from azureml_local.run import Run
from azureml_local.runs.journal import journal_run
from azureml_local.runs.offline import _OfflineRun
from azureml_local.workspace import Workspace

module_logger = logging.getLogger("azureml.core.run")
_REQUIRED = ("AZUREML_ARM_SUBSCRIPTION", "AZUREML_RUN_ID", "AZUREML_ARM_RESOURCEGROUP",
             "AZUREML_ARM_WORKSPACE_NAME", "AZUREML_ARM_PROJECT_NAME", "AZUREML_RUN_TOKEN",
             "AZUREML_SERVICE_ENDPOINT")


def load_scope() -> tuple[Any, str]:
    """``(experiment, run_id)`` from the environment; RunEnvironmentException when not in a run."""
    try:
        values = {k: os.environ[k] for k in _REQUIRED}
    except KeyError as exc:
        raise RunEnvironmentException(inner_exception=exc) from exc
    ws = Workspace(values["AZUREML_ARM_SUBSCRIPTION"], values["AZUREML_ARM_RESOURCEGROUP"],
                   values["AZUREML_ARM_WORKSPACE_NAME"])
    experiment = Experiment(ws, values["AZUREML_ARM_PROJECT_NAME"], _skip_name_validation=True)
    return experiment, values["AZUREML_RUN_ID"]


def get_context(cls: type, allow_offline: bool = True, used_for_context_manager: bool = False, **kwargs: Any) -> Any:
    on_worker = journal_run()  # a job on a Dask worker: no workspace database here (runs/journal.py)
    if on_worker is not None:
        return on_worker
    try:
        experiment, run_id = load_scope()
    except RunEnvironmentException as ex:
        if allow_offline:
            module_logger.debug("Could not load the run context. Logging offline")
            return _OfflineRun(**kwargs)
        raise RunEnvironmentException(inner_exception=ex)
    if used_for_context_manager:
        return _SubmittedRun(experiment, run_id, **kwargs)
    return _SubmittedRun._get_instance(experiment, run_id, **kwargs)


class _SubmittedRun(Run):
    """The live run of this process: ``complete()``/``fail()`` leave the status to the engine."""

    # The one live run of this process (``Run.get_context()`` returns the same object each time);
    # a process whose environment names another run gets a new one: one slot, never a growing map.
    _instance: tuple[tuple, "_SubmittedRun"] | None = None
    _lock = threading.Lock()

    @staticmethod
    def _get_instance(experiment: Any, run_id: str, **kwargs: Any) -> "_SubmittedRun":
        ws = experiment.workspace
        key = (ws.subscription_id, ws.resource_group, ws.name, experiment.name, run_id)
        with _SubmittedRun._lock:
            current = _SubmittedRun._instance
            if current is None or current[0] != key:
                current = _SubmittedRun._instance = (key, _SubmittedRun(experiment, run_id, **kwargs))
            return current[1]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._input_datasets: InputDatasets | None = None
        self._output_datasets: OutputDatasets | None = None

    def complete(self) -> None:  # type: ignore[override]
        super().complete(_set_status=False)

    def fail(self, error_details: Any = None, error_code: Any = None) -> None:  # type: ignore[override]
        super().fail(error_details=error_details, error_code=error_code, _set_status=False)

    def cancel(self) -> None:
        module_logger.warning("cancel is not supported for submitted runs.")

    def __enter__(self) -> "_SubmittedRun":
        return self

    def __exit__(self, *args: Any) -> None:
        self.complete()

    @property
    def input_datasets(self) -> "InputDatasets":
        if self._input_datasets is None:
            self._input_datasets = InputDatasets(self.experiment.workspace)
        return self._input_datasets

    @property
    def output_datasets(self) -> "OutputDatasets":
        if self._output_datasets is None:
            self._output_datasets = OutputDatasets(self.experiment.workspace)
        return self._output_datasets


class InputDatasets(dict):
    """``{input name: Dataset object (direct mode) or local path}`` from ``AZUREML_DATASET_ENVIRONMENT_VARS``."""

    def __init__(self, workspace: Any):
        super().__init__()
        for pair in [p for p in os.environ.get("AZUREML_DATASET_ENVIRONMENT_VARS", "").split(",") if p]:
            parts = [p for p in pair.split(":") if p]
            if len(parts) != 2:
                continue
            var_name, mode = parts
            value = os.environ.get(var_name)
            if value and mode.lower() == "direct":
                super().__setitem__(var_name, get_dataset_by_id(workspace, value))
            else:
                super().__setitem__(var_name, value)


class OutputDatasets(dict):
    """``{output name: local folder}`` from ``AZUREML_DATASET_FILE_OUTPUTS``."""

    def __init__(self, workspace: Any):
        super().__init__()
        self.workspace = workspace
        for name in [n for n in os.environ.get("AZUREML_DATASET_FILE_OUTPUTS", "").split(";") if n]:
            name = name.rstrip("/\\")
            self[name] = os.environ[name]
