"""``azureml.pipeline.core.PipelineDraft``: a mutable pipeline to iterate on, submit and publish.

A draft holds a pipeline definition (docs/pipeline-definition.md, snapshotted like a submit),
the parameters and settings to run it with, and the SDK's bookkeeping (tags, properties, the
pipeline/run/draft it was cloned from, the last run it submitted). ``update(pipeline=...)``
replaces the definition; ``publish()`` stores it as a PublishedPipeline. Rows live in
``ctx.published`` (the drafts table).
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from azureml_local.exceptions import ServiceException
from azureml_local.pipeline.pipeline import Pipeline
from azureml_local.pipeline.pipeline_run import PipelineRun
from azureml_local.pipeline.published_pipeline import PublishedPipeline, save_definition
from azureml_local.pipeline.publishing.submit import publish_definition
from azureml_local.pipeline.submission import json_parameters, start_pipeline_run


def _submit_draft(pipeline_draft: "PipelineDraft", workspace: Any, experiment_name: str, **kwargs: Any) -> Any:
    """``Experiment.submit(pipeline_draft)``: runs the draft in that experiment."""
    pipeline_draft._experiment_name = experiment_name
    return pipeline_draft.submit_run()


def _snapshot_definition(pipeline: Pipeline, pipeline_parameters: dict | None) -> dict:
    """Validate the parameters and finalize the pipeline, as the SDK's ``_validate_and_finalize`` does."""
    pipeline._validate_parameters(pipeline_parameters)
    pipeline._check_acyclic()
    definition = pipeline._definition()
    pipeline._finalize(definition)
    return definition


class PipelineDraft:
    """A mutable pipeline definition with the settings to run it."""

    def __init__(self, workspace: Any, id: str, name: str | None = None, description: str | None = None,
                 experiment_name: str | None = None, tags: dict | None = None, properties: dict | None = None,
                 graph_draft_id: str | None = None, parent_pipeline_id: str | None = None,
                 parent_pipeline_run_id: str | None = None, parent_step_run_ids: list | None = None,
                 parent_pipeline_draft_id: str | None = None, last_submitted_pipeline_run_id: str | None = None,
                 _pipeline_draft_provider: Any = None):
        self._workspace = workspace
        self._id = id
        self._name = name
        self._description = description
        self._tags = tags
        self._properties = properties
        self._parent_pipeline_id = parent_pipeline_id
        self._parent_pipeline_run_id = parent_pipeline_run_id
        self._parent_step_run_ids = parent_step_run_ids
        self._parent_pipeline_draft_id = parent_pipeline_draft_id
        self._last_submitted_pipeline_run_id = last_submitted_pipeline_run_id
        self._graph_draft_id = graph_draft_id
        self._experiment_name = experiment_name
        self._pipeline_draft_provider = _pipeline_draft_provider

    @classmethod
    def _from_row(cls, workspace: Any, row: dict) -> "PipelineDraft":
        return cls(workspace, row["id"], name=row["name"], description=row["description"],
                   experiment_name=row["experiment_name"], tags=row["tags"], properties=row["properties"],
                   graph_draft_id=row["graph_draft_id"], parent_pipeline_id=row["parent_pipeline_id"],
                   parent_pipeline_run_id=row["parent_pipeline_run_id"],
                   parent_step_run_ids=row["parent_step_run_ids"],
                   parent_pipeline_draft_id=row["parent_pipeline_draft_id"],
                   last_submitted_pipeline_run_id=row["last_submitted_pipeline_run_id"])

    def _row(self) -> dict:
        row = self._workspace._context.published.get_draft(self._id)
        if row is None:
            raise ServiceException(f"(PipelineDraftNotFound) No pipeline draft with id '{self._id}' exists in this "
                                   "workspace (it may have been deleted). PipelineDraft.list(ws) lists them.",
                                   status_code=404)
        return row

    # -- properties ---------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._id

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def tags(self) -> dict | None:
        return self._tags

    @property
    def properties(self) -> dict | None:
        return self._properties

    @property
    def parent_pipeline_id(self) -> str | None:
        return self._parent_pipeline_id

    @property
    def parent_pipeline_run_id(self) -> str | None:
        return self._parent_pipeline_run_id

    @property
    def parent_step_run_ids(self) -> list | None:
        return self._parent_step_run_ids

    @property
    def parent_pipeline_draft_id(self) -> str | None:
        return self._parent_pipeline_draft_id

    @property
    def last_submitted_pipeline_run_id(self) -> str | None:
        return self._last_submitted_pipeline_run_id

    # -- create / get / list ---------------------------------------------------------------------
    @staticmethod
    def get(workspace: Any, id: str, _workflow_provider: Any = None, _service_endpoint: Any = None) -> "PipelineDraft":
        return PipelineDraft._from_row(workspace, PipelineDraft(workspace, id)._row())

    @staticmethod
    def create(workspace: Any, pipeline: Any, name: str | None = None, description: str | None = None,
               experiment_name: str | None = None, pipeline_parameters: dict | None = None,
               continue_on_step_failure: bool | None = None, tags: dict | None = None,
               properties: dict | None = None, _workflow_provider: Any = None,
               _service_endpoint: Any = None) -> "PipelineDraft":
        """A draft from a Pipeline (needs name and experiment_name), or a copy of a PublishedPipeline,
        a PipelineRun or another PipelineDraft."""
        if type(pipeline) not in [Pipeline, PublishedPipeline, PipelineDraft, PipelineRun]:
            raise ValueError("pipeline should be of type Pipeline, PublishedPipeline, PipelineDraft, or PipelineRun")
        store = workspace._context.published
        if type(pipeline) is Pipeline:
            definition = _snapshot_definition(pipeline, pipeline_parameters)
            if name is None:
                raise ValueError("name can not be None")
            if experiment_name is None:
                raise ValueError("experiment_name can not be None")
            row = store.create_draft(definition, name=name, description=description, experiment_name=experiment_name,
                                     parameters=json_parameters(pipeline_parameters or {}),
                                     continue_on_step_failure=continue_on_step_failure, tags=tags or {},
                                     properties=properties or {})
        elif type(pipeline) is PipelineDraft:
            source = pipeline._row()
            row = store.create_draft(source["definition"], **{k: source[k] for k in (
                "name", "description", "experiment_name", "parameters", "continue_on_step_failure", "tags",
                "properties", "parent_pipeline_id", "parent_pipeline_run_id", "parent_step_run_ids")},
                parent_pipeline_draft_id=source["id"])
        elif type(pipeline) is PipelineRun:
            run_row = workspace._context.pipeline_runs.get(pipeline.id)
            definition = json.loads(run_row["definition"])
            row = store.create_draft(definition, name=definition.get("description") or pipeline.id,
                                     description=definition.get("description"),
                                     experiment_name=run_row["experiment_name"],
                                     parameters=json.loads(run_row["parameters"]),
                                     continue_on_step_failure=bool(run_row["continue_on_step_failure"]),
                                     parent_pipeline_run_id=pipeline.id,
                                     parent_step_run_ids=[s["step_run_id"] for s in
                                                          workspace._context.pipeline_runs.steps(pipeline.id)])
        else:
            published = workspace._context.published.get_pipeline(pipeline.id)
            row = store.create_draft(published["definition"], name=published["name"],
                                     description=published["description"],
                                     continue_on_step_failure=published["continue_on_step_failure"],
                                     parent_pipeline_id=published["id"])
        return PipelineDraft._from_row(workspace, row)

    @staticmethod
    def list(workspace: Any, tags: dict | None = None, _workflow_provider: Any = None) -> list:
        """Drafts of the workspace, oldest first; with ``tags`` only those carrying all of them."""
        return [PipelineDraft._from_row(workspace, row) for row in workspace._context.published.list_drafts(tags)]

    # -- use ------------------------------------------------------------------------------------------
    def get_graph(self, _workflow_provider: Any = None) -> dict:
        """The draft's pipeline definition (docs/pipeline-definition.md)."""
        return self._row()["definition"]

    def submit_run(self, _workflow_provider: Any = None) -> Any:
        """Start a run of the draft in its experiment; returns the PipelineRun."""
        row = self._row()
        experiment_name = self._experiment_name or row["experiment_name"]
        if not experiment_name:
            raise ValueError("experiment_name can not be None")
        definition = dict(row["definition"], continue_on_step_failure=bool(row["continue_on_step_failure"]))
        run = start_pipeline_run(self._workspace, experiment_name, definition, row["parameters"],
                                 continue_on_step_failure=bool(row["continue_on_step_failure"]))
        self._workspace._context.published.update_draft(self.id, last_submitted_pipeline_run_id=run.id)
        self._last_submitted_pipeline_run_id = run.id
        return run

    def publish(self, _workflow_provider: Any = None) -> PublishedPipeline:
        """Store the draft's definition as a new PublishedPipeline."""
        row = self._row()
        published = publish_definition(self._workspace._context, row["definition"], row["name"], row["description"],
                                       None, row["continue_on_step_failure"])
        return PublishedPipeline._from_row(self._workspace, published)

    def delete(self, _workflow_provider: Any = None) -> None:
        if not self._workspace._context.published.delete_draft(self.id):
            self._row()  # raises the not-found error

    def update(self, pipeline: Any = None, name: str | None = None, description: str | None = None,
               experiment_name: str | None = None, tags: dict | None = None, pipeline_parameters: dict | None = None,
               continue_on_step_failure: bool | None = None, _workflow_provider: Any = None) -> None:
        """Change the given fields (a new ``pipeline`` replaces the definition)."""
        definition = None
        if pipeline is not None:
            if not isinstance(pipeline, Pipeline):
                raise ValueError("pipeline should be of type Pipeline")
            definition = _snapshot_definition(pipeline, pipeline_parameters)
        self._row()
        updated = self._workspace._context.published.update_draft(
            self.id, definition=definition, name=name, description=description, experiment_name=experiment_name,
            tags=tags, continue_on_step_failure=continue_on_step_failure,
            parameters=None if pipeline_parameters is None else json_parameters(pipeline_parameters))
        self._name, self._description = updated["name"], updated["description"]
        self._tags, self._properties = updated["tags"], updated["properties"]
        self._experiment_name = updated["experiment_name"]

    def save(self, path: str | None = None, _workflow_provider: Any = None) -> None:
        """Write the draft's definition to ``path`` (a folder: ``<folder>/<name>.yml``; default: cwd)."""
        save_definition(self.get_graph(), self.name or self.id, path)

    # -- display -------------------------------------------------------------------------------------
    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("Name", self.name), ("Id", self.id), ("Tags", self.tags), ("Properties", self.properties),
                            ("Last Submitted Pipeline Run Id", self.last_submitted_pipeline_run_id)])

    def __str__(self) -> str:
        info = self._get_base_info_dict()
        return "Pipeline({0})".format(",\n".join("{}: {}".format(k, v) for k, v in info.items()))

    def __repr__(self) -> str:
        return self.__str__()

    def _to_dict_cli(self, verbose: bool = True) -> dict:
        result = self._get_base_info_dict()
        if verbose:
            result["Description"] = self.description
        return result
