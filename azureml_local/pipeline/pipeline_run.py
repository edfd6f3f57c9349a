"""``PipelineRun`` (``azureml.pipeline.core.PipelineRun``): a submitted pipeline.

Status comes from the run history, its one home (``status.pipeline_status`` maps it to
the PipelineRun vocabulary); cancel moves the run to CancelRequested there. Children are
the StepRuns of ``pipeline_step_runs`` in the order they started.
"""
from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Any, Iterator

from azureml_local.exceptions import ActivityFailedException, ExperimentExecutionException, ServiceException
from azureml_local.experiment import Experiment
from azureml_local.pipeline.publishing.submit import publish_definition
from azureml_local.pipeline.step_run import StepRun, _INTERRUPTED, poll_delays
from azureml_local.run import Run
from azureml_local.runs.waiting import recover_or_wake
from azureml_local.status import ACTIVE_STATES, PIPELINE_RUNNING_STATES, is_terminal, pipeline_status

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

RUNNING_STATES = list(PIPELINE_RUNNING_STATES)


def _experiment(ws: "Workspace", name: str) -> Any:
    return Experiment(ws, name)


class PipelineRun(Run):
    """A run of a Pipeline: status, steps, outputs."""

    def __init__(self, experiment: Any, run_id: str, _service_endpoint: str | None = None, **kwargs: Any):
        super().__init__(experiment, run_id, **kwargs)
        self._graph = None

    @classmethod
    def _for_id(cls, ws: "Workspace", experiment_name: str, run_id: str) -> "PipelineRun":
        return cls(_experiment(ws, experiment_name), run_id)

    @property
    def _workspace(self) -> "Workspace":
        return self._experiment.workspace

    # -- Run methods the SDK disables ----------------------------------------------------
    def get_tags(self) -> dict:
        try:
            return super().get_tags()
        except KeyError:
            return {}

    def complete(self) -> None:
        raise NotImplementedError("Complete is unsupported for Pipeline run.")

    def fail(self) -> None:
        raise NotImplementedError("Fail is unsupported for Pipeline run.")

    def child_run(self, name: str | None = None, run_id: str | None = None, outputs: Any = None) -> None:
        raise NotImplementedError("Child run is unsupported for Pipeline run.")

    # -- status ---------------------------------------------------------------------------
    def _get_status(self) -> str:
        runs = self._workspace._context.runs
        raw = runs.status(self.id)
        if not is_terminal(raw) and time.monotonic() - getattr(self, "_orphan_checked", 0.0) > 1.0:
            self._orphan_checked = time.monotonic()
            if recover_or_wake(self._workspace, self.id):
                raw = runs.status(self.id)
        return pipeline_status(raw)

    def get_status(self) -> str:
        """NotStarted, Running, Failed, Finished or Canceled."""
        return self._get_status()

    def cancel(self) -> None:
        """Cancel the run: running step processes are stopped, pending steps never start."""
        runs = self._workspace._context.runs
        # not picked up yet: cancel right here (the orchestrator then finds it Canceled and never starts)
        if not runs.set_status(self.id, "Canceled", only_from=("NotStarted", "Queued")):
            runs.set_status(self.id, "CancelRequested", only_from=ACTIVE_STATES)

    # -- children ---------------------------------------------------------------------------
    def get_children(self, recursive: bool = False, tags: Any = None, properties: Any = None, type: Any = None,
                     status: Any = None, _rehydrate_runs: bool = True) -> Iterator[StepRun]:
        """The StepRuns started so far (a generator), in start order."""
        for row in self._workspace._context.pipeline_runs.steps(self.id):
            step = StepRun._from_step_row(self._experiment, row)
            if status is not None and step.get_status() != status and step.status != status:
                continue
            if tags is not None or properties is not None or type is not None:
                if not _matches(self._workspace, row["step_run_id"], tags, properties, type):
                    continue
            yield step

    def get_steps(self) -> Iterator[StepRun]:
        return self.get_children()

    def find_step_run(self, name: str) -> list[StepRun]:
        return [child for child in self.get_children() if child.name == name]

    def get_pipeline_output(self, pipeline_output_name: str) -> Any:
        """The PortDataReference of a promoted output (``PipelineData(pipeline_output_name=...)``),
        else of the step output with that name."""
        children = list(self.get_children())
        for child in children:
            for output in child.get_outputs().values():
                if (output.step_output or {}).get("pipeline_output_name") == pipeline_output_name:
                    return output.get_port_data_reference()
        for child in children:
            outputs = child.get_outputs()
            if pipeline_output_name in outputs:
                return outputs[pipeline_output_name].get_port_data_reference()
        raise ValueError(f"Pipeline output {pipeline_output_name} not found in pipeline run {self.id}.")

    def get_graph(self) -> dict:
        """The stored pipeline definition (docs/pipeline-definition.md) this run executes."""
        if self._graph is None:
            row = self._workspace._context.pipeline_runs.get(self.id)
            self._graph = json.loads(row["definition"]) if row else {}
        return self._graph

    def publish_pipeline(self, name: str, description: str, version: str, continue_on_step_failure: bool | None = None,
                         **kwargs: Any) -> Any:
        for key in kwargs:
            if key != "enable_email_notification":
                raise ValueError("parameter %s is not recognized for method PipelineRun.publish_pipeline " % key)
        from azureml_local.pipeline.published_pipeline import PublishedPipeline  # cycle: PublishedPipeline.submit returns PipelineRuns

        ctx = self._workspace._context
        row = ctx.pipeline_runs.get(self.id)
        if row is None:
            raise ServiceException(f"Pipeline run with id {self.id} was not found in this workspace.", status_code=404)
        definition = json.loads(row["definition"])
        submitted = json.loads(row["parameters"])
        for pname, spec in (definition.get("parameters") or {}).items():
            if spec.get("type") == "dataset" and pname in submitted:  # the cloud keeps the run's dataset values
                spec["default"] = submitted[pname]
        published = publish_definition(ctx, definition, name, description, version, continue_on_step_failure,
                                       source_run_id=self.id)
        return PublishedPipeline._from_row(self._workspace, published)

    def save(self, path: str | None = None) -> None:
        raise NotImplementedError("PipelineRun.save (pipeline YAML) is not supported by azureml-local.")

    # -- waiting ------------------------------------------------------------------------------
    def wait_for_completion(self, show_output: bool = True, timeout_seconds: float = sys.maxsize,
                            raise_on_error: bool = True) -> str:
        """Wait for the run; with ``show_output`` print each step's log as the SDK does. Returns the status."""
        print("PipelineRunId:", self.id)
        print("Link to Azure Machine Learning Portal:", self.get_portal_url())
        start = time.time()
        status = self._get_status()
        delays = poll_delays()
        if show_output:
            try:
                old_status = None
                processed: list[str] = []
                while True:
                    if status not in RUNNING_STATES:
                        pending = [c for c in self.get_children() if c.id not in processed]
                        if not pending:
                            break
                    elif status != old_status:
                        old_status = status
                        print("PipelineRun Status:", status)
                    for step_run in self.get_children():
                        if step_run.id in processed:
                            continue
                        processed.append(step_run.id)
                        print("\n")
                        try:
                            step_run.wait_for_completion(timeout_seconds=timeout_seconds - (time.time() - start),
                                                         raise_on_error=raise_on_error)
                        except ActivityFailedException:
                            self._wait_for_failure_to_end_run(start + timeout_seconds)
                            raise
                        print("")
                    if time.time() - start > timeout_seconds:
                        print("Timed out of waiting. Elapsed time:", time.time() - start)
                        break
                    if status in RUNNING_STATES:
                        time.sleep(next(delays))
                    status = self._get_status()
                summary_title = "\nPipelineRun Execution Summary"
                print(summary_title)
                print("=" * len(summary_title))
                print("PipelineRun Status:", status)
                details = self.get_details()
                messages = [w.get("message") for w in details.get("warnings") or []
                            if isinstance(w, dict) and w.get("message")]
                if messages:
                    print("\nWarnings:")
                    for message in messages:
                        print(message)
                error = details.get("error")
                if error and not raise_on_error:
                    print("\nError:")
                    print(json.dumps(error, indent=4))
            except KeyboardInterrupt:
                raise ExperimentExecutionException(_INTERRUPTED)
        else:
            while status in RUNNING_STATES and time.time() - start <= timeout_seconds:
                time.sleep(next(delays))
                status = self._get_status()
        final_details = self.get_details()
        error = final_details.get("error")
        if error and raise_on_error:
            raise ActivityFailedException(error_details=json.dumps(error, indent=4))
        if show_output:
            print(final_details)
            print("", flush=True)
        return status

    def _wait_for_failure_to_end_run(self, deadline: float) -> None:
        """A failed step ends the pipeline run (unless ``continue_on_step_failure``): wait for that end,
        so a ``get_status()`` right after the waiter raises never reports the run still Running."""
        row = self._workspace._context.pipeline_runs.get(self.id)
        if row is not None and row["continue_on_step_failure"]:
            return
        delays = poll_delays()
        while self._get_status() in RUNNING_STATES and time.time() < deadline:
            time.sleep(next(delays))

    # -- lookups ------------------------------------------------------------------------------
    @staticmethod
    def get(workspace: "Workspace", run_id: str, _service_endpoint: str | None = None) -> "PipelineRun":
        row = workspace._context.pipeline_runs.get(run_id)
        if row is None:
            raise ServiceException(f"Pipeline run with id {run_id} was not found in this workspace. Check the id "
                                   "(Experiment.get_runs lists the runs).", status_code=404)
        return PipelineRun(_experiment(workspace, row["experiment_name"]), run_id)

    @staticmethod
    def get_pipeline_runs(workspace: "Workspace", pipeline_id: str, _service_endpoint: str | None = None) -> list:
        rows = workspace._context.pipeline_runs.of_published_pipeline(pipeline_id)
        return [PipelineRun(_experiment(workspace, r["experiment_name"]), r["run_id"]) for r in rows]

    @staticmethod
    def _from_dto(experiment: Any, run_dto: Any, **kwargs: Any) -> "PipelineRun":
        return PipelineRun(experiment=experiment, run_id=getattr(run_dto, "run_id", None) or run_dto["run_id"],
                           **kwargs)


def _matches(ws: "Workspace", run_id: str, tags: Any, properties: Any, run_type: Any) -> bool:
    runs = ws._context.runs
    if run_type is not None and (not runs.exists(run_id) or runs.run(run_id)["run_type"] != run_type):
        return False
    for read, flt in ((runs.tags, tags), (runs.properties, properties)):
        if flt is None:
            continue
        kv = read(run_id)
        items = flt.items() if isinstance(flt, dict) else [(flt, ...)]
        for key, value in items:
            if key not in kv or (value is not ... and kv[key] != str(value)):
                return False
    return True
