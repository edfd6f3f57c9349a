"""``azureml.train.hyperdrive.HyperDriveRun``: a sweep run and its child script runs.

Children are real child runs (``<sweep id>_<n>``, run type ``azureml.scriptrun``) whose sampled
hyperparameters are the sweep's ``_aml_system_<child id>`` tags (JSON), as in the SDK.
"""
from __future__ import annotations

from typing import Any, Optional

from azureml_local.exceptions import TrainingException
from azureml_local.hyperdrive.config import HyperDriveConfig, PrimaryMetricGoal
from azureml_local.hyperdrive.spec import TAG_PREFIX
from azureml_local.hyperdrive.exceptions import (NOT_IMPLEMENTED, HyperDriveNotImplementedException,
                                                 invalid_type)
from azureml_local.run import Run



class HyperDriveRun(Run):
    """The details of a submitted HyperDrive experiment and its child runs."""

    RUN_TYPE = "hyperdrive"
    HYPER_DRIVE_RUN_USER_AGENT = "sdk_run_hyper_drive"

    def __init__(self, experiment: Any, run_id: str, hyperdrive_config: HyperDriveConfig | None = None,
                 **kwargs: Any):
        if not isinstance(run_id, str):
            raise invalid_type("str", "run_id")
        super().__init__(experiment, run_id, **kwargs)
        self._hyperdrive_config = hyperdrive_config

    @staticmethod
    def _from_dto(experiment: Any, run_dto: Any, **kwargs: Any) -> "HyperDriveRun":
        return HyperDriveRun(experiment, run_dto.run_id)

    _from_run_dto = _from_dto

    @property
    def hyperdrive_config(self) -> HyperDriveConfig:
        """Return the hyperdrive run config (rebuilt from the run's tags when the run was fetched)."""
        if self._hyperdrive_config is None:
            self._hyperdrive_config = HyperDriveConfig._from_tags(self.get_tags())
        return self._hyperdrive_config

    def cancel(self) -> bool:
        """Cancel the sweep and its running children; True when the cancel was recorded."""
        try:
            super().cancel()
        except Exception as exc:  # noqa: BLE001 - the SDK wraps any failure in a TrainingException
            raise TrainingException("Exception occurred while cancelling HyperDrive run. Please try again later.",
                                    inner_exception=exc) from None
        return True

    # -- children and their metrics ------------------------------------------------------------
    def get_hyperparameters(self) -> dict:
        """``{child run id: JSON string of its hyperparameters}`` for every launched child."""
        result: dict = {}
        prefix = self.id + "_"
        for name, value in self.get_tags().items():
            key = name[len(TAG_PREFIX):] if name.startswith(TAG_PREFIX) else name
            if key.startswith(prefix) and key[len(prefix):].isdigit() and key not in result:
                result[key] = value
        return result

    def get_children_sorted_by_primary_metric(self, top: int = 0, reverse: bool = False,
                                              discard_no_metric: bool = False) -> list:
        """Children as ``{run_id, hyperparameters, best_primary_metric, status}``, best first."""
        assert isinstance(top, int) and top >= 0, "Value of parameter top should be 0 or a positive integer"
        assert isinstance(reverse, bool), "Type of parameter reverse should be bool"
        assert isinstance(discard_no_metric, bool), "Type of parameter discard_no_metric should be bool"
        hyperparameters = self.get_hyperparameters()
        metric_name = self.hyperdrive_config._primary_metric_config["name"]
        is_maximize = self.hyperdrive_config._primary_metric_config["goal"] == PrimaryMetricGoal.MAXIMIZE.value.lower()
        pick = max if is_maximize else min
        children, no_metrics = [], []
        for run in self.get_children():
            values = run.get_metrics(metric_name).get(metric_name)
            best = None if values is None else (pick(values) if isinstance(values, list) else values)
            child = {"run_id": run.id, "hyperparameters": hyperparameters.get(run.id),
                     "best_primary_metric": best, "status": run.get_status()}
            if best is not None:
                children.append(child)
            elif not discard_no_metric:
                no_metrics.append(child)
        ordered = sorted(children, key=lambda c: c["best_primary_metric"], reverse=(is_maximize != reverse))
        ordered += no_metrics
        return ordered if top == 0 else ordered[:top]

    def get_best_run_by_primary_metric(self, include_failed: bool = True, include_canceled: bool = True,
                                       include_resume_from_runs: bool = True) -> Optional[Run]:
        """The child run with the best primary metric (None when no child logged it)."""
        for child in self.get_children_sorted_by_primary_metric(discard_no_metric=True):
            status = child["status"]
            if (include_failed and status == "Failed") or (include_canceled and status == "Canceled") \
                    or status not in ("Failed", "Canceled"):
                return Run(self.experiment, child["run_id"])
        return None

    def get_metrics(self) -> dict:
        """``{child run id: {metric name: value}}`` for every child."""
        return {run.id: run.get_metrics() for run in self.get_children()}

    def get_diagnostics(self) -> None:
        """Not supported for HyperDrive runs (as in the SDK)."""
        raise HyperDriveNotImplementedException(NOT_IMPLEMENTED.format(feature="Get diagnostics"))

    def fail(self) -> None:  # type: ignore[override]
        """Not supported for HyperDrive runs (as in the SDK)."""
        raise HyperDriveNotImplementedException(NOT_IMPLEMENTED.format(feature="Fail"))

