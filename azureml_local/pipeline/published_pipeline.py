"""``azureml.pipeline.core.graph.PublishedPipeline``: a stored, immutable pipeline definition.

Shapes, defaults and printed lines are the SDK's (graph.py ``PublishedPipeline``); the rows live
in ``ctx.published`` and every submission goes through ``publishing/submit.py`` (the same path
the REST endpoint and schedules take). A service-side rejection surfaces as the SDK's service
error: ``ServiceException`` with the HTTP status and the message the REST body carries.
"""
from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from typing import Any, Callable, TypeVar

from azureml_local.exceptions import ServiceException
from azureml_local.experiment import Experiment
from azureml_local.pipeline.builder_io import is_a, is_dataset
from azureml_local.pipeline.entity_text import entity_text
from azureml_local.pipeline.pipeline_run import PipelineRun
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest
from azureml_local.pipeline.publishing.submit import submit_published
from azureml_local.service import control as service_control, urls

T = TypeVar("T")


def call_service(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a ``publishing`` call, raising what the SDK raises when the service answers 4xx."""
    try:
        return func(*args, **kwargs)
    except SubmissionRejected as exc:
        raise ServiceException(f"({exc.code}) {exc.message}", status_code=exc.status) from None


def sdk_assignments(workspace: Any, pipeline_parameters: dict | None) -> dict[str, dict]:
    """``pipeline_parameters`` as the SDK sends them (``_AevaGraphProvider._get_parameter_assignments``):
    scalars as ``str(value)``, DataPaths as DataPathAssignments, datasets as SavedDataSetReference;
    anything else is refused. Keys are the ``SubmitRequest`` field names (schedules store the same dict)."""
    params, datapaths, datasets = {}, {}, {}
    for name, value in (pipeline_parameters or {}).items():
        value = getattr(value, "default_value", value) if is_a(value, "PipelineParameter") else value
        if is_a(value, "DataPath"):
            datapaths[name] = {"DataStoreName": value.datastore_name, "RelativePath": value.path_on_datastore}
        elif is_dataset(value):
            dataset_id = getattr(value, "id", None) or value._ensure_saved(workspace)
            datasets[name] = {"SavedDataSetReference": {"Id": dataset_id}}
        elif type(value) in (str, int, float, bool):
            params[name] = str(value)
        else:
            raise Exception("Invalid parameter type {0}".format(str(type(value))))
    return {"parameter_assignments": params, "data_path_assignments": datapaths, "dataset_assignments": datasets}


def sdk_request(workspace: Any, experiment_name: str, pipeline_parameters: dict | None,
                parent_run_id: str | None = None, continue_on_step_failure: bool | None = None) -> SubmitRequest:
    """The body the SDK sends for a submit of ``pipeline_parameters`` to ``experiment_name``."""
    return SubmitRequest(experiment_name=experiment_name, description=experiment_name, run_source="SDK",
                         run_type="SDK", continue_on_step_failure=continue_on_step_failure,
                         parent_run_id=parent_run_id, **sdk_assignments(workspace, pipeline_parameters))


def queued_pipeline_run(workspace: Any, experiment_name: str, run_id: str) -> Any:
    """Wake the service for the queued run and return the SDK ``PipelineRun``."""
    service_control.wake(workspace)
    return PipelineRun._for_id(workspace, experiment_name, run_id)


def save_definition(definition: dict, name: str, path: str | None) -> None:
    """``save(path)`` of published pipelines and drafts: the definition as JSON, ``<folder>/<name>.yml`` for a folder."""
    if not path:
        path = os.getcwd()
    if os.path.isdir(path):
        path = os.path.join(path, name + ".yml")
    with open(path, "w") as out:
        json.dump(definition, out, indent=2)


def check_experiment(workspace: Any, experiment_name: str) -> None:
    """The SDK builds the Experiment first: a bad name raises its UserErrorException before any request."""
    Experiment(workspace, experiment_name, _create_in_cloud=False)


def _submit_published_pipeline(published_pipeline: "PublishedPipeline", workspace: Any, experiment_name: str,
                               **kwargs: Any) -> Any:
    """``Experiment.submit(published_pipeline, ...)``: the SDK's accepted kwargs (others are ignored)."""
    pipeline_parameters = None
    for key, value in kwargs.items():
        if key == "pipeline_params":
            pipeline_parameters = value
            logging.warning("The 'pipeline_params' argument is deprecated. Please use 'pipeline_parameters' instead.")
        elif key == "pipeline_parameters":
            pipeline_parameters = value
    return published_pipeline.submit(workspace=workspace, experiment_name=experiment_name,
                                     pipeline_parameters=pipeline_parameters, parent_run_id=kwargs.get("parent_run_id"),
                                     continue_on_step_failure=kwargs.get("continue_on_step_failure"))


class PublishedPipeline:
    """A pipeline submitted without the Python code that built it (and through its REST endpoint)."""

    def __init__(self, name: str, graph_id: str, description: str, version: str, published_pipeline_id: str,
                 status: str, endpoint: str, total_run_steps: int, workspace: Any,
                 continue_on_step_failure: bool | None = None, _pipeline_provider: Any = None, **kwargs: Any):
        self._name = name
        self._description = description
        self._version = version
        self._graph_id = graph_id
        self._published_pipeline_id = published_pipeline_id
        self._status = status
        self._endpoint = endpoint
        self._total_run_steps = total_run_steps
        self._pipeline_provider = _pipeline_provider
        self._continue_on_step_failure = continue_on_step_failure
        self.workspace = workspace
        self._enable_email_notification = None
        for key, value in kwargs.items():
            if key == "enable_email_notification":
                self._enable_email_notification = value
            else:
                raise ValueError("parameter %s is not recognized for PublishedPipeline " % key)

    @classmethod
    def _from_row(cls, workspace: Any, row: dict) -> "PublishedPipeline":
        return cls(name=row["name"], graph_id=row["graph_id"], description=row["description"],
                   version=row["version"], published_pipeline_id=row["id"], status=row["status"],
                   endpoint=urls.published_pipeline_url(workspace, row["id"]),
                   total_run_steps=row["total_run_steps"], workspace=workspace,
                   continue_on_step_failure=row["continue_on_step_failure"])

    # -- properties ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str:
        return self._description

    @property
    def id(self) -> str:
        return self._published_pipeline_id

    @property
    def graph_id(self) -> str:
        return self._graph_id

    @property
    def version(self) -> str:
        return self._version

    @property
    def status(self) -> str:
        return self._status

    @property
    def endpoint(self) -> str:
        """The REST URL to POST to; reading it starts the workspace service when none runs and waits until its port takes connections, so a POST right after is not refused."""
        if self.workspace is not None:
            service_control.ensure_listening(self.workspace)
        return self._endpoint

    @property
    def total_run_steps(self) -> int:
        return self._total_run_steps

    @property
    def continue_on_step_failure(self) -> bool | None:
        return self._continue_on_step_failure

    @property
    def portal_url(self) -> str:
        return self.get_portal_url()

    def get_portal_url(self) -> str:
        """The local Studio's page of published pipelines (REST URL and copyable examples of this one)."""
        return urls.studio_url(self.workspace, "pipelines")

    # -- operations ---------------------------------------------------------------------------
    def submit(self, workspace: Any, experiment_name: str, pipeline_parameters: dict | None = None,
               _workflow_provider: Any = None, _service_endpoint: Any = None, parent_run_id: str | None = None,
               continue_on_step_failure: bool | None = None) -> Any:
        """Start a run of this published pipeline; prints the SDK's two lines and returns the PipelineRun."""
        check_experiment(workspace, experiment_name)
        request = sdk_request(workspace, experiment_name, pipeline_parameters, parent_run_id, continue_on_step_failure)
        run_id = call_service(submit_published, workspace._context, self.id, request)
        print("Submitted PipelineRun", run_id)
        run = queued_pipeline_run(workspace, experiment_name, run_id)
        print("Link to Azure Machine Learning Portal:", run.get_portal_url())
        return run

    @staticmethod
    def get(workspace: Any, id: str, _workflow_provider: Any = None, _service_endpoint: Any = None
            ) -> "PublishedPipeline":
        row = workspace._context.published.get_pipeline(id) if isinstance(id, str) else None
        if row is None:
            raise ServiceException(f"(PipelineNotFound) No published pipeline with id '{id}' exists in this "
                                   "workspace. PublishedPipeline.list(ws) lists them.", status_code=404)
        return PublishedPipeline._from_row(workspace, row)

    @staticmethod
    def get_all(workspace: Any, active_only: bool = True, _service_endpoint: Any = None) -> list:
        logging.warning("PublishedPipeline.get_all(workspace) is being deprecated. "
                        "Use PublishedPipeline.list(workspace) instead.")
        return PublishedPipeline.list(workspace=workspace, active_only=active_only,
                                      _service_endpoint=_service_endpoint)

    @staticmethod
    def list(workspace: Any, active_only: bool = True, _service_endpoint: Any = None) -> list:
        """Published pipelines of the workspace, oldest first (only Active ones with ``active_only``)."""
        return [PublishedPipeline._from_row(workspace, row)
                for row in workspace._context.published.list_pipelines(active_only=active_only)]

    def enable(self) -> None:
        """Set the published pipeline to 'Active' and available to run."""
        self._set_status("Active")

    def disable(self) -> None:
        """Set the published pipeline to 'Disabled' and unavailable to run."""
        self._set_status("Disabled")

    def _set_status(self, new_status: str) -> None:
        if not self.workspace._context.published.set_pipeline_status(self.id, new_status):
            raise ServiceException(f"(PipelineNotFound) No published pipeline with id '{self.id}' exists in this "
                                   "workspace.", status_code=404)
        self._status = new_status

    def _definition(self) -> dict:
        row = self.workspace._context.published.get_pipeline(self.id)
        if row is None:
            raise ServiceException(f"(PipelineNotFound) No published pipeline with id '{self.id}' exists in this "
                                   "workspace.", status_code=404)
        return row["definition"]

    def get_graph(self, _workflow_provider: Any = None) -> dict:
        """The stored pipeline definition (docs/pipeline-definition.md), as ``PipelineRun.get_graph`` returns it."""
        return self._definition()

    def get_step_names(self, _workflow_provider: Any = None) -> list[str]:
        return [step["name"] for step in self.get_graph()["steps"]]

    def save(self, path: str | None = None, _workflow_provider: Any = None) -> None:
        """Write the published definition to ``path`` (a folder: ``<folder>/<name>.yml``; default: cwd).

        The SDK writes ModuleStep YAML; azureml-local writes its JSON definition (valid YAML).
        """
        save_definition(self.get_graph(), self.name or self.id, path)

    # -- display --------------------------------------------------------------------------------
    def _get_base_info_dict(self, show_link: bool = False) -> OrderedDict:
        ident, endpoint = self.id, self._endpoint
        if show_link:
            ident = f'<a href="{self.get_portal_url()}" target="_blank">{self.id}</a>'
            endpoint = f'<a href="{self._endpoint}" target="_blank">REST Endpoint</a>'
        return OrderedDict([("Name", self.name), ("Id", ident), ("Status", self.status), ("Endpoint", endpoint)])

    def _repr_html_(self) -> str:
        import html

        info = self._get_base_info_dict(show_link=True)
        head = "".join(f"<th>{html.escape(k)}</th>" for k in info)
        cells = "".join(f"<td>{v if k in ('Id', 'Endpoint') else html.escape(str(v))}</td>" for k, v in info.items())
        return f"<table style=\"width:100%\"><tr>{head}</tr><tr>{cells}</tr></table>"

    def __str__(self) -> str:
        return entity_text("Pipeline", self._get_base_info_dict(show_link=False))

    def __repr__(self) -> str:
        return self.__str__()

    def _to_dict_cli(self, verbose: bool = True) -> dict:
        result = self._get_base_info_dict(show_link=False)
        if verbose:
            result["Description"] = self.description
            result["Version"] = self.version
            result["TotalRunSteps"] = self.total_run_steps
        return result
