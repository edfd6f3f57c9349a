"""``AutoMLStep`` / ``AutoMLStepRun``: importable and validated as in the SDK; AutoML itself does not run here.

A pipeline with an AutoMLStep is refused at submit (``not_emulated.py``). ``AutoMLConfig`` comes
from ``azureml-train-automl``, which is not part of this project: any object of a class named
``AutoMLConfig`` is accepted (its ``user_settings['path']`` is the source directory, as in the SDK).
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.exceptions import UserErrorException
from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.step_run import StepRun
from azureml_local.pipeline.steps.not_emulated import not_emulated_definition


class ConfigException(UserErrorException):
    """What ``azureml.automl.core`` raises for a bad AutoMLStep argument."""


class AutoMLStep(PipelineStep):
    """Run AutoML in a pipeline (not emulated: refused at submit)."""

    DEFAULT_METRIC_PREFIX = "default_metrics_"
    DEFAULT_MODEL_PREFIX = "default_model_"
    AUTOML_CONFIG_PARAM_NAME = "AutoMLConfig"

    def __init__(self, name: str, automl_config: Any, inputs: list | None = None, outputs: list | None = None,
                 script_repl_params: dict | None = None, allow_reuse: bool = True, version: str | None = None,
                 hash_paths: list | None = None, enable_default_model_output: bool = True,
                 enable_default_metrics_output: bool = True, **kwargs: Any):
        if name is None:
            raise ConfigException("An empty value for argument [name] is provided.")
        if not isinstance(name, str):
            raise ConfigException("Argument [name] is of unsupported type: [{0}]. Supported type(s): [str]."
                                  .format(type(name).__name__))
        if automl_config is None:
            raise ConfigException("An empty value for argument [automl_config] is provided.")
        if type(automl_config).__name__ != "AutoMLConfig":
            raise ConfigException("Argument [automl_config] is of unsupported type: [{0}]. Supported type(s): "
                                  "[azureml.train.automl.automlconfig.AutoMLConfig].".format(type(automl_config).__name__))
        if hash_paths:
            logging.warning("Parameter 'hash_paths' is deprecated, will be removed. All files under  `path` and the "
                            "`data_script` file specified in `AutoMLConfig` is hashed except files listed in "
                            ".amlignore or .gitignore under `path`.")
        self._automl_config = automl_config
        self._allow_reuse = allow_reuse
        self._version = version
        self._params: dict = {}
        self._script_repl_params = script_repl_params
        self._enable_default_model_output = enable_default_model_output
        self._enable_default_metrics_output = enable_default_metrics_output
        self._source_directory = (getattr(automl_config, "user_settings", None) or {}).get("path")
        super().__init__(name, inputs, outputs)

    def _definition(self, ctx: Any) -> dict:
        settings = getattr(self._automl_config, "user_settings", None) or {}
        target = settings.get("compute_target")
        return not_emulated_definition(self, target if isinstance(target, str) else getattr(target, "name", None))


class AutoMLStepRun(StepRun):
    """The run of an AutoMLStep (only ever rehydrated: AutoMLStep does not run locally)."""

    def __init__(self, step_run: StepRun):
        super().__init__(step_run.experiment, step_run.id, step_run._pipeline_run_id, step_run._node_id)
        self._step_run = step_run
        self._safe_name = (step_run.name or "").replace(" ", "_")

    def get_default_metrics_output(self) -> Any:
        """The step's default metrics output (``default_metrics_<step name>``)."""
        return self._step_run.get_output(AutoMLStep.DEFAULT_METRIC_PREFIX + self._safe_name)

    def get_default_model_output(self) -> Any:
        """The step's default model output (``default_model_<step name>``)."""
        return self._step_run.get_output(AutoMLStep.DEFAULT_MODEL_PREFIX + self._safe_name)
