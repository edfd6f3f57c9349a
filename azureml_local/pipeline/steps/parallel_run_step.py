"""``ParallelRunStep``: split a dataset into mini batches and call an entry script's ``run()``.

Constructed like the SDK's ``_ParallelRunStepBase`` (input checks, reserved argument
names); it becomes a command step that runs the local driver
(``parallel_driver.py``) in the step's snapshot with the SDK's driver arguments.
"""
from __future__ import annotations

import os
from typing import Any

from azureml_local.pipeline.builder_io import is_a, is_consumption, is_output_config, is_tabular_output_config
from azureml_local.pipeline.steps.python_script_step import _PythonScriptStepBase

DRIVER = "azureml_local.pipeline.steps.parallel_driver"
DEFAULT_FILE_BATCH = 10
DEFAULT_TABULAR_BATCH = 1024 * 1024
RESERVED = ("mini_batch_size", "error_threshold", "allowed_failed_count", "allowed_failed_percent", "output",
            "output_action", "logging_level", "process_count_per_node", "run_invocation_timeout", "run_max_try",
            "append_row_file_name", "partition_keys")


def _is_tabular(value: Any) -> bool:
    target = value.dataset if is_consumption(value) else value
    return is_a(target, "TabularDataset", "PipelineOutputTabularDataset") or is_tabular_output_config(target) or (
        type(target).__name__ == "PipelineParameter" and is_a(target.default_value, "TabularDataset"))


def _prepare_input(value: Any) -> Any:
    if is_output_config(value):
        value = value.as_input()
    if is_consumption(value):
        if _is_tabular(value):
            if value.mode != "direct":
                raise ValueError("Please ensure input dataset consumption mode is direct")
        elif value.mode == "direct":
            value = value.as_mount()
        return value
    if is_a(value, "PipelineOutputAbstractDataset"):
        return value
    raise Exception("Step input must be of any type: DatasetConsumptionConfig, PipelineOutputFileDataset, "
                    "PipelineOutputTabularDataset, OutputFileDatasetConfig, OutputTabularDatasetConfig, "
                    "found {}".format(type(value).__name__))


class ParallelRunStep(_PythonScriptStepBase):
    """Run ``parallel_run_config.entry_script`` over mini batches of ``inputs``."""

    def __init__(self, name: str, parallel_run_config: Any, inputs: list, output: Any = None,
                 side_inputs: list | None = None, arguments: list | None = None, allow_reuse: bool = True):
        config = parallel_run_config
        arguments = list(arguments or [])
        if not inputs:
            raise ValueError("Parameter inputs must be a non-empty list.")
        inputs = [_prepare_input(v) for v in inputs]
        if len({_is_tabular(v) for v in inputs}) > 1:
            raise Exception("All inputs of step must be same type")
        if output is None and config.output_action != "summary_only":
            raise Exception("Please specify output parameter.")
        if arguments and not (isinstance(arguments[0], str) and arguments[0].startswith("-")):
            raise ValueError("Found invalid argument '{}'. As your arguments will be merged with reserved argument, "
                             "you can only use keyword argument.".format(arguments[0]))
        for arg in arguments:
            if isinstance(arg, str) and arg.startswith("-") and arg.lstrip("-").split("=")[0] in RESERVED:
                raise ValueError("'{}' is a reserved argument in ParallelRunStep, please use another argument name "
                                 "instead.".format(arg.lstrip("-").split("=")[0]))
        source_directory = config.source_directory or "."
        if not os.path.isfile(os.path.join(source_directory, config.entry_script)):
            raise ValueError("The value '{0}' specified in entry_script doesn't exist.".format(config.entry_script))
        tabular = _is_tabular(inputs[0])
        batch = config.mini_batch_size
        if batch is None:
            batch = DEFAULT_TABULAR_BATCH if tabular else DEFAULT_FILE_BATCH
        driver_args: list = ["-m", DRIVER, "--scoring_module_name", config.entry_script,
                             "--mini_batch_size", batch, "--error_threshold", str(config.error_threshold),
                             "--output_action", config.output_action, "--logging_level", config.logging_level,
                             "--run_invocation_timeout", str(config.run_invocation_timeout),
                             "--run_max_try", str(config.run_max_try)]
        for flag, value in (("--allowed_failed_count", config.allowed_failed_count),
                            ("--allowed_failed_percent", config.allowed_failed_percent),
                            ("--append_row_file_name", config.append_row_file_name),
                            ("--process_count_per_node", config.process_count_per_node)):
            if value is not None:
                driver_args += [flag, str(value)]
        if output is not None:
            driver_args += ["--output", output]
        driver_args += arguments
        for n, value in enumerate(inputs):
            driver_args += ["--input_ds_%d" % n if tabular else "--input_fds_%d" % n, value]
        self._parallel_run_config = config
        super().__init__(command="python", script_name=None, name=name, arguments=driver_args,
                         compute_target=config.compute_target, inputs=inputs + list(side_inputs or []),
                         outputs=[output] if output is not None else [], source_directory=source_directory,
                         allow_reuse=allow_reuse)

    def _definition(self, ctx: Any) -> dict:
        definition = super()._definition(ctx)
        definition["environment_variables"].update(self._parallel_run_config.environment_variables)
        definition["parallel"] = {"entry_script": self._parallel_run_config.entry_script,
                                  "node_count": str(self._parallel_run_config.node_count)}
        return definition
