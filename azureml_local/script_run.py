"""``azureml.core.ScriptRun``: the run of a submitted ScriptRunConfig (run type ``azureml.scriptrun``)."""
from __future__ import annotations

from typing import Any

from azureml_local.run import Run


class ScriptRun(Run):
    """A script run; everything is the base Run's (status, logs, metrics, files, cancel)."""

    RUN_TYPE = "azureml.scriptrun"

    def __init__(self, experiment: Any, run_id: str, directory: str | None = None, **kwargs: Any):
        # The SDK's signature: ``directory`` (the local project folder) is accepted and unused locally.
        super().__init__(experiment, run_id, **kwargs)

    @staticmethod
    def _from_run_dto(experiment: Any, run_dto: Any) -> "ScriptRun":
        return ScriptRun(experiment, run_dto.run_id)

    @staticmethod
    def _from_dto(experiment: Any, run_dto: Any, **kwargs: Any) -> "ScriptRun":
        return ScriptRun(experiment, run_dto.run_id)
