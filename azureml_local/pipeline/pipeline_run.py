"""``azureml.pipeline.core.PipelineRun``: a submitted pipeline (thin first version)."""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from azureml_local.pipeline.execution import state

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

RUNNING_STATES = ["NotStarted", "Running", "Queued", "Unknown"]
_PIPELINE_STATUS = {"NotStarted": "NotStarted", "Queued": "Running", "Starting": "Running", "Preparing": "Running",
                    "Running": "Running", "Finalizing": "Running", "CancelRequested": "Running",
                    "Completed": "Finished", "Failed": "Failed", "Canceled": "Canceled"}


def pipeline_status(raw: str) -> str:
    """Run-history status -> the PipelineRun vocabulary (NotStarted|Running|Failed|Finished|Canceled)."""
    return _PIPELINE_STATUS.get(raw, "Running")


class PipelineRun:
    """A run of a pipeline: status, steps, outputs."""

    def __init__(self, experiment: Any, run_id: str, _service_endpoint: str | None = None, **kwargs: Any):
        self._experiment = experiment
        self._run_id = run_id
        self._workspace = experiment.workspace

    @classmethod
    def _for_id(cls, ws: "Workspace", experiment_name: str, run_id: str) -> "PipelineRun":
        try:
            from azureml_local.experiment import Experiment

            experiment = Experiment(ws, experiment_name)
        except ImportError:
            from types import SimpleNamespace

            experiment = SimpleNamespace(workspace=ws, name=experiment_name)
        return cls(experiment, run_id)

    @property
    def id(self) -> str:
        return self._run_id

    @property
    def experiment(self) -> Any:
        return self._experiment

    def _raw_status(self) -> str:
        row = state.pipeline_row(self._workspace, self._run_id)
        return row["status"] if row else "NotStarted"

    def get_status(self) -> str:
        return pipeline_status(self._raw_status())

    def wait_for_completion(self, show_output: bool = True, timeout_seconds: float = sys.maxsize,
                            raise_on_error: bool = True) -> str:
        start = time.time()
        delay = 0.005
        status = self.get_status()
        while status in RUNNING_STATES and time.time() - start < timeout_seconds:
            time.sleep(delay)
            delay = min(delay * 1.5, 0.2)
            status = self.get_status()
        return status
