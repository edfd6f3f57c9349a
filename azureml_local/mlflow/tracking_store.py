"""The MLflow tracking store of ``azureml-local://`` URIs: MLflow runs ARE run-history runs.

Registered through the ``mlflow.tracking_store`` entry point. In-process: every call is
a statement on the workspace database (``ctx.runs``, ``ctx.mlflow``), as ``run.log`` is,
so there is no server to start and a job process writes its own run directly.
Mapping (docs/mlflow.md): experiments are Azure ML experiments (MLflow's default
experiment ``0`` is ``Default``), runs are runs of type ``interactive`` (nested runs are
child runs), metrics are run metrics (a key logged N times is a list in ``get_metrics``),
tags are run tags, ``mlflow.runName`` is the display name, params are MLflow's own table.
"""
from __future__ import annotations

import json
import time
import uuid
from typing import Any

from mlflow.entities import RunStatus, ViewType
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import (INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS,
                                          RESOURCE_DOES_NOT_EXIST)
from mlflow.store.tracking.abstract_store import AbstractStore
from mlflow.utils.name_utils import _generate_random_name
from mlflow.utils.search_utils import SearchExperimentsUtils, SearchLoggedModelsUtils, SearchUtils
from mlflow.utils.validation import _validate_batch_log_data

from azureml_local.exceptions import AzureMLException
from azureml_local.mlflow import convert
from azureml_local.mlflow import uri as uris
from azureml_local.mlflow.workspaces import open_uri

DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME = "0", "Default"
RUN_TYPE = "interactive"  # like Experiment.start_logging: the process that logs owns the run's status
_HISTORY_TAG = "mlflow.log-model.history"


class AzureMLLocalTrackingStore(AbstractStore):
    """``mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())`` lands here."""

    def __init__(self, store_uri: str, artifact_uri: str | None = None):
        super().__init__()
        self.store_uri = store_uri
        self.ctx, _ = open_uri(store_uri)

    # -- experiments ---------------------------------------------------------------------------
    def _experiment_row(self, experiment_id: str) -> dict:
        if str(experiment_id) == DEFAULT_EXPERIMENT_ID:
            return self.ctx.runs.get_or_create_experiment(DEFAULT_EXPERIMENT_NAME)
        row = self.ctx.runs.experiment(str(experiment_id))
        if row is None:
            raise MlflowException(f"No Experiment with id={experiment_id} exists", RESOURCE_DOES_NOT_EXIST)
        return row

    def create_experiment(self, name: str, artifact_location: str | None = None, tags: Any = None) -> str:
        if not name:
            raise MlflowException("Invalid experiment name: ''", INVALID_PARAMETER_VALUE)
        if self.ctx.runs.list_experiments(name=name, view_type="ActiveOnly"):
            raise MlflowException(f"Experiment(name={name}) already exists.", RESOURCE_ALREADY_EXISTS)
        row = self.ctx.runs.get_or_create_experiment(name)
        if tags:
            self.ctx.runs.set_experiment_tags(row["id"], {t.key: t.value for t in tags})
        return row["id"]

    def get_experiment(self, experiment_id: str):
        return convert.experiment(self.ctx, self._experiment_row(experiment_id))

    def get_experiment_by_name(self, experiment_name: str):
        rows = (self.ctx.runs.list_experiments(name=experiment_name, view_type="ActiveOnly")
                or self.ctx.runs.list_experiments(name=experiment_name, view_type="All"))
        return convert.experiment(self.ctx, rows[-1]) if rows else None

    def search_experiments(self, view_type=ViewType.ACTIVE_ONLY, max_results=1000, filter_string=None,
                           order_by=None, page_token=None):
        view = {ViewType.ACTIVE_ONLY: "ActiveOnly", ViewType.DELETED_ONLY: "ArchivedOnly"}.get(view_type, "All")
        experiments = [convert.experiment(self.ctx, r) for r in self.ctx.runs.list_experiments(view_type=view)]
        experiments = SearchExperimentsUtils.filter(experiments, filter_string)
        experiments = SearchExperimentsUtils.sort(experiments, order_by or ["creation_time DESC"])
        return convert.page(experiments, page_token, max_results)

    def delete_experiment(self, experiment_id: str) -> None:
        self.ctx.runs.set_experiment_archived(self._experiment_row(experiment_id)["id"], True)

    def restore_experiment(self, experiment_id: str) -> None:
        self.ctx.runs.set_experiment_archived(self._experiment_row(experiment_id)["id"], False)

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        raise MlflowException("Azure ML experiments cannot be renamed (the SDK has no rename either); create a new "
                              "experiment instead.", INVALID_PARAMETER_VALUE)

    def set_experiment_tag(self, experiment_id: str, tag) -> None:
        self.ctx.runs.set_experiment_tags(self._experiment_row(experiment_id)["id"], {tag.key: tag.value})

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        self.ctx.runs.set_experiment_tags(self._experiment_row(experiment_id)["id"], remove=[key])

    # -- runs ----------------------------------------------------------------------------------
    def _row(self, run_id: str) -> dict:
        try:
            return self.ctx.runs.run(run_id)
        except AzureMLException as exc:
            raise MlflowException(f"Run '{run_id}' not found", RESOURCE_DOES_NOT_EXIST) from exc

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        experiment = self._experiment_row(experiment_id)
        tag_map = {t.key: t.value for t in tags or []}
        run_name = run_name or tag_map.get(convert.RUN_NAME) or _generate_random_name()
        parent = tag_map.pop(convert.PARENT, None)
        tag_map.pop(convert.RUN_NAME, None)
        if parent is not None:
            self._row(parent)
        run_id = str(uuid.uuid4())
        self.ctx.runs.create_run(experiment["name"], run_id, run_type=RUN_TYPE, status="Running", start=True,
                                 parent_run_id=parent, display_name=run_name, tags=tag_map,
                                 experiment_id=experiment["id"])
        return self.get_run(run_id)

    def get_run(self, run_id: str):
        return convert.run(self.ctx, self._row(run_id))

    def update_run_info(self, run_id, run_status, end_time, run_name):
        row = self._row(run_id)
        if run_name:
            self.ctx.runs.update_run(run_id, display_name=run_name)
        status = run_status if isinstance(run_status, str) else _status_name(run_status)
        # A submitted run's status belongs to the engine (mlflow.end_run at exit must not complete a job).
        if row["run_type"] == RUN_TYPE and status in convert.FROM_MLFLOW:
            target = convert.FROM_MLFLOW[status]
            if target != row["status"]:
                self.ctx.runs.set_status(run_id, target, start=target == "Running",
                                         end=convert.is_terminal(status))
        return convert.run_info(self.ctx, self._row(run_id))

    def delete_run(self, run_id: str) -> None:
        raise MlflowException("Deleting runs is not supported by the Azure ML run history (the SDK has no "
                              "Run.delete either); tag the run instead.", INVALID_PARAMETER_VALUE)

    def restore_run(self, run_id: str) -> None:
        self._row(run_id)

    def log_batch(self, run_id, metrics, params, tags) -> None:
        _validate_batch_log_data(metrics, params, tags)
        if params or tags:
            self._row(run_id)
        rows = [(m.key, "scalar", json.dumps(float(m.value)), int(m.step or 0), (m.timestamp or 0) / 1000.0
                 or time.time()) for m in self._new_metrics(run_id, metrics)]
        try:
            self.ctx.mlflow.log_params(run_id, [(p.key, p.value) for p in params])
        except AzureMLException as exc:
            raise MlflowException(str(exc), INVALID_PARAMETER_VALUE) from exc
        if rows:
            try:  # metrics only (the hot path): the run is looked up only when the insert fails
                self.ctx.runs.log_metrics(run_id, rows)
            except Exception:
                self._row(run_id)
                raise
        tag_map = {t.key: t.value for t in tags}
        name = tag_map.pop(convert.RUN_NAME, None)
        if name:
            self.ctx.runs.update_run(run_id, display_name=name)
        if tag_map:
            self.ctx.runs.set_tags(run_id, tag_map)

    def _new_metrics(self, run_id: str, metrics: list) -> list:
        """Drop MLflow 3's copies of already logged values (same key, value, step and time) that it re-logs with
        a ``model_id`` when a model is logged: in the run history they would turn a scalar into a list."""
        linked = {m.key for m in metrics if getattr(m, "model_id", None)}
        if not linked:
            return list(metrics)
        seen = {(m.key, m.value, m.step, m.timestamp) for key in linked
                for m in convert.metrics(run_id, self.ctx.runs.metric_entries(run_id, key, kind="scalar"))}
        return [m for m in metrics if not (getattr(m, "model_id", None)
                                           and (m.key, float(m.value), m.step or 0, m.timestamp) in seen)]

    def delete_tag(self, run_id: str, key: str) -> None:
        if key not in self.ctx.runs.tags(self._row(run_id)["run_id"]):
            raise MlflowException(f"No tag with name: {key} in run with id {run_id}", RESOURCE_DOES_NOT_EXIST)
        self.ctx.runs.remove_tags(run_id, [key])

    def get_metric_history(self, run_id, metric_key, max_results=None, page_token=None):
        self._row(run_id)
        history = convert.metrics(run_id, self.ctx.runs.metric_entries(run_id, metric_key, kind="scalar"))
        return convert.page(history, None, max_results)

    def _search_runs(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        if run_view_type == ViewType.DELETED_ONLY:
            return [], None
        runs = []
        for experiment_id in experiment_ids:
            experiment = self._experiment_row(experiment_id)
            runs += [convert.run(self.ctx, r) for r in self.ctx.runs.list_runs(experiment_id=experiment["id"])]
        runs = SearchUtils.filter(runs, filter_string)
        runs = SearchUtils.sort(runs, order_by)
        return SearchUtils.paginate(runs, page_token, max_results)

    def log_inputs(self, run_id, datasets=None, models=None) -> None:
        """Dataset lineage is not recorded (the SDK's input datasets come from the job spec)."""
        self._row(run_id)

    def log_outputs(self, run_id, models) -> None:
        """A run's model outputs are derived from the logged models whose source is the run."""
        self._row(run_id)

    def link_traces_to_run(self, trace_ids, run_id) -> None:
        raise MlflowException("MLflow traces are not stored by azureml-local.", INVALID_PARAMETER_VALUE)

    def record_logged_model(self, run_id, mlflow_model) -> None:
        tags = self.ctx.runs.tags(self._row(run_id)["run_id"])
        history = json.loads(tags.get(_HISTORY_TAG) or "[]")
        history.append(mlflow_model.get_tags_dict())
        self.ctx.runs.set_tags(run_id, {_HISTORY_TAG: json.dumps(history)})

    # -- logged models (MLflow 3) ----------------------------------------------------------------
    def create_logged_model(self, experiment_id=DEFAULT_EXPERIMENT_ID, name=None, source_run_id=None, tags=None,
                            params=None, model_type=None):
        experiment = self._experiment_row(experiment_id)
        if source_run_id is None:
            raise MlflowException("azureml-local stores a model's files with the run that logged it: call "
                                  "mlflow.start_run() before log_model.", INVALID_PARAMETER_VALUE)
        self._row(source_run_id)
        name = name or _generate_random_name()
        model_id = f"m-{uuid.uuid4().hex}"
        # The files go into the run's artifacts under the model's name (``model/MLmodel``...), so
        # run.get_file_names() lists them and `runs:/<run>/<name>` resolves, as in Azure ML.
        location = f"{uris.run_artifact_uri(self.ctx.folder, source_run_id)}/{name}"
        row = self.ctx.mlflow.create_logged_model(model_id, experiment["id"], source_run_id, name, location,
                                                  model_type, convert.kv(tags), convert.kv(params))
        return convert.logged_model(row)

    def get_logged_model(self, model_id: str, allow_deleted: bool = False):
        row = self.ctx.mlflow.logged_model(model_id, allow_deleted)
        if row is None:
            raise MlflowException(f"Logged model with ID '{model_id}' not found.", RESOURCE_DOES_NOT_EXIST)
        return convert.logged_model(row)

    def finalize_logged_model(self, model_id, status):
        self.get_logged_model(model_id)
        self.ctx.mlflow.update_logged_model(model_id, status=str(status))
        return self.get_logged_model(model_id)

    def set_logged_model_tags(self, model_id, tags) -> None:
        self.get_logged_model(model_id)
        self.ctx.mlflow.update_logged_model(model_id, set_tags=convert.kv(tags))

    def delete_logged_model_tag(self, model_id, key) -> None:
        self.get_logged_model(model_id)
        self.ctx.mlflow.update_logged_model(model_id, remove_tags=[key])

    def delete_logged_model(self, model_id) -> None:
        self.get_logged_model(model_id)
        self.ctx.mlflow.update_logged_model(model_id, deleted=True)

    def search_logged_models(self, experiment_ids, filter_string=None, datasets=None, max_results=None,
                             order_by=None, page_token=None):
        ids = [self._experiment_row(e)["id"] for e in experiment_ids]
        models = [convert.logged_model(r) for r in self.ctx.mlflow.logged_models(ids)]
        models = SearchLoggedModelsUtils.filter_logged_models(models, filter_string, datasets)
        return convert.page(models, page_token, max_results)


def _status_name(status: Any) -> str:
    return RunStatus.to_string(status)
