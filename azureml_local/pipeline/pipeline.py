"""``azureml.pipeline.core.Pipeline``: steps -> graph at construction, definition + run at submit.

Construction builds the graph and describes every step (so the SDK's construction
errors: unknown compute, missing script, unconnected inputs, raise from ``Pipeline()``).
``submit`` validates parameters, snapshots and fingerprints the steps, prints what the
SDK prints and hands the JSON definition to ``submission.start_pipeline_run``.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline import definition as definition_mod, graph_datasources, pipeline_yaml, reuse
from azureml_local.pipeline.builder_io import datastore_name
from azureml_local.pipeline.graph_build import GraphBuilder
from azureml_local.pipeline.graph_params import check_submitted

_log = logging.getLogger(__name__)

_SUBMIT_KWARGS = ("continue_on_step_failure", "regenerate_outputs", "pipeline_parameters", "pipeline_params",
                  "parent_run_id", "_parent_run_id", "enable_email_notification", "credential_passthrough")


def _submit_pipeline(pipeline: "Pipeline", workspace: Any, experiment_name: str, **kwargs: Any) -> Any:
    """``Experiment.submit(pipeline, ...)``: the SDK's accepted kwargs; unknown ones are ignored (as in the SDK)."""
    params = kwargs.get("pipeline_parameters")
    if "pipeline_params" in kwargs:
        _log.warning("The 'pipeline_params' argument is deprecated. Please use 'pipeline_parameters' instead.")
        params = kwargs["pipeline_params"] if params is None else params
    return pipeline.submit(experiment_name, pipeline_parameters=params,
                           continue_on_step_failure=bool(kwargs.get("continue_on_step_failure", False)),
                           regenerate_outputs=bool(kwargs.get("regenerate_outputs", False)),
                           parent_run_id=kwargs.get("parent_run_id", kwargs.get("_parent_run_id")),
                           enable_email_notification=kwargs.get("enable_email_notification"),
                           credential_passthrough=kwargs.get("credential_passthrough"),
                           _tags=kwargs.get("tags"))


class Pipeline:
    """A collection of steps run as one reusable workflow."""

    def __init__(self, workspace: Any, steps: Any, description: str | None = None, default_datastore: Any = None,
                 default_source_directory: str | None = None, resolve_closure: bool = True,
                 _workflow_provider: Any = None, _service_endpoint: Any = None, **kwargs: Any):
        self._enable_email_notification = None
        for key, value in kwargs.items():
            if key == "enable_email_notification":
                self._enable_email_notification = value
            else:
                raise ValueError("parameter %s is not recognized for Pipeline " % key)
        self._workspace = workspace
        self._name = description
        self._description = description
        self._default_source_directory = default_source_directory
        self._default_datastore = _default_datastore_name(workspace, default_datastore)
        self._context = definition_mod.BuildContext(workspace, self._default_datastore, default_source_directory)
        self._graph = GraphBuilder(resolve_closure=resolve_closure).build(steps)
        self._described = definition_mod.describe(self._graph, self._context)
        self._parameters = definition_mod.parameters(self._graph)
        self._datasource_ids: dict[str, str] = {}
        self._finalized = False  # the SDK finalizes (prints "Created step ...") once per Pipeline object

    @property
    def graph(self) -> Any:
        """The step graph (nodes keyed by 8-character node ids)."""
        return self._graph

    def service_endpoint(self) -> str:
        return self._workspace._service_endpoint()

    @property
    def description(self) -> str | None:
        return self._description

    def validate(self) -> list[str]:
        """Errors as the SDK lists them (empty when valid); when valid, prints what would be created."""
        errors: list[str] = []
        cycle = self._graph.find_cycle()
        if cycle:
            errors.append(cycle)
        node_ids = set(self._graph.nodes)
        for step in self._described:
            for inp in step["inputs"]:
                if inp.get("kind") == "step_output" and inp["producer"] not in node_ids:
                    errors.append("Edge src[Missing] dst[%s (%s)]" % (inp["name"], step["node_id"]))
        if not errors and not self._finalized:  # a finalized graph has nothing left to create
            definition = self._definition(snapshot=False)
            for step in definition["steps"]:
                if not (step["allow_reuse"] and _eligible(self._workspace, step)):
                    print("Step %s is ready to be created [%s]" % (step["name"], step["node_id"]))
            self._print_datasources(definition, dry_run=True)
        return errors

    def _check_acyclic(self) -> None:
        """The SDK builds a cyclic graph (``validate()`` reports it) and the service rejects it: so do we."""
        cycle = self._graph.find_cycle()
        if cycle is not None:
            raise ValueError(cycle + ". Steps cannot wait for each other in a loop: remove a run_after call or "
                             "a data dependency that closes the loop.")

    def _finalize(self, definition: dict, regenerate_outputs: bool = False) -> None:
        """Print what the SDK's ``Graph.finalize`` prints: only the first time, or again with regenerate_outputs."""
        if self._finalized and not regenerate_outputs:
            return
        for step in definition["steps"]:
            reusable = step["allow_reuse"] and not regenerate_outputs and _eligible(self._workspace, step)
            print("Created step %s [%s][%s], (%s)" % (
                step["name"], step["node_id"], _module_id(step),
                "This step is eligible to reuse a previous run's output" if reusable
                else "This step will run and generate new outputs"))
        if not self._finalized:  # data sources are resolved once, even when regenerating
            self._print_datasources(definition, regenerate_outputs=regenerate_outputs)
        self._finalized = True

    def _print_datasources(self, definition: dict, dry_run: bool = False, regenerate_outputs: bool = False) -> None:
        sources = graph_datasources.datasources(definition)
        ids = graph_datasources.node_ids(sources, self._datasource_ids)
        graph_datasources.print_datasources(self._workspace, sources, ids, dry_run=dry_run,
                                            regenerate_outputs=regenerate_outputs)

    def _definition(self, snapshot: bool = True) -> dict:
        """The JSON definition (``docs/pipeline-definition.md``) with fingerprints."""
        return definition_mod.finalize(self._described, self._parameters, self._context, self._description,
                                       snapshot=snapshot)

    def _validate_parameters(self, pipeline_parameters: dict | None) -> None:
        check_submitted(self._parameters, pipeline_parameters)

    def submit(self, experiment_name: str, pipeline_parameters: dict | None = None,
               continue_on_step_failure: bool = False, regenerate_outputs: bool = False,
               parent_run_id: str | None = None, credential_passthrough: Any = None, **kwargs: Any) -> Any:
        """Start a run of this pipeline in ``experiment_name``; returns the ``PipelineRun``."""
        from azureml_local.experiment import Experiment  # light: the SDK core stays off pipeline construction
        from azureml_local.pipeline.submission import start_pipeline_run  # light: run records, service control

        Experiment(self._workspace, experiment_name, _create_in_cloud=False)  # the SDK checks the name first
        tags = kwargs.pop("_tags", None)
        for key in kwargs:
            if key != "enable_email_notification":
                raise ValueError("parameter %s is not recognized for Pipeline " % key)
        self._validate_parameters(pipeline_parameters)
        self._check_acyclic()
        definition = self._definition()
        definition["continue_on_step_failure"] = bool(continue_on_step_failure)
        self._finalize(definition, regenerate_outputs)
        run = start_pipeline_run(self._workspace, experiment_name, definition,
                                 pipeline_parameters=pipeline_parameters, regenerate_outputs=regenerate_outputs,
                                 continue_on_step_failure=continue_on_step_failure, tags=tags,
                                 parent_run_id=parent_run_id)
        print("Submitted PipelineRun", run.id)
        print("Link to Azure Machine Learning Portal:", run.get_portal_url())
        return run

    def publish(self, name: str | None = None, description: str | None = None, version: str | None = None,
                continue_on_step_failure: bool | None = None) -> Any:
        """Store this pipeline as a PublishedPipeline: its definition and step snapshots as they are now."""
        from azureml_local.pipeline.published_pipeline import PublishedPipeline  # light: publishing rows
        from azureml_local.pipeline.publishing.submit import publish_definition

        self._check_acyclic()
        definition = self._definition()
        self._finalize(definition)
        row = publish_definition(self._workspace._context, definition, name, description, version,
                                 continue_on_step_failure)
        return PublishedPipeline._from_row(self._workspace, row)

    @staticmethod
    def load_yaml(workspace: Any, filename: str, _workflow_provider: Any = None, _service_endpoint: Any = None) -> Any:
        """A Pipeline from the SDK's pipeline YAML (ModuleStep, PythonScriptStep and AdlaStep steps)."""
        steps, description = pipeline_yaml.load_steps(workspace, filename)
        return Pipeline(workspace=workspace, steps=steps, description=description)


def _default_datastore_name(workspace: Any, default_datastore: Any) -> str:
    if default_datastore is not None:
        return datastore_name(default_datastore)  # type: ignore[return-value]
    return datastore_name(workspace.get_default_datastore(), "workspaceblobstore")  # type: ignore[return-value]


def _eligible(ws: Any, step: dict) -> bool:
    return reuse.is_known_fingerprint(ws, step["fingerprint"])


def _module_id(step: dict) -> str:
    """The id printed where the SDK prints the service's module id: a GUID made from the fingerprint."""
    import uuid

    return str(uuid.UUID(step["fingerprint"][:32]))

