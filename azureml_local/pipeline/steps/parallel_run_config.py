"""``ParallelRunConfig``: how a ParallelRunStep splits its input and calls the entry script.

Validation and messages follow the SDK (``_ParallelRunConfigBase``). Locally the ``node_count``
nodes are one machine: the step starts ``node_count x process_count_per_node`` worker processes
(``process_count_per_node`` defaults to the CPU count), see docs/parallel-run.md.
"""
from __future__ import annotations

import json
import re
from typing import Any

from azureml_local.compute.amlcompute import AmlCompute
from azureml_local.environment import Environment
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

    def save_to_yaml(self, path: str) -> None:
        """Write this configuration as ``{"parallel_run_config": {...}}`` YAML (the SDK's keys)."""
        import yaml

        config = {
            "mini_batch_size": _default(self.mini_batch_size),
            "partition_keys": json.loads(self.partition_keys.default_value) if _is_param(self.partition_keys)
            else self.partition_keys,
            "error_threshold": self.error_threshold, "output_action": self.output_action,
            "logging_level": _default(self.logging_level),
            "compute_target_name": self.compute_target if isinstance(self.compute_target, str)
            else self.compute_target.name,
            "node_count": _default(self.node_count), "process_count_per_node": _default(self.process_count_per_node),
            "entry_script": self.entry_script, "source_directory": self.source_directory,
            "description": self.description, "run_invocation_timeout": _default(self.run_invocation_timeout),
            "run_max_try": _default(self.run_max_try), "append_row_file_name": self.append_row_file_name,
            "environment": Environment._serialize_to_dict(self.environment),
            "environment_variables": dict(self.environment_variables),
        }
        with open(path, "w") as f:
            yaml.safe_dump({"parallel_run_config": config}, f, sort_keys=False)

    @staticmethod
    def load_yaml(workspace: Any, path: str) -> "ParallelRunConfig":
        """A configuration from :meth:`save_to_yaml`'s file (its compute target looked up in ``workspace``)."""
        import yaml

        with open(path) as f:
            config = yaml.safe_load(f)["parallel_run_config"]
        serialized = config.get("environment")
        if serialized is None:
            raise ValueError("Parameter error: an environment must be provided")
        size = config.get("mini_batch_size")
        return ParallelRunConfig(
            environment=Environment._deserialize_and_add_to_object(serialized),
            entry_script=config.get("entry_script"), error_threshold=config.get("error_threshold"),
            output_action=config.get("output_action"),
            compute_target=AmlCompute(workspace, config["compute_target_name"]),
            node_count=config.get("node_count"), process_count_per_node=config.get("process_count_per_node"),
            mini_batch_size=None if size is None else "{0}".format(size),
            source_directory=config.get("source_directory"), description=config.get("description"),
            logging_level=config.get("logging_level"), run_invocation_timeout=config.get("run_invocation_timeout"),
            run_max_try=config.get("run_max_try"), append_row_file_name=config.get("append_row_file_name"),
            allowed_failed_count=config.get("allowed_failed_count"),
            allowed_failed_percent=config.get("allowed_failed_percent"),
            partition_keys=config.get("partition_keys"), environment_variables=config.get("environment_variables"))


def _default(value: Any) -> Any:
    return value.default_value if _is_param(value) else value
