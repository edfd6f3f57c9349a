"""``ParallelRunConfig``: how a ParallelRunStep splits its input and calls the entry script.

Validation and messages follow the SDK (``_ParallelRunConfigBase``). Locally the ``node_count``
nodes are one machine: the step starts ``node_count x process_count_per_node`` worker processes
(``process_count_per_node`` defaults to the CPU count), see docs/parallel-run.md.
"""
from __future__ import annotations

import json
import re
from typing import Any

from azureml_local.pipeline.builder_io import is_a
from azureml_local.pipeline.parallel.options import parse_size

_BAD_FILE_NAME = re.compile(r'[~"#%&*:<>?\/\\{|}]+')


def _is_param(value: Any) -> bool:
    return is_a(value, "PipelineParameter")


def _check_count(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < -1:
        raise ValueError("{} '{}' is not an int value greater than or equal to -1.".format(name, value))


def _check_partition_keys(keys: Any) -> None:
    if _is_param(keys):
        try:
            loaded = json.loads(keys.default_value)
        except (TypeError, ValueError):
            raise ValueError("default_value of PipelineParameter partition_keys must be json dump result of a list "
                             "of str, try json.loads the value to validate.") from None
        if not isinstance(loaded, list):
            raise ValueError("default_value of PipelineParameter partition_keys must be json dump result of a list "
                             "of str.")
        for key in loaded:
            if not isinstance(key, str):
                raise ValueError("Element {0} in default_value of PipelineParameter partition_keys is not a str."
                                 .format(key))
        return
    if not isinstance(keys, list):
        raise ValueError("Parameter partition_keys must be of type list.")
    for key in keys:
        if not isinstance(key, str):
            raise ValueError("Element {0} in partition_keys is not a str.".format(key))


def _check_positive(name: str, value: Any) -> None:
    if not _is_param(value) and (not isinstance(value, int) or value <= 0):
        raise ValueError("Parameter {} must be an integer greater than 0.".format(name))


class ParallelRunConfig:
    """Configuration of a ParallelRunStep (entry script, batching, error handling, output)."""

    def __init__(self, environment: Any, entry_script: str, error_threshold: int, output_action: str,
                 compute_target: Any, node_count: Any, process_count_per_node: Any = None,
                 mini_batch_size: Any = None, source_directory: str | None = None, description: str | None = None,
                 logging_level: str = "INFO", run_invocation_timeout: Any = 60, run_max_try: Any = 3,
                 append_row_file_name: str | None = None, allowed_failed_count: int | None = None,
                 allowed_failed_percent: float | None = None, partition_keys: Any = None,
                 environment_variables: dict | None = None):
        if environment is None:
            raise ValueError("Parameter environment is required. It should be instance of azureml.core.Environment.")
        if not is_a(environment, "Environment"):
            raise ValueError("Parameter environment must be an instance of azureml.core.Environment. "
                             "The actual value is {0}.".format(environment))
        if not isinstance(output_action, str) or output_action.lower() not in ("summary_only", "append_row"):
            raise ValueError("Parameter output_action must be summary_only or append_row.")
        _check_count("error_threshold", error_threshold)
        if allowed_failed_count is not None:
            _check_count("allowed_failed_count", allowed_failed_count)
        if allowed_failed_percent is not None:
            if not isinstance(allowed_failed_percent, (int, float)) or isinstance(allowed_failed_percent, bool):
                raise ValueError("allowed_failed_percent '{}' is not an int or float.".format(allowed_failed_percent))
            if allowed_failed_percent < 0 or allowed_failed_percent > 100:
                raise ValueError("allowed_failed_percent '{}' is not between 0 and 100.".format(allowed_failed_percent))
        if mini_batch_size is not None and partition_keys is not None:
            raise ValueError("Parameters mini_batch_size and partition_keys are mutually exclusive, because they "
                             "specify different ways to partition the input datasets into mini-batches.")
        if mini_batch_size is not None and not _is_param(mini_batch_size):
            if not isinstance(mini_batch_size, (int, str)) or isinstance(mini_batch_size, bool):
                raise ValueError("Parameter mini_batch_size must be of type int or str.")
            mini_batch_size = parse_size(mini_batch_size)
        if partition_keys is not None:
            _check_partition_keys(partition_keys)
        if process_count_per_node is not None and not _is_param(process_count_per_node) \
                and (not isinstance(process_count_per_node, int) or process_count_per_node < 1):
            raise ValueError("Parameter process_count_per_node must be an integer greater than 0.")
        max_nodes = getattr(getattr(compute_target, "scale_settings", None), "maximum_node_count", None)
        if is_a(compute_target, "AmlCompute") and max_nodes is not None and not _is_param(node_count) \
                and (node_count > max_nodes or node_count <= 0):
            raise ValueError("node_count '{}' is not between 1 and max_nodes {}.".format(node_count, max_nodes))
        _check_positive("run_invocation_timeout", run_invocation_timeout)
        _check_positive("run_max_try", run_max_try)
        if output_action.lower() == "append_row" and append_row_file_name is not None \
                and _BAD_FILE_NAME.search(append_row_file_name):
            raise ValueError("Parameter append_row_file_name must be a valid UNIX file name.")
        self.environment = environment
        self.entry_script = entry_script
        self.error_threshold = error_threshold
        self.output_action = output_action
        self.compute_target = compute_target
        self.node_count = node_count
        self.process_count_per_node = process_count_per_node
        self.mini_batch_size = mini_batch_size
        self.source_directory = source_directory
        self.description = description
        self.logging_level = logging_level
        self.run_invocation_timeout = run_invocation_timeout
        self.run_max_try = run_max_try
        self.append_row_file_name = append_row_file_name
        self.allowed_failed_count = allowed_failed_count
        self.allowed_failed_percent = allowed_failed_percent
        self.partition_keys = partition_keys
        self.environment_variables = {} if environment_variables is None else environment_variables
