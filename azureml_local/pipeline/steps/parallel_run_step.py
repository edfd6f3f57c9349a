"""``ParallelRunStep``: split a dataset into mini batches and call an entry script's ``run()``.

Constructed like the SDK's ``_ParallelRunStepBase`` (input checks and conversions, reserved argument
names, the generated driver arguments); it becomes a command step that runs the local driver
(``python -m azureml_local.pipeline.parallel.driver``) in the step's snapshot, executed by
``azureml_local.pipeline.parallel.executor``. See docs/parallel-run.md.
"""
from __future__ import annotations

import argparse
import json
import os
import warnings
from typing import Any

from azureml_local import SDK_VERSION
from azureml_local.pipeline.builder_io import is_a, is_consumption, is_output_config, is_tabular_output_config
from azureml_local.pipeline.parallel.batching import DEFAULT_FILE_BATCH, DEFAULT_TABULAR_BATCH
from azureml_local.pipeline.parallel.options import NODE_COUNT_ENV
from azureml_local.pipeline.steps.parallel_run_config import ParallelRunConfig
from azureml_local.pipeline.steps.python_script_step import _PythonScriptStepBase

DRIVER = "azureml_local.pipeline.parallel.driver"
RESERVED = ("mini_batch_size", "error_threshold", "allowed_failed_count", "allowed_failed_percent", "output",
            "output_action", "logging_level", "process_count_per_node", "run_invocation_timeout", "run_max_try",
            "append_row_file_name", "partition_keys")
ALLOWED_INPUT_TYPES = ("DatasetConsumptionConfig, PipelineOutputFileDataset, PipelineOutputTabularDataset, "
                       "OutputFileDatasetConfig, OutputTabularDatasetConfig, LinkFileOutputDatasetConfig, "
                       "LinkTabularOutputDatasetConfig")
# packages that bring the dataset runtime the SDK wants in the environment (its warning lists, as facts)
_FUSE_PANDAS = ("azureml-dataprep[fuse,pandas]", "azureml-dataprep[pandas,fuse]", "azureml-automl-runtime",
                "azureml-contrib-dataset", "azureml-datadrift", "azureml-dataset-runtime[pandas,fuse]",
                "azureml-dataset-runtime[fuse,pandas]", "azureml-opendatasets", "azureml-train-automl",
                "azureml-train-automl-runtime")
_FUSE_ONLY = ("azureml-dataprep[fuse]", "azureml-dataset-runtime[fuse]", "azureml-defaults", "azureml-sdk")


def _is_tabular(value: Any) -> bool:
    target = value.dataset if is_consumption(value) else value
    if is_a(target, "PipelineParameter"):
        target = target.default_value
    return is_a(target, "TabularDataset", "PipelineOutputTabularDataset") or is_tabular_output_config(target)


def _check_input(value: Any, partitioned: bool, primary: bool = True) -> None:
    """The SDK's ``_get_input_type`` checks."""
    if is_consumption(value):
        if _is_tabular(value) and value.mode != "direct":
            raise Exception("Please ensure input dataset consumption mode is direct")
        if not _is_tabular(value) and partitioned and primary and value.mode != "direct":
            raise Exception("Please ensure input dataset consumption mode is direct for partitioned dataset")
    elif is_a(value, "PipelineOutputTabularDataset"):
        if getattr(value, "_input_mode", "direct") != "direct":
            raise Exception("Please ensure pipeline input dataset consumption mode is direct")
    elif not is_a(value, "PipelineOutputFileDataset"):
        raise Exception("Step input must be of any type: {}, found {}".format(ALLOWED_INPUT_TYPES, type(value)))


def _as_mount(value: Any) -> Any:
    """File inputs are mounted (the SDK's ``_convert_to_mount_mode`` on Linux)."""
    if is_consumption(value) and (value.mode != "mount" or value.path_on_compute is None):
        return value.as_mount()
    if is_a(value, "PipelineOutputFileDataset") and getattr(value, "_input_mode", None) != "mount":
        return value.as_mount()
    return value


def _rank_mini_batch_count(arguments: list) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--rank_mini_batch_count", type=int, default=0)
    return parser.parse_known_args([str(a) for a in arguments])[0].rank_mini_batch_count


def _validate_arguments(arguments: list) -> None:
    if not arguments:
        return
    if not str(arguments[0]).startswith("-"):
        raise ValueError("Found invalid argument '{}'. As your arguments will be merged with reserved argument, "
                         "you can only use keyword argument.".format(arguments[0]))
    for item in arguments:
        if isinstance(item, str) and item.startswith("--") and item[2:].split("=")[0] in RESERVED:
            raise ValueError("'{}' is a reserved argument in ParallelRunStep, please use another argument name "
                             "instead.".format(item[2:].split("=")[0]))


def _validate_source(config: Any) -> None:
    source_dir, entry_script = config.source_directory, config.entry_script
    if source_dir:
        if not os.path.exists(source_dir):
            raise ValueError("The value '{0}' specified in source_directory doesn't exist.".format(source_dir))
        if not os.path.isdir(source_dir):
            raise ValueError("The value '{0}' specified in source_directory is not a directory.".format(source_dir))
    if entry_script:
        full_path = os.path.join(source_dir or ".", entry_script)
        if not os.path.exists(full_path):
            raise ValueError("The value '{0}' specified in entry_script doesn't exist.".format(entry_script))
        if not os.path.isfile(full_path):
            raise ValueError("The value '{0}' specified in entry_script is not a file.".format(entry_script))


def _warn_packages(environment: Any, tabular: bool) -> None:
    """The SDK's warnings when the environment lacks azureml-core / azureml-dataset-runtime (only warnings)."""
    deps = getattr(getattr(environment, "python", None), "conda_dependencies", None)
    pips = [str(p) for p in (getattr(deps, "pip_packages", None) or [])]
    if not [p for p in pips if p.startswith("azureml") and not p.startswith("azureml-dataset-runtime")]:
        warnings.warn("\nParallelRunStep requires azureml-core package to provide the functionality.\n"
                      "Please add azureml-core package in CondaDependencies.", UserWarning)
    wanted = _FUSE_PANDAS if tabular else _FUSE_PANDAS + _FUSE_ONLY
    if not any(p.startswith(w) for p in pips for w in wanted):
        warnings.warn("\nParallelRunStep requires azureml-dataset-runtime[{}] for {} dataset.\nPlease add relevant "
                      "package in CondaDependencies.".format("fuse,pandas" if tabular else "fuse",
                                                             "tabular" if tabular else "file"), UserWarning)


class ParallelRunStep(_PythonScriptStepBase):
    """Run ``parallel_run_config.entry_script`` over mini batches of ``inputs``."""

    def __init__(self, name: str, parallel_run_config: Any, inputs: list, output: Any = None,
                 side_inputs: list | None = None, arguments: list | None = None, allow_reuse: bool = True):
        config = parallel_run_config
        if not isinstance(config, ParallelRunConfig):
            raise Exception("Param parallel_run_config must be a azureml.pipeline.steps.ParallelRunConfig")
        arguments = list(arguments or [])
        inputs = [v.as_input() if is_output_config(v) else v for v in (inputs or [])]
        _validate_arguments(arguments)
        rank_count = _rank_mini_batch_count(arguments) if arguments else 0
        assert (isinstance(inputs, list) and inputs != []) or rank_count > 0, (
            "The parameter 'inputs' must be a list and have at least one element or rank_mini_batch_count must be "
            "greater than zero.")
        partitioned = bool(getattr(config, "partition_keys", None))
        for value in inputs:
            _check_input(value, partitioned)
        if len({_is_tabular(v) for v in inputs}) > 1:
            raise Exception("All inputs of step must be same type")
        if config.output_action.lower() != "summary_only" and output is None:
            raise Exception("Please specify output parameter.")
        _validate_source(config)
        tabular = bool(inputs) and _is_tabular(inputs[0])
        _warn_packages(config.environment, tabular)
        if not tabular and not partitioned:
            inputs = [_as_mount(v) for v in inputs]
        side = []
        for value in side_inputs or []:
            mounted = _as_mount(value) if (is_consumption(value) or is_a(value, "PipelineOutputFileDataset")) \
                and not _is_tabular(value) else value
            arguments = [mounted if a is value else a for a in arguments]
            side.append(mounted)
        batch = config.mini_batch_size
        if batch is None:
            batch = DEFAULT_TABULAR_BATCH if tabular else DEFAULT_FILE_BATCH
        driver_args: list = ["-m", DRIVER, "--client_sdk_version", SDK_VERSION,
                             "--scoring_module_name", config.entry_script, "--mini_batch_size", batch,
                             "--error_threshold", config.error_threshold, "--output_action", config.output_action,
                             "--logging_level", config.logging_level,
                             "--run_invocation_timeout", config.run_invocation_timeout,
                             "--run_max_try", config.run_max_try, "--create_snapshot_at_runtime", "True"]
        if config.allowed_failed_count is not None:
            driver_args += ["--allowed_failed_count", config.allowed_failed_count]
        if config.allowed_failed_percent is not None:
            driver_args += ["--allowed_failed_percent", config.allowed_failed_percent]
        if config.output_action.lower() == "append_row" and config.append_row_file_name is not None:
            driver_args += ["--append_row_file_name", config.append_row_file_name]
        if output is not None:
            driver_args += ["--output", output]
        if config.process_count_per_node is not None:
            driver_args += ["--process_count_per_node", config.process_count_per_node]
        if config.partition_keys is not None:
            keys = config.partition_keys
            driver_args += ["--partition_keys", keys if is_a(keys, "PipelineParameter") else json.dumps(keys)]
        driver_args += arguments
        for n, value in enumerate(inputs):
            driver_args += ["--input_ds_%d" % n if tabular else "--input_fds_%d" % n, value]
        driver_args = [str(a) if isinstance(a, (int, float)) and not isinstance(a, bool) else a for a in driver_args]
        self._parallel_run_config = config
        super().__init__(command="python", script_name=None, name=name, arguments=driver_args,
                         compute_target=config.compute_target, inputs=inputs + side,
                         outputs=[output] if output is not None else [], source_directory=config.source_directory,
                         allow_reuse=allow_reuse)

    def _definition(self, ctx: Any) -> dict:
        definition = super()._definition(ctx)
        config = self._parallel_run_config
        node_count = config.node_count.default_value if is_a(config.node_count, "PipelineParameter") \
            else config.node_count
        definition["environment_variables"].update({str(k): str(v) for k, v in config.environment_variables.items()})
        definition["environment_variables"][NODE_COUNT_ENV] = str(node_count or 1)
        definition["parallel"] = {"entry_script": config.entry_script, "node_count": str(node_count)}
        return definition
