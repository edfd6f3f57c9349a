"""``azureml.train.hyperdrive.runconfig``: ``HyperDriveConfig``, ``HyperDriveRunConfig``, ``PrimaryMetricGoal``.

Construction validates as the SDK does (same exception types and messages) and keeps the SDK's JSON
pieces (``_generator_config``, ``_policy_config``, ``_primary_metric_config``); ``submit.py`` stores them
as the sweep run's tags, where ``HyperDriveRun`` reads them back.
"""
from __future__ import annotations

import enum
import json
import warnings
from typing import Any

from azureml_local.hyperdrive import exceptions as hd_errors
from azureml_local.hyperdrive.exceptions import HyperDriveConfigException, invalid_setting, invalid_type
from azureml_local.hyperdrive.policy import NoTerminationPolicy, _policy_from_dict
from azureml_local.hyperdrive.spec import TAG_PREFIX
from azureml_local.hyperdrive.sampling import BayesianParameterSampling, _sampling_from_dict
from azureml_local.run import Run
from azureml_local.script_run_config import ScriptRunConfig
from azureml_local.status import TERMINAL_STATES

MAX_DURATION_MINUTES = 10080  # the service limit: longer sweeps are cut to this
RECOMMENDED_MIN_RUNS_PER_PARAMETER_BAYESIAN = 20
RECOMMENDED_MAX_CONCURRENT_RUNS_BAYESIAN = 20
MAX_PARENT_RUNS = 5
RESUME_FROM_TOTAL_RUNS = 1000


class PrimaryMetricGoal(enum.Enum):
    """Whether the primary metric is maximized or minimized."""

    MAXIMIZE = "MAXIMIZE"
    MINIMIZE = "MINIMIZE"

    @staticmethod
    def from_str(goal: str) -> "PrimaryMetricGoal":
        """Return the enum value for ``goal`` (case-insensitive)."""
        return PrimaryMetricGoal[goal.upper()]


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


class HyperDriveConfig:
    """What a sweep runs (a ScriptRunConfig or an estimator), how it samples, stops and ranks."""

    _PLATFORM = "AML"
    _AML_PIPELINES_PLATFORM = "AML_PIPELINES"

    def __init__(self, hyperparameter_sampling: Any, primary_metric_name: str, primary_metric_goal: Any,
                 max_total_runs: int, max_concurrent_runs: int | None = None,
                 max_duration_minutes: int = MAX_DURATION_MINUTES, policy: Any = None, estimator: Any = None,
                 run_config: Any = None, resume_from: Any = None, resume_child_runs: Any = None,
                 pipeline: Any = None, debug_flag: Any = None, custom_run_id: str | None = None):
        self._estimator = estimator
        self._run_config = run_config
        self._pipeline = pipeline
        self._debug_flag = debug_flag
        self._custom_run_id = custom_run_id
        sources = ", ".join(["estimator", "run_config", "pipeline"])
        given = [v for v in (estimator, run_config, pipeline) if v is not None]
        if not given:
            raise invalid_setting("HyperDriveConfig", f"at least one of {sources} to be set")
        if len(given) != 1:
            raise invalid_setting("HyperDriveConfig", f"only one of {sources} to be set")
        if run_config is not None and not isinstance(run_config, ScriptRunConfig):
            raise invalid_type("ScriptRunConfig", "run_config")
        if hyperparameter_sampling is None:
            raise invalid_setting("HyperDriveConfig", "hyperparameter_sampling to be set")
        if pipeline is not None:
            _warn("Use of pipeline parameter in HyperDriveConfig is a preview feature. Please keep in mind "
                  "that the feature can change without notice.")
        policy = NoTerminationPolicy() if policy is None else policy
        self._policy_config = policy.to_json()
        self._generator_config = hyperparameter_sampling.to_json()
        self._primary_metric_config = {"name": primary_metric_name, "goal": primary_metric_goal.name.lower()}
        self._max_total_runs = max_total_runs
        self._max_concurrent_runs = max_concurrent_runs or max_total_runs
        self._max_duration_minutes = max_duration_minutes
        self._platform = self._PLATFORM if pipeline is None else self._AML_PIPELINES_PLATFORM
        self._platform_config: dict | None = None
        self._is_cloud_hydrate = False
        if self._max_duration_minutes > MAX_DURATION_MINUTES:
            _warn(f"The experiment maximum duration provided exceeds the service limit of {MAX_DURATION_MINUTES} "
                  f"minutes. The maximum duration will be overridden with {MAX_DURATION_MINUTES} minutes.")
        is_bayesian = isinstance(hyperparameter_sampling, BayesianParameterSampling)
        if is_bayesian:
            recommended = RECOMMENDED_MIN_RUNS_PER_PARAMETER_BAYESIAN * len(hyperparameter_sampling._parameter_space)
            if self._max_total_runs < recommended:
                _warn("For best results with Bayesian Sampling we recommend using a maximum number of runs greater "
                      f"than or equal to {RECOMMENDED_MIN_RUNS_PER_PARAMETER_BAYESIAN} times the number of "
                      f"hyperparameters being tuned. Recommendend value:{recommended}.")
            if self._max_concurrent_runs > RECOMMENDED_MAX_CONCURRENT_RUNS_BAYESIAN:
                _warn(f"We recommend using {RECOMMENDED_MAX_CONCURRENT_RUNS_BAYESIAN} max concurrent runs or fewer "
                      "when using Bayesian sampling since a higher number might not provide the best result.")
        self._resume_from = self._check_resume_from(resume_from, is_bayesian)
        self._resume_child_runs = self._check_resume_child_runs(resume_child_runs, is_bayesian)

    # -- resume / warm start ----------------------------------------------------------------------
    def _check_resume_from(self, resume_from: Any, is_bayesian: bool) -> list | None:
        if resume_from is None:
            return None
        resume_from = resume_from if isinstance(resume_from, list) else [resume_from]
        if len(resume_from) > MAX_PARENT_RUNS:
            raise invalid_setting("HyperDriveConfig", f"the number of parent runs to not exceed than {MAX_PARENT_RUNS}")
        if resume_from:
            self._validate_warm_start(resume_from, is_bayesian, is_resume_from=True)
        return [run.id for run in resume_from]

    def _check_resume_child_runs(self, resume_child_runs: Any, is_bayesian: bool) -> list | None:
        if resume_child_runs is None:
            return None
        runs = resume_child_runs if isinstance(resume_child_runs, list) else [resume_child_runs]
        if len(runs) > self._max_total_runs:
            raise invalid_setting("HyperDriveConfig",
                                  "the number of resume_child_runs to not exceed max_total_runs of current run")
        parents: dict[str, Any] = {}
        seen: set[str] = set()
        for run in runs:
            if run.id in seen:
                raise HyperDriveConfigException(hd_errors.RESUME_CHILD_RUNS_CONTAINS_DUPLICATE)
            seen.add(run.id)
            if not isinstance(run, Run):
                raise invalid_type("azureml.core.run.Run", "resume_child_runs")
            if run.get_status() not in TERMINAL_STATES:
                raise HyperDriveConfigException(hd_errors.FOUND_CHILD_RUN_NOT_IN_TERMINAL_STATE.format(
                    state=run.get_status()))
            if run.parent is None:
                raise HyperDriveConfigException(hd_errors.RESUME_CHILD_RUN_WITHOUT_PARENT_RUN)
            parents[run.parent.id] = run.parent
        if len(parents) > MAX_PARENT_RUNS:
            raise HyperDriveConfigException(hd_errors.RESUME_CHILD_RUNS_COME_FROM_TOO_MANY_PARENT_RUNS.format(
                max_num=MAX_PARENT_RUNS, found=len(parents)))
        self._validate_warm_start(list(parents.values()), is_bayesian)
        return [run.id for run in runs]

    def _validate_warm_start(self, resume_list: list, is_bayesian: bool, is_resume_from: bool = False) -> None:
        total = self._max_total_runs
        seen: set[str] = set()
        for hdrun in resume_list:
            if getattr(hdrun, "type", None) != "hyperdrive":
                raise invalid_setting("Parent run", "to be HyperDriveRun objects.")
            other = hdrun.hyperdrive_config
            for key in ("name", "goal"):
                mine, theirs = self._primary_metric_config[key], other._primary_metric_config[key]
                if mine != theirs:
                    raise HyperDriveConfigException(hd_errors.WARM_START_RUNS_DONT_MATCH.format(
                        obj=f"primary_metric_{key}",
                        additional_info=f"Current run's {key} is {mine}, while a run with {theirs} was found"))
            if is_bayesian and other._generator_config["parameter_space"] != self._generator_config["parameter_space"]:
                raise HyperDriveConfigException(hd_errors.WARM_START_RUNS_DONT_MATCH.format(
                    obj="parameter_space for Bayesian sampling", additional_info=""))
            if is_resume_from:
                if hdrun.id in seen:
                    raise HyperDriveConfigException("resume_from cannot contain duplicate runs. More than one run "
                                                    f"with id '{hdrun.id}' was found")
                seen.add(hdrun.id)
                if hdrun.get_status() not in ("Completed", "Canceled"):
                    raise HyperDriveConfigException("All resume_from runs should be completed or canceled. A "
                                                    f"resume_from run with status '{hdrun.get_status()}' was found.")
                total += other._max_total_runs
        if is_resume_from and total > RESUME_FROM_TOTAL_RUNS:
            raise HyperDriveConfigException(f"The number of total runs should not be greater than "
                                            f"{RESUME_FROM_TOTAL_RUNS}. ")

    # -- properties -------------------------------------------------------------------------------
    @property
    def estimator(self) -> Any:
        """The estimator of the sweep (None when it uses a script run configuration or a pipeline)."""
        return self._estimator

    @property
    def run_config(self) -> Any:
        """The ScriptRunConfig of the sweep (None when it uses an estimator or a pipeline)."""
        return self._run_config

    @property
    def pipeline(self) -> Any:
        return self._pipeline

    @property
    def source_directory(self) -> str | None:
        if self._is_cloud_hydrate:
            return None
        if self.estimator is not None:
            return self.estimator.source_directory
        if self.run_config is not None:
            return self.run_config.source_directory
        return None

    # -- the stored form (tags of the sweep run) --------------------------------------------------
    def _sweep_settings(self) -> dict:
        """What the sweep controller needs (plain JSON; the child template is added by the caller)."""
        return {"generator_config": self._generator_config, "policy_config": self._policy_config,
                "primary_metric_config": self._primary_metric_config, "max_total_runs": self._max_total_runs,
                "max_concurrent_runs": self._max_concurrent_runs,
                "max_duration_minutes": min(self._max_duration_minutes, MAX_DURATION_MINUTES),
                "resume_child_runs": self._resume_child_runs, "resume_from": self._resume_from}

    def _tags(self) -> dict:
        """The SDK's ``_aml_system_`` tags a HyperDrive run carries (all JSON strings)."""
        return {TAG_PREFIX + k: v for k, v in {
            "generator_config": json.dumps(self._generator_config),
            "primary_metric_config": json.dumps(self._primary_metric_config),
            "policy_config": json.dumps(self._policy_config),
            "max_total_jobs": str(self._max_total_runs),
            "max_concurrent_jobs": str(self._max_concurrent_runs),
            "max_duration_minutes": str(min(self._max_duration_minutes, MAX_DURATION_MINUTES)),
            "platform_config": json.dumps(self._platform_config or {}),
            "resume_from": json.dumps(self._resume_from),
            "resume_child_runs": json.dumps(self._resume_child_runs),
        }.items()}

    @staticmethod
    def _from_tags(tags: dict) -> "HyperDriveConfig":
        """Rebuild the configuration of a stored sweep run (``HyperDriveRun.hyperdrive_config``)."""
        def tag(name: str) -> str:
            value = tags.get(TAG_PREFIX + name, tags.get(name))
            if value is None:
                raise hd_errors.HyperDriveRehydrateException(hd_errors.INVALID_KEY_IN_DICT.format(
                    key=name, dict="tags"))
            return value

        goal = json.loads(tag("primary_metric_config"))
        config = HyperDriveConfig(hyperparameter_sampling=_sampling_from_dict(json.loads(tag("generator_config"))),
                                  primary_metric_name=goal["name"],
                                  primary_metric_goal=PrimaryMetricGoal.from_str(goal["goal"]),
                                  max_total_runs=int(tag("max_total_jobs")),
                                  max_concurrent_runs=int(tag("max_concurrent_jobs")),
                                  max_duration_minutes=int(tag("max_duration_minutes")),
                                  policy=_policy_from_dict(json.loads(tag("policy_config"))),
                                  run_config=ScriptRunConfig("."))
        config._platform_config = json.loads(tags.get(TAG_PREFIX + "platform_config") or "{}")
        config._resume_from = json.loads(tags.get(TAG_PREFIX + "resume_from") or "null")
        config._resume_child_runs = json.loads(tags.get(TAG_PREFIX + "resume_child_runs") or "null")
        config._is_cloud_hydrate = True
        return config


class HyperDriveRunConfig(HyperDriveConfig):
    """Deprecated: the estimator-only form; constructing one returns a :class:`HyperDriveConfig` (as in the SDK)."""

    def __new__(cls, estimator: Any, hyperparameter_sampling: Any, primary_metric_name: str, primary_metric_goal: Any,
                max_total_runs: int, max_concurrent_runs: int | None = None,
                max_duration_minutes: int = MAX_DURATION_MINUTES, policy: Any = None) -> HyperDriveConfig:  # type: ignore[misc]
        _warn("HyperDriveRunConfig is deprecated. Please use the new HyperDriveConfig class.")
        return HyperDriveConfig(hyperparameter_sampling=hyperparameter_sampling,
                                primary_metric_name=primary_metric_name, primary_metric_goal=primary_metric_goal,
                                max_total_runs=max_total_runs, max_concurrent_runs=max_concurrent_runs,
                                max_duration_minutes=max_duration_minutes, policy=policy, estimator=estimator)
