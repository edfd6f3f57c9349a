"""``azureml.core.Run``: one trial in an experiment, backed by the workspace database.

The object holds ``(experiment, run id)``; every read goes to the store, so a
run object in a notebook sees what the runner and the script write. Logging
lives in ``runs/metrics.py``, files in ``runs/files.py``, waiting/streaming in
``runs/waiting.py``, the in-run context in ``runs/context.py`` and the offline
run in ``runs/offline.py``.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any, Callable, Iterator

from azureml_local import plugins, status as states
from azureml_local.environment import Environment
from azureml_local.exceptions import SnapshotException, UserErrorException
from azureml_local.experiment import Experiment
from azureml_local.runs import artifacts
from azureml_local.runs.children import RunChildrenMixin
from azureml_local.runs.display import RunDisplayMixin
from azureml_local.runs.dto import RunDto
from azureml_local.runs.extras import RunLogsSnapshotsMixin
from azureml_local.runs.files import RunFilesMixin
from azureml_local.runs.metrics import RunMetricsMixin
from azureml_local.store.runs import error_dict, new_run_id

_INTERACTIVE = "interactive"


class Run(RunMetricsMixin, RunFilesMixin, RunLogsSnapshotsMixin, RunChildrenMixin, RunDisplayMixin):
    """A run: status, details, metrics, files, tags/properties and children."""

    DELIM = "#"
    WORKSPACE_FMT = "?wsid=/subscriptions/{0}/resourcegroups/{1}/workspaces/{2}"
    TID_FMT = "&tid={0}"
    EXPERIMENT_NAME_PATH = "/experiments/{0}"
    EXPERIMENT_ID_PATH = "/experiments/id/{0}"
    RUN_PATH = "/runs/{0}"
    _log_pattern = re.compile(r"(user_logs/std_log[\D]*[0]*(?:_ps)?\.txt)|(azureml-logs/[\d]{2}.+\.txt)")

    def __init__(self, experiment: "Experiment", run_id: str, outputs: Any = None, **kwargs: Any):
        self._experiment = experiment
        self._ws = experiment.workspace
        self._run_id = run_id
        self._outputs = outputs
        self._row = dict(self._ws._context.runs.run(run_id))
        self._run_dto = RunDto(self._row)

    # -- construction / lookup ----------------------------------------------------------
    @classmethod
    def get_context(cls, allow_offline: bool = True, used_for_context_manager: bool = False, **kwargs: Any) -> Any:
        """The run this process executes in (from the run env vars), else an offline run."""
        from azureml_local.runs.context import get_context  # cycle: runs.context subclasses Run

        return get_context(cls, allow_offline, used_for_context_manager, **kwargs)

    @classmethod
    def get_submitted_run(cls, **kwargs: Any) -> Any:
        return cls.get_context(allow_offline=False, **kwargs)

    @staticmethod
    def get(workspace: Any, run_id: str) -> "Run":
        """The run ``run_id`` of ``workspace`` (typed: ScriptRun, PipelineRun, ...)."""
        row = workspace._context.runs.run(run_id)
        exp_row = workspace._context.runs.experiment(row["experiment_id"])
        experiment = Experiment(workspace, exp_row["name"], _id=exp_row["id"], _archived_time=exp_row["archived_time"],
                                _create_in_cloud=False, _skip_name_validation=True)
        return Run._rehydrate(experiment, row)

    @staticmethod
    def add_type_provider(runtype: str, run_factory: Callable) -> None:
        """Register ``run_factory(experiment, run_dto) -> Run`` for runs of type ``runtype``."""
        if plugins.register("run_classes", runtype, run_factory) is not None:
            raise ValueError("RunType {0} already has a factory, can't add another".format(runtype))

    @staticmethod
    def _rehydrate(experiment: "Experiment", row: Any) -> "Run":
        dto = RunDto(row)
        target = plugins.run_class(dto.run_type) or Run
        if isinstance(target, type):  # a Run class from the table; add_type_provider registers factories
            target = getattr(target, "_from_dto", None) or (lambda e, d, _c=target: _c(e, d.run_id))
        return target(experiment, dto)

    @staticmethod
    def _from_dto(experiment: "Experiment", run_dto: Any, **kwargs: Any) -> "Run":
        return Run(experiment, run_dto.run_id)

    @staticmethod
    def list(experiment: "Experiment", type: str | None = None, tags: Any = None, properties: Any = None,
             status: str | None = None, include_children: bool = False, _rehydrate_runs: bool = True) -> Iterator:
        """Runs of ``experiment``, newest first (a generator)."""
        rows = experiment.workspace._context.runs.list_runs(experiment_id=experiment.id, run_type=type, tags=tags,
                                 properties=properties, status=status, include_children=include_children)
        for row in rows:
            yield Run._rehydrate(experiment, row) if _rehydrate_runs else Run(experiment, row["run_id"])

    @staticmethod
    def list_by_compute(compute: Any, type: str | None = None, tags: Any = None, properties: Any = None,
                        status: str | None = None) -> Iterator:
        """Run records (RunDto-like) whose target is ``compute`` (as the SDK: no experiment objects)."""
        for row in compute.workspace._context.runs.list_runs(run_type=type, tags=tags, properties=properties,
                                     status=status):
            if row["target"] == compute.name:
                yield RunDto(row)

    @staticmethod
    def _start_logging(experiment: "Experiment", name: str | None = None, run_id: str | None = None,
                       outputs: Any = None, snapshot_directory: str | None = ".", **kwargs: Any) -> "Run":
        """An interactive run (``Experiment.start_logging``): Running now, ``./outputs`` uploaded on complete."""
        if outputs is True or outputs is None:
            outputs = "./outputs"
        elif outputs is False:
            outputs = None
        snapshot_id = None
        if snapshot_directory:
            from azureml_local.engine.snapshot import snapshot  # heavy: pathspec
            try:
                snapshot_id, _ = snapshot(experiment.workspace, snapshot_directory)
            except SnapshotException as exc:
                raise SnapshotException(
                    "Failed to take a snapshot of {}. Pass snapshot_directory=None to start_logging to skip "
                    "taking a snapshot of the given directory.".format(snapshot_directory)) from exc
        props = {"ContentSnapshotId": snapshot_id} if snapshot_id else {}
        run_id = experiment.workspace._context.runs.create_run(
            experiment.name, run_id or new_run_id(), run_type=_INTERACTIVE, status="Running", start=True,
            name=name, display_name=kwargs.get("display_name"), description=kwargs.get("description"),
            target="local", properties=props, snapshot_id=snapshot_id,
            tags=kwargs.get("tags"))
        return Run(experiment, run_id, outputs=outputs)

    # -- identity ---------------------------------------------------------------------------
    def _refresh(self) -> dict:
        self._row = dict(self._ws._context.runs.run(self._run_id))
        self._run_dto = RunDto(self._row)
        return self._row

    @property
    def id(self) -> str:
        return self._run_id

    @property
    def name(self) -> str | None:
        return self._row.get("name") or self._row.get("display_name")

    @property
    def display_name(self) -> str:
        return self._refresh()["display_name"]

    @display_name.setter
    def display_name(self, value: str) -> None:
        self._ws._context.runs.update_run(self._run_id, display_name=value)
        self._refresh()

    @property
    def description(self) -> str | None:
        return self._refresh()["description"]

    @description.setter
    def description(self, value: str) -> None:
        self._ws._context.runs.update_run(self._run_id, description=value)
        self._refresh()

    @property
    def type(self) -> str:
        return self._row["run_type"]

    @property
    def number(self) -> int:
        return self._row["run_number"]

    @property
    def experiment(self) -> "Experiment":
        return self._experiment

    @property
    def parent(self) -> "Run | None":
        parent_id = self._row.get("parent_run_id")
        return Run.get(self._ws, parent_id) if parent_id else None

    @property
    def status(self) -> str:
        return self._ws._context.runs.status(self._run_id)

    def get_status(self) -> str:
        return self._refresh()["status"]

    # -- details ------------------------------------------------------------------------------
    def get_details(self) -> dict:
        """The SDK's camelCase details dict (``endTimeUtc`` only when finished, ``error`` when failed)."""
        row = self._refresh()
        details: dict[str, Any] = {"runId": self._run_id, "target": row["target"], "status": row["status"]}
        if row["start_time_utc"]:
            details["startTimeUtc"] = row["start_time_utc"]
        if row["end_time_utc"]:
            details["endTimeUtc"] = row["end_time_utc"]
        details["services"] = {}
        if row["error"]:
            details["error"] = json.loads(row["error"])
        warnings = json.loads(row["warnings"] or "[]")
        if warnings:
            details["warnings"] = warnings
        details["properties"] = self.get_properties()
        definition = json.loads(row["definition"] or "{}")
        details["inputDatasets"] = definition.pop("_inputDatasets", [])
        details["outputDatasets"] = definition.pop("_outputDatasets", [])
        details["runDefinition"] = {k: v for k, v in definition.items() if not k.startswith("_")}  # e.g. _python
        details["logFiles"] = self._log_files()
        details["submittedBy"] = row["submitted_by"]
        return details

    def _log_files(self) -> dict[str, str]:
        from azureml_local.engine.execute import log_paths  # heavy: psutil, pathspec

        files = {n: p.as_uri() for n, p in log_paths(self._ws, self._run_id).items() if p.exists()}
        for name in artifacts.list_names(self._ws, self._run_id):
            if self._log_pattern.match(name) or name.startswith(("logs/", "azureml-logs/", "user_logs/")):
                files.setdefault(name, artifacts.artifact_uri(self._run_id, name))
        return dict(sorted(files.items()))

    def get_detailed_status(self) -> dict:
        row = self._refresh()
        return {"status": row["status"], "details": None}

    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> dict:
        from azureml_local.runs.waiting import wait  # heavy: psutil, pathspec

        return wait(self, show_output, wait_post_processing, raise_on_error)

    def get_environment(self) -> Any:
        definition = json.loads(self._refresh()["definition"] or "{}")
        env = definition.get("environment")
        if env is None:
            raise UserErrorException(f"Run {self._run_id} has no environment definition.")
        return Environment._deserialize_and_add_to_object(env) if hasattr(
            Environment, "_deserialize_and_add_to_object") else env

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._ws._context.runs.set_status(self._run_id, "Running", start=True)

    def _upload_outputs(self) -> None:
        if self._outputs and os.path.isdir(self._outputs):
            prefix = artifacts.normalize(os.path.relpath(self._outputs)) if not os.path.isabs(self._outputs) \
                else os.path.basename(os.path.normpath(self._outputs))
            artifacts.upload_paths(self._ws, self._run_id, artifacts.folder_items(self._outputs, prefix))

    def complete(self, _set_status: bool = True) -> None:
        """Finish the run successfully (uploads the tracked outputs folder first)."""
        self._upload_outputs()
        if _set_status:
            self._ws._context.runs.set_status(self._run_id, "Completed")

    def fail(self, error_details: Any = None, error_code: str | None = None, _set_status: bool = True) -> None:
        if _set_status:
            self._upload_outputs()
            message = getattr(error_details, "message", None) or (str(error_details) if error_details else
                                                                  "The run was marked failed.")
            self._ws._context.runs.set_status(self._run_id, "Failed",
                               error=error_dict(message, code=error_code or "UserError"))

    def cancel(self) -> None:
        """Cancel: a queued run is dropped, a running one's process is killed (the engine records Canceled)."""
        from azureml_local.processes import kill_process_group  # heavy: psutil

        row = self._refresh()
        if row["status"] in states.TERMINAL_STATES:
            return
        queued = self._ws._context.runs.dequeue(self._run_id)
        if queued or not row["runner_pid"]:
            self._ws._context.runs.set_status(self._run_id, "Canceled")
        else:
            self._ws._context.runs.set_status(self._run_id, "CancelRequested",
                               only_from=states.RUNNING_STATES + ("Finalizing",))
            if row["pid"]:
                kill_process_group(row["pid"])
        for child in self.get_children():
            child.cancel()

    def flush(self, timeout_seconds: int = 300) -> None:
        """Everything is written synchronously; nothing to flush."""

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exit_type: Any, value: Any, traceback: Any) -> None:
        if value is not None:
            self.fail(error_details=value)
        else:
            self.complete()

    # -- tags and properties ---------------------------------------------------------------------------
    def tag(self, key: str, value: Any = None) -> None:
        self.set_tags({key: value})

    def set_tags(self, tags: dict) -> None:
        if not isinstance(tags, dict):
            raise UserErrorException("set_tags expects a dict of tag name -> value.")
        self._ws._context.runs.set_tags(self._run_id, tags)

    @property
    def tags(self) -> dict:
        return self.get_tags()

    def get_tags(self) -> dict:
        return self._ws._context.runs.tags(self._run_id)

    def remove_tags(self, tags: Any) -> None:
        self._ws._context.runs.remove_tags(self._run_id, [tags] if isinstance(tags, str) else list(tags))

    def add_properties(self, properties: dict) -> None:
        if properties and not isinstance(properties, dict):
            raise UserErrorException("add_properties expects a dict of property name -> value.")
        if properties:
            self._ws._context.runs.add_properties(self._run_id, properties)

    @property
    def properties(self) -> dict:
        return self.get_properties()

    def get_properties(self) -> dict:
        return self._ws._context.runs.properties(self._run_id)

    # -- models and secrets -------------------------------------------------------------------------------
    def register_model(self, model_name: str, model_path: str | None = None, tags: dict | None = None,
                       properties: dict | None = None, model_framework: str | None = None,
                       model_framework_version: str | None = None, description: str | None = None,
                       datasets: list | None = None, sample_input_dataset: Any = None,
                       sample_output_dataset: Any = None, resource_configuration: Any = None, **kwargs: Any) -> Any:
        """Register ``model_path`` (default ``model_name``) of this run's files as a model version."""
        from azureml_local.model import Model  # light: models stay off `from azureml.core import Run`

        return Model._register_from_run(self, model_name, model_path, tags, properties, model_framework,
                                        model_framework_version, description, datasets, sample_input_dataset,
                                        sample_output_dataset, resource_configuration, **kwargs)

    def get_secret(self, name: str) -> str:
        return self._ws.get_default_keyvault().get_secret(name)

    def get_secrets(self, secrets: list) -> dict:
        return self._ws.get_default_keyvault().get_secrets(secrets)

    def get_snapshot_id(self) -> str | None:
        return self._refresh()["snapshot_id"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Run) and other._run_id == self._run_id and other._ws == self._ws

    def __hash__(self) -> int:
        return hash(self._run_id)


def get_run(experiment: "Experiment", run_id: str, rehydrate: bool = True, clean_up: bool = True) -> Run:
    """The run ``run_id`` of ``experiment`` (typed when ``rehydrate``)."""
    row = experiment.workspace._context.runs.run(run_id)
    return Run._rehydrate(experiment, row) if rehydrate else Run(experiment, run_id)


RUNNING_STATES = list(states.RUNNING_STATES)
POST_PROCESSING_STATES = list(states.POST_PROCESSING_STATES)

_LAZY = {"_SubmittedRun": "context", "InputDatasets": "context", "OutputDatasets": "context",
         "_OfflineRun": "offline"}


def __getattr__(name: str) -> Any:
    """``_SubmittedRun`` & co. live in ``azureml_local.runs`` (they subclass Run)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"azureml_local.runs.{_LAZY[name]}"), name)
    raise AttributeError(name)


__all__ = ["Run", "get_run", "RUNNING_STATES", "POST_PROCESSING_STATES", "_SubmittedRun", "_OfflineRun", "InputDatasets", "OutputDatasets"]
