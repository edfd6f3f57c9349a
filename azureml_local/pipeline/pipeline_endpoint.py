"""``azureml.pipeline.core.pipeline_endpoint``: one stable URL over versions of published pipelines.

Shapes, messages and printed text are the SDK's (pipeline_endpoint.py and the aeva provider):
versions are strings ``"0"``, ``"1"``...; ``add`` appends without changing the default,
``add_default`` also makes the new version the default; ``archive`` renames the endpoint to a
uuid and disables it. Rows live in ``ctx.published``; submissions go through
``publishing/submit.py:submit_endpoint`` like the REST route's.
"""
from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from datetime import datetime
from typing import Any

from azureml_local.exceptions import ServiceException
from azureml_local.pipeline.entity_text import entity_text
from azureml_local.pipeline.pipeline import Pipeline
from azureml_local.pipeline.published_pipeline import (PublishedPipeline, check_experiment, call_service,
                                                       queued_pipeline_run, sdk_request)
from azureml_local.pipeline.publishing.submit import find_endpoint, submit_endpoint
from azureml_local.service import control as service_control, urls
from azureml_local.store.published import EndpointNameTaken, PipelineAlreadyInEndpoint


def _submit_pipeline_endpoint(pipeline_endpoint: "PipelineEndpoint", workspace: Any, experiment_name: str,
                              **kwargs: Any) -> Any:
    """``Experiment.submit(pipeline_endpoint, ...)``: the SDK's accepted kwargs (others are ignored)."""
    pipeline_params = None
    for key, value in kwargs.items():
        if key == "pipeline_params":
            pipeline_params = value
            logging.warning("The 'pipeline_params' argument is deprecated. Please use 'pipeline_parameters' instead.")
        if key == "pipeline_parameters":
            pipeline_params = value
    return pipeline_endpoint.submit(experiment_name=experiment_name, pipeline_parameters=pipeline_params,
                                    parent_run_id=kwargs.get("parent_run_id"),
                                    pipeline_version=kwargs.get("pipeline_version"))


class PipelineIdVersion:
    """A version string and the id of the published pipeline it runs (``pipeline_version_list`` items)."""

    def __init__(self, version: str, pipeline_id: str):
        self._version = version
        self._pipeline_id = pipeline_id

    @property
    def version(self) -> str:
        return self._version

    @property
    def pipeline_id(self) -> str:
        return self._pipeline_id

    def __str__(self) -> str:
        return "PipelineIdVersion(Version: {},\nPipelineId: {})".format(self.version, self.pipeline_id)

    def __repr__(self) -> str:
        return self.__str__()


class PipelineVersion:
    """A version string and its ``PublishedPipeline`` (what ``list_versions`` returns)."""

    def __init__(self, version: str, pipeline: PublishedPipeline):
        self._version = version
        self._pipeline = pipeline

    @property
    def version(self) -> str:
        return self._version

    @property
    def pipeline(self) -> PublishedPipeline:
        return self._pipeline

    def __str__(self) -> str:
        return "PipelineVersion(version: {},\npipeline: {})".format(self.version, self.pipeline.id)

    def __repr__(self) -> str:
        return self.__str__()


class PipelineEndpoint:
    """A pipeline workflow triggered from one endpoint URL, whatever version is the default."""

    def __init__(self, workspace: Any, id: str, name: str, description: str, status: str, default_version: str,
                 endpoint: str, pipeline_version_list: list, _pipeline_endpoint_provider: Any = None,
                 _published_pipeline_provider: Any = None, _swaggerurl: str | None = None):
        self._workspace = workspace
        self._id = id
        self._name = name
        self._description = description
        self._status = status
        self._default_version = default_version
        self._endpoint = endpoint
        self._pipeline_version_list = pipeline_version_list
        self._pipeline_endpoint_provider = _pipeline_endpoint_provider
        self._published_pipeline_provider = _published_pipeline_provider
        self._swaggerurl = _swaggerurl

    @classmethod
    def _from_row(cls, workspace: Any, row: dict) -> "PipelineEndpoint":
        versions = [PipelineIdVersion(v["version"], v["pipeline_id"]) for v in row["versions"]]
        return cls(workspace, row["id"], row["name"], row["description"], row["status"], row["default_version"],
                   urls.pipeline_endpoint_url(workspace, row["id"]), versions,
                   _swaggerurl=urls.pipeline_endpoint_swagger_url(workspace))

    def _refresh(self, row: dict | None) -> None:
        if row is None:
            raise ServiceException(f"(PipelineEndpointNotFound) No pipeline endpoint with id '{self._id}' exists in "
                                   "this workspace.", status_code=404)
        fresh = PipelineEndpoint._from_row(self._workspace, row)
        self._name, self._description, self._status = fresh._name, fresh._description, fresh._status
        self._default_version, self._pipeline_version_list = fresh._default_version, fresh._pipeline_version_list

    @property
    def _store(self) -> Any:
        return self._workspace._context.published

    # -- properties ---------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._id

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str:
        return self._description

    @property
    def status(self) -> str:
        return self._status

    @property
    def default_version(self) -> str:
        return self._default_version

    @property
    def endpoint(self) -> str:
        """The REST URL (append ``/<version>`` for a version); reading it starts the workspace service if needed."""
        service_control.ensure_listening(self._workspace)
        return self._endpoint

    @property
    def pipeline_version_list(self) -> list:
        return self._pipeline_version_list

    @property
    def swaggerurl(self) -> str | None:
        return self._swaggerurl

    # -- creation and lookup --------------------------------------------------------------------
    @staticmethod
    def publish(workspace: Any, name: str, description: str, pipeline: Any, _workflow_provider: Any = None,
                _service_endpoint: Any = None) -> "PipelineEndpoint":
        """Create an endpoint whose version "0" is ``pipeline`` (a Pipeline is published first)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("The PipelineEndpoint name must be a non-empty string: endpoints are found by name.")
        if workspace._context.published.get_endpoint_by_name(name) is not None:
            raise ValueError("PipelineEndpoint already exists with the given name. Please choose a unique value.")
        if type(pipeline) not in [Pipeline, PublishedPipeline]:
            raise ValueError("pipeline should be either type Pipeline or PublishedPipeline")
        if type(pipeline) is Pipeline:
            timenow = datetime.now().strftime("%m-%d-%Y-%H-%M")
            pipeline_name = name + "-" + timenow + "-Pipeline"
            pipeline = pipeline.publish(name=pipeline_name, description="Description for " + pipeline_name)
        try:
            row = workspace._context.published.create_endpoint(name, description, pipeline.id)
        except EndpointNameTaken:
            raise ValueError("PipelineEndpoint already exists with the given name. Please choose a unique value.") \
                from None
        return PipelineEndpoint._from_row(workspace, row)

    @staticmethod
    def get(workspace: Any, id: str | None = None, name: str | None = None, _workflow_provider: Any = None,
            _service_endpoint: Any = None) -> "PipelineEndpoint":
        """The endpoint with this id (else this name)."""
        if id is None and name is None:
            raise Exception("Please, enter either id or name to get PipelineEndpoint")
        row = call_service(find_endpoint, workspace._context, id, name)
        return PipelineEndpoint._from_row(workspace, row)

    @staticmethod
    def get_all(workspace: Any, active_only: bool = True, _workflow_provider: Any = None,
                _service_endpoint: Any = None) -> list:
        logging.warning("PipelineEndpoint.get_all(workspace) is being deprecated. "
                        "Use PipelineEndpoint.list(workspace) instead.")
        return PipelineEndpoint.list(workspace=workspace, active_only=active_only)

    @staticmethod
    def list(workspace: Any, active_only: bool = True, max_results: int = 100, _workflow_provider: Any = None,
             _service_endpoint: Any = None) -> list:
        return [PipelineEndpoint._from_row(workspace, row)
                for row in workspace._context.published.list_endpoints(active_only, max_results)]

    # -- status and name ------------------------------------------------------------------------
    def enable(self) -> None:
        """Set the PipelineEndpoint to 'Active' and available to run."""
        self._refresh(self._store.update_endpoint(self.id, status="Active"))

    def disable(self) -> None:
        """Set the PipelineEndpoint to 'Disabled' and unavailable to run."""
        self._refresh(self._store.update_endpoint(self.id, status="Disabled"))

    def set_name(self, name: str) -> None:
        """Rename the endpoint (names are unique in the workspace)."""
        self._refresh(self._update(name=name))

    def archive(self) -> None:
        """Disable the endpoint and give it a generated name, freeing its name."""
        self._refresh(self._store.update_endpoint(self.id, name=str(uuid.uuid4()), status="Disabled"))

    def reactivate(self, name: str) -> "PipelineEndpoint":
        """Enable an archived endpoint under ``name``."""
        self._refresh(self._update(name=name, status="Active"))
        return PipelineEndpoint._from_row(self._workspace, self._store.get_endpoint(self.id))

    def _update(self, **fields: Any) -> dict | None:
        try:
            return self._store.update_endpoint(self.id, **fields)
        except EndpointNameTaken:
            raise ValueError("PipelineEndpoint already exists with the given name. Please choose a unique value.") \
                from None

    # -- versions --------------------------------------------------------------------------------
    def get_default_version(self) -> str:
        return self._default_version

    def get_pipeline(self, version: str | None = None) -> PublishedPipeline:
        """The published pipeline of ``version`` (default: the default version)."""
        if version is None:
            version = self._default_version
        for item in self.pipeline_version_list:
            if item.version == version:
                return PublishedPipeline.get(self._workspace, item.pipeline_id)
        raise ValueError("Version %s, pipeline not found in pipelineEndpoint %s" % (version, self.id))

    def get_all_versions(self, _workflow_provider: Any = None, _service_endpoint: Any = None) -> list:
        logging.warning("get_all_versions() is being deprecated. Use list_versions() instead.")
        return self.list_versions()

    def list_versions(self, _workflow_provider: Any = None, _service_endpoint: Any = None) -> list:
        """``PipelineVersion`` (version, published pipeline) of every version."""
        return [PipelineVersion(version=item.version, pipeline=PublishedPipeline.get(self._workspace, item.pipeline_id))
                for item in self._pipeline_version_list]

    def get_all_pipelines(self, active_only: bool = True, _workflow_provider: Any = None,
                          _service_endpoint: Any = None) -> list:
        logging.warning("get_all_pipelines() is being deprecated. Use list_pipelines() instead.")
        return self.list_pipelines(active_only=active_only)

    def list_pipelines(self, active_only: bool = True, _workflow_provider: Any = None,
                       _service_endpoint: Any = None) -> list:
        """The published pipelines of the endpoint's versions (Active ones only with ``active_only``)."""
        return [PublishedPipeline._from_row(self._workspace, row)
                for row in self._store.endpoint_pipelines(self.id, active_only=active_only)]

    def add(self, pipeline: Any) -> None:
        """Add ``pipeline`` as the next version; the default version does not change."""
        self._add(pipeline, make_default=False)

    def add_default(self, pipeline: Any) -> None:
        """Add ``pipeline`` as the next version and make it the default."""
        self._add(pipeline, make_default=True)

    def _add(self, pipeline: Any, make_default: bool) -> None:
        pipeline_id = pipeline.id
        try:
            row = self._store.add_endpoint_version(self.id, pipeline_id, make_default=make_default)
        except PipelineAlreadyInEndpoint:
            raise ValueError("Cannot add pipeline , pipeline id %s exists in PipelineEndpoint {%s}"
                             % (pipeline_id, self.id)) from None
        self._refresh(row)

    def set_default_version(self, version: str) -> None:
        """Make ``version`` (one of the endpoint's) the default."""
        if not any(item.version == version for item in self._pipeline_version_list):
            raise ValueError("Cannot set version %s, does not exist in pipeline endpoint %s. Please, use add()"
                             " or add_default() to add " % (version, self.id))
        self._refresh(self._store.update_endpoint(self.id, default_version=version))

    def set_default(self, pipeline: Any) -> None:
        """Make the version that runs ``pipeline`` the default."""
        pipeline_id = pipeline.id
        version = next((item.version for item in self._pipeline_version_list if item.pipeline_id == pipeline_id),
                       None)
        if version is None:
            raise ValueError("Cannot set pipeline, pipeline id %s does not exist in pipeline endpoint %s."
                             " Please, use add() or add_default() to add " % (pipeline_id, self.id))
        self._refresh(self._store.update_endpoint(self.id, default_version=version))

    # -- submit ------------------------------------------------------------------------------------
    def submit(self, experiment_name: str, pipeline_parameters: dict | None = None, parent_run_id: str | None = None,
               pipeline_version: str | None = None) -> Any:
        """Start ``pipeline_version`` (default: the default version); returns the PipelineRun (prints nothing)."""
        status = self.status
        if status != "Active":
            raise ValueError("Status must be Active, its %s" % status)
        check_experiment(self._workspace, experiment_name)
        request = sdk_request(self._workspace, experiment_name, pipeline_parameters, parent_run_id)
        run_id = call_service(submit_endpoint, self._workspace._context, request, endpoint_id=self.id,
                              version=pipeline_version)
        return queued_pipeline_run(self._workspace, experiment_name, run_id)

    # -- display -------------------------------------------------------------------------------------
    def __str__(self) -> str:
        info = OrderedDict([("Name", self.name), ("Id", self.id), ("Description", self.description),
                            ("Pipelines", [(v.version, v.pipeline) for v in self.list_versions()])])
        return entity_text("PipelineEndpoint", info)

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        import html

        rows = "".join(f"<tr><td>{html.escape(v.version)}</td><td>{html.escape(v.pipeline_id)}</td></tr>"
                       for v in self._pipeline_version_list)
        return (f"<table><tr><th>Name</th><th>Id</th><th>Description</th><th>Status</th></tr><tr>"
                f"<td>{html.escape(str(self.name))}</td><td>{html.escape(self.id)}</td>"
                f"<td>{html.escape(str(self.description))}</td><td>{html.escape(self.status)}</td></tr></table>"
                f"<table><tr><th>Version</th><th>Pipeline</th></tr>{rows}</table>")
