"""``azureml.pipeline.steps.HyperDriveStep`` and ``HyperDriveStepRun``: a sweep as one pipeline step.

The step is a script step (kind ``HyperDriveStep``) whose definition also carries the sweep settings
(``"hyperdrive"``); its executor (``step_executor.py``) runs the sweep controller inside the pipeline run:
the step run gets one child, the ``hyperdrive`` run, whose children are the sampled script runs, bound
with the pipeline's data like any step.
"""
from __future__ import annotations

from typing import Any

from azureml_local.hyperdrive.config import HyperDriveConfig
from azureml_local.hyperdrive.run import HyperDriveRun
from azureml_local.pipeline.builder import PipelineData
from azureml_local.pipeline.steps.python_script_step import _PythonScriptStepBase


class HyperDriveStep(_PythonScriptStepBase):
    """Run a HyperDrive sweep as a step of a pipeline."""

    _execution_type = "HyperDriveCloud"

    def __init__(self, name: str, hyperdrive_config: HyperDriveConfig, estimator_entry_script_arguments: list | None = None,
                 inputs: list | None = None, outputs: list | None = None, metrics_output: Any = None,
                 allow_reuse: bool = True, version: str | None = None):
        if name is None:
            raise ValueError("name is required")
        if not isinstance(name, str):
            raise ValueError("name must be a string")
        if hyperdrive_config is None:
            raise ValueError("hyperdrive_config is required")
        if not isinstance(hyperdrive_config, HyperDriveConfig):
            raise ValueError("Unexpected hyperdrive_config type: {}".format(type(hyperdrive_config)))
        if hyperdrive_config.pipeline is not None:
            raise ValueError("hyperdrive_config initiated with pipeline is not supported. Please use estimator.")
        using_script_run_config = hyperdrive_config.estimator is None
        if not using_script_run_config:
            run_config = hyperdrive_config.estimator.run_config
            script, source_directory = run_config.script, hyperdrive_config.estimator.source_directory
        else:
            script_run_config = hyperdrive_config.run_config
            run_config = script_run_config
            script, source_directory = script_run_config.script, script_run_config.source_directory
        if run_config.arguments and not using_script_run_config:
            raise ValueError("arguments in Estimator run_config should not be provided. "
                             "Please use arguments in the step")
        if getattr(run_config, "data_references", None):
            raise ValueError("data_references in Estimator run_config should not be provided."
                             "Please use inputs in the step")
        if estimator_entry_script_arguments is None and not using_script_run_config:
            raise ValueError("estimator_entry_script_arguments is a required parameter if using Estimator."
                             "If the Estimators entry script does not accept commandline arguments, set the "
                             "parameter value to empty list")
        if estimator_entry_script_arguments is not None and not isinstance(estimator_entry_script_arguments, list):
            raise ValueError("estimator_entry_script_arguments expects arguments as a list.")
        if using_script_run_config:
            if estimator_entry_script_arguments is not None and run_config.arguments is not None:
                raise ValueError("Only one of estimator_entry_script_arguments and ScriptRunConfig.arguments "
                                 "should be set.")
            if run_config.arguments:
                if isinstance(run_config.arguments, str):
                    estimator_entry_script_arguments = [run_config.arguments]
                elif isinstance(run_config.arguments, list):
                    estimator_entry_script_arguments = run_config.arguments
                else:
                    raise ValueError("ScriptRunConfig arguments should be a list or a string.")
            estimator_entry_script_arguments = estimator_entry_script_arguments or []
            runconfig = run_config.run_config
        else:
            runconfig = run_config
        outputs = list(outputs or [])
        self._metrics_output_name = None
        if metrics_output is not None:
            if not isinstance(metrics_output, PipelineData) and type(metrics_output).__name__ not in (
                    "DataReference", "OutputPortBinding"):
                raise ValueError("Unexpected metrics_output type: %s" % type(metrics_output))
            self._metrics_output_name = getattr(metrics_output, "_output_name", None) or \
                getattr(metrics_output, "name", None) or getattr(metrics_output, "data_reference_name", None)
            outputs.append(metrics_output)
        self._hyperdrive_config = hyperdrive_config
        params = {"PrimaryMetricGoal": hyperdrive_config._primary_metric_config["goal"].lower(),
                  "PrimaryMetricName": hyperdrive_config._primary_metric_config["name"]}
        super().__init__(script_name=script, name=name, arguments=estimator_entry_script_arguments,
                         compute_target=getattr(runconfig, "target", None), runconfig=runconfig, inputs=inputs,
                         outputs=outputs, params=params, source_directory=source_directory, allow_reuse=allow_reuse,
                         version=version)

    def _definition(self, ctx: Any) -> dict:
        definition = super()._definition(ctx)
        config = self._hyperdrive_config
        definition["hyperdrive"] = {**config._sweep_settings(), "tags": config._tags(),
                                    "metrics_output": self._metrics_output_name}
        return definition


class HyperDriveStepRun(HyperDriveRun):
    """The HyperDrive run of a HyperDriveStep's step run (a HyperDriveRun that also knows its StepRun)."""

    def __init__(self, step_run: Any):
        step_type = step_run.properties.get("StepType", "Unknown")
        if step_type != "HyperDriveStep":
            raise ValueError("Step run with wrong type has been provided. step_type: " + step_type)
        experiment = step_run.experiment
        runs = experiment.workspace._context.runs
        # a reused step run (locally HyperDriveSteps are reused like any step) points at the run that ran the sweep
        source = step_run.properties.get("azureml.reusedrunid") or step_run.id
        children = [row["run_id"] for row in runs.list_runs(parent_run_id=source, run_type=HyperDriveRun.RUN_TYPE)]
        if len(children) != 1:
            raise ValueError("Cannot find hyperdrive run from the given step run: " + str(step_run.name))
        self._step_run = step_run
        super().__init__(experiment, children[0])
