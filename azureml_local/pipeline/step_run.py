"""``StepRun`` / ``StepRunOutput`` (``azureml.pipeline.core.run``): one step of a pipeline run.

A reused step is represented as the SDK does (``StepRun._from_reused_dto``): the
object points at the *original* step run (its id, logs, outputs), with
``_is_reused`` set and ``_current_node_id`` naming the node in this pipeline.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Any

from azureml_local.engine.execute import log_paths
from azureml_local.engine.execute import DRIVER_LOG, STD_LOG
from azureml_local.exceptions import ActivityFailedException, ExperimentExecutionException
from azureml_local.pipeline.port_data_reference import make_port_data_reference
from azureml_local.run import Run
from azureml_local.status import PIPELINE_RUNNING_STATES, step_status

RUNNING_STATES = list(PIPELINE_RUNNING_STATES)
_INTERRUPTED = ("The output streaming for the run interrupted.\n"
                "But the run is still executing on the compute target. \n"
                "Details for canceling the run can be found here: https://aka.ms/aml-docs-cancel-run")


FAST_POLL_SECONDS = 2.0


def poll_delays() -> Any:
    """5 ms for the first 2 s, then growing to 200 ms: local steps finish in milliseconds and a poll is one
    indexed read, so a waiter sees the end within a few ms (a pipeline of short steps pays that once)."""
    start = time.monotonic()
    delay = 0.005
    while True:
        yield delay
        if time.monotonic() - start > FAST_POLL_SECONDS:
            delay = min(delay * 1.2, 0.2)


class StepRun(Run):
    """A run of a step in a Pipeline."""

    def __init__(self, experiment: Any, step_run_id: str, pipeline_run_id: str, node_id: str,
                 _service_endpoint: str | None = None, _is_reused: bool = False, _current_node_id: str | None = None,
                 _reused_run_id: str | None = None, _reused_node_id: str | None = None,
                 _reused_pipeline_run_id: str | None = None, **kwargs: Any):
        self._current_run_id = kwargs.pop("_current_run_id", None)
        super().__init__(experiment, step_run_id, **kwargs)
        self._pipeline_run_id = pipeline_run_id
        self._node_id = node_id
        self._is_reused = _is_reused
        self._reused_run_id = _reused_run_id
        self._reused_node_id = _reused_node_id
        self._reused_pipeline_run_id = _reused_pipeline_run_id
        self._current_node_id = _current_node_id

    # -- construction from our rows --------------------------------------------------------
    @classmethod
    def _from_step_row(cls, experiment: Any, row: dict) -> "StepRun":
        if row.get("reused_run_id"):
            return cls(experiment, row["reused_run_id"], row["reused_pipeline_run_id"], row["reused_node_id"],
                       _is_reused=True, _current_node_id=row["node_id"], _current_run_id=row["step_run_id"])
        return cls(experiment, row["step_run_id"], row["pipeline_run_id"], row["node_id"])

    @staticmethod
    def _from_dto(experiment: Any, run_dto: Any, **kwargs: Any) -> "StepRun":
        """The SDK's factory for ``azureml.StepRun`` / ``azureml.ReusedStepRun`` run-history rows."""
        runs = experiment.workspace._context.runs
        tags = runs.tags(run_dto.run_id)
        props = runs.properties(run_dto.run_id)
        if getattr(run_dto, "run_type", None) == "azureml.ReusedStepRun":
            return StepRun._from_reused_dto(experiment, run_dto, _tags=tags, **kwargs)
        reused_run_id = props.get("azureml.reusedrunid")
        return StepRun(experiment, step_run_id=run_dto.run_id, pipeline_run_id=tags.get("azureml.pipeline"),
                       node_id=tags.get("azureml.nodeid"), _is_reused=reused_run_id is not None,
                       _reused_run_id=reused_run_id, _reused_node_id=props.get("azureml.reusednodeid"),
                       _reused_pipeline_run_id=props.get("azureml.reusedpipeline"), **kwargs)

    @staticmethod
    def _from_reused_dto(experiment: Any, run_dto: Any, _tags: dict | None = None, **kwargs: Any) -> "StepRun":
        """A reused step as the SDK shows it: the original step run, flagged as reused here."""
        tags = _tags if _tags is not None else experiment.workspace._context.runs.tags(run_dto.run_id)
        return StepRun(experiment, step_run_id=tags.get("azureml.reusedrunid"),
                       pipeline_run_id=tags.get("azureml.reusedpipeline"), node_id=tags.get("azureml.reusednodeid"),
                       _is_reused=True, _current_node_id=tags.get("azureml.nodeid"),
                       _current_run_id=run_dto.run_id, **kwargs)

    def _step_row(self) -> dict | None:
        return self._experiment.workspace._context.pipeline_runs.step(self.id)

    # -- SDK surface ---------------------------------------------------------------------
    def complete(self) -> None:
        raise NotImplementedError("Complete is unsupported for Step run.")

    def fail(self) -> None:
        raise NotImplementedError("Fail is unsupported for Step run.")

    def child_run(self, name: str | None = None, run_id: str | None = None, outputs: Any = None) -> None:
        raise NotImplementedError("Child run is unsupported for Step run.")

    @property
    def pipeline_run_id(self) -> str:
        return self._pipeline_run_id

    def get_status(self) -> str:
        return step_status(self._experiment.workspace._context.runs.status(self.id))

    def _log_file(self, run_id: str | None = None) -> Any:
        return log_paths(self._experiment.workspace, run_id or self.id)[STD_LOG]

    def _read_log(self, run_id: str | None = None) -> str:
        path = self._log_file(run_id)
        return path.read_text(errors="replace") if path.exists() else ""

    def get_job_log(self) -> str:
        return self._read_log()

    def get_stdout_log(self) -> str:
        return self._read_log()

    def get_stderr_log(self) -> str:
        text = self._read_log()
        idx = text.rfind("Traceback (most recent call last)")
        return text[idx:] if idx >= 0 else ""

    def get_outputs(self) -> dict:
        row = self._step_row() or {}
        outputs = json.loads(row.get("outputs") or "{}")
        return {name: StepRunOutput(self, self._pipeline_run_id, self, name, out) for name, out in outputs.items()}

    def get_output(self, name: str) -> "StepRunOutput":
        outputs = self.get_outputs()
        if name not in outputs:
            raise ValueError("Output name %s not found in step run %s (outputs: %s)" % (
                name, self.id, ", ".join(sorted(outputs)) or "none"))
        return outputs[name]

    def get_output_data(self, name: str) -> Any:
        return self.get_output(name).get_port_data_reference()

    def get_details_with_logs(self) -> dict:
        details = self.get_details()
        log_files = details.get("logFiles", {})
        for log_name in list(log_files):  # the step's own log, or a log file the step uploaded (ParallelRunStep)
            log_files[log_name] = self._read_log() if log_name in (DRIVER_LOG, STD_LOG) \
                else self._download_artifact_contents_to_string(log_name)
        log_files["STDOUT"] = self.get_stdout_log()
        log_files["STDERR"] = self.get_stderr_log()
        log_files["JOBLOG"] = self.get_job_log()
        return details

    def wait_for_completion(self, show_output: bool = True, timeout_seconds: float = sys.maxsize,
                            raise_on_error: bool = True) -> str:
        """Wait for the step; with ``show_output`` stream its log in the SDK's format. Returns the status."""
        print("StepRunId:", self.id)
        print("Link to Azure Machine Learning Portal:", self.get_portal_url())
        if show_output:
            try:
                return self._stream_run_output(timeout_seconds=timeout_seconds, raise_on_error=raise_on_error)
            except KeyboardInterrupt:
                raise ExperimentExecutionException(_INTERRUPTED)
        start = time.time()
        status = self.get_status()
        delays = poll_delays()
        while status in RUNNING_STATES and time.time() - start < timeout_seconds:
            time.sleep(next(delays))
            status = self.get_status()
        error = self.get_details().get("error")
        if error and raise_on_error:
            raise ActivityFailedException(error_details=json.dumps(error, indent=4))
        return status

    def _stream_run_output(self, timeout_seconds: float = sys.maxsize, raise_on_error: bool = True) -> str:
        printed = 0
        streaming = False
        start = time.time()
        old_status = None
        status = self.get_status()
        delays = poll_delays()
        log_run_id = self._current_run_id or self.id

        def stream() -> None:
            nonlocal printed, streaming
            text = self._read_log(log_run_id)
            if not text:
                return
            if not streaming:
                streaming = True
                print("\nStreaming " + DRIVER_LOG)
                print("=" * (len(DRIVER_LOG) + 10))
            lines = text.splitlines()
            complete = lines if text.endswith("\n") else lines[:-1]
            for line in complete[printed:]:
                print(line)
            printed = max(printed, len(complete))

        while status in RUNNING_STATES:
            if status != old_status:
                old_status = status
                print("StepRun(", self.name, ") Status:", status)
            stream()
            if time.time() - start > timeout_seconds:
                print("Timed out of waiting. Elapsed time:", time.time() - start)
                break
            time.sleep(next(delays))
            status = self.get_status()
        stream()
        text = self._read_log(log_run_id)
        if text and not text.endswith("\n") and streaming:
            print(text.splitlines()[-1])
        summary_title = "\nStepRun(" + str(self.name) + ") Execution Summary"
        print(summary_title)
        print("=" * len(summary_title))
        print("StepRun(", self.name, ") Status:", status)
        details = self.get_details()
        messages = [w.get("message") for w in details.get("warnings") or [] if isinstance(w, dict) and w.get("message")]
        if messages:
            print("\nWarnings:")
            for message in messages:
                print(message)
        error = details.get("error")
        if error and not raise_on_error:
            print("\nError:")
            print(json.dumps(error, indent=4))
        if error and raise_on_error:
            raise ActivityFailedException(error_details=json.dumps(error, indent=4))
        print(details)
        print("", flush=True)
        return status


class StepRunOutput:
    """An output created by a StepRun; ``get_port_data_reference()`` locates its data."""

    def __init__(self, context: Any, pipeline_run_id: str, step_run: StepRun, name: str, step_output: Any):
        self.step_run = step_run
        self.pipeline_run_id = pipeline_run_id
        self.context = context
        self.name = name
        self.step_output = step_output

    def get_port_data_reference(self) -> Any:
        return make_port_data_reference(self.step_run, self.name, self.step_output)

