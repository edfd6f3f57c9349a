"""``EstimatorStep`` (deprecated in the SDK, still in notebooks): an Estimator's script as a step."""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline.steps.python_script_step import PythonScriptStep, _PythonScriptStepBase

_log = logging.getLogger(__name__)
_DEPRECATED = ("'EstimatorStep' is deprecated. Please use 'CommandStep' from "
               "'azureml.pipeline.steps.CommandStep' instead. For an example see "
               "https://github.com/Azure/MachineLearningNotebooks/blob/master/how-to-use-azureml/"
               "machine-learning-pipelines/intro-to-pipelines/aml-pipelines-with-commandstep.ipynb.")


class EstimatorStep(PythonScriptStep):
    """Run ``estimator``'s entry script with ``estimator_entry_script_arguments``."""

    def __init__(self, name: str | None = None, estimator: Any = None,
                 estimator_entry_script_arguments: list | None = None, runconfig_pipeline_params: dict | None = None,
                 inputs: list | None = None, outputs: list | None = None, compute_target: Any = None,
                 allow_reuse: bool = True, version: str | None = None):
        _log.warning(_DEPRECATED)
        if estimator is None or compute_target is None:
            raise ValueError("Estimator, compute_target parameters are required")
        run_config = estimator.run_config
        if getattr(run_config, "arguments", None):
            raise ValueError("script_params in Estimator should not be provided to EstimatorStep. "
                             "Please use estimator_entry_script_arguments instead.")
        if estimator_entry_script_arguments is None:
            raise ValueError("estimator_entry_script_arguments is a required parameter. If the Estimators entry"
                             "script does not accept commandline arguments, set the parameter value to empty list")
        if getattr(run_config, "data", None):
            raise ValueError("Unable to create EstimatorStep as inputs are specified in the Estimator. Please "
                             "specify all the inputs in EstimatorStep instead.")
        if not any(c.__name__ == "MMLBaseEstimator" for c in type(estimator).__mro__):
            raise Exception("Estimator parameter is not of valid type")
        _PythonScriptStepBase.__init__(self, name=name, script_name=estimator.run_config.script,
                         arguments=estimator_entry_script_arguments, compute_target=compute_target,
                         runconfig=run_config, runconfig_pipeline_params=runconfig_pipeline_params, inputs=inputs,
                         outputs=outputs, source_directory=estimator.source_directory, allow_reuse=allow_reuse,
                         version=version)
