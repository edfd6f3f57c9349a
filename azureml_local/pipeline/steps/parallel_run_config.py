"""``ParallelRunConfig``: how a ParallelRunStep splits its input and calls the entry script.

Validation messages follow the SDK (``_parallel_run_config_base.py``). Locally
``node_count`` nodes are one machine: mini batches are spread over
``process_count_per_node`` worker processes (default: the CPU count).
"""
from __future__ import annotations

import re
from typing import Any

_SIZE = re.compile(r"^\d+([kKmMgG][bB])*$")
_BAD_FILE_NAME = re.compile(r'[~"#%&*:<>?\/\\{|}]+')


def _check_threshold(name: str, value: Any) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < -1):
        raise ValueError("{} '{}' is not an int value greater than or equal to -1.".format(name, value))


def parse_mini_batch_size(value: Any) -> int | None:
    """``'10'``, ``'1MB'``, ``'5kb'`` -> int (KB/MB/GB are powers of 1024); None stays None."""
    if value is None or isinstance(value, int):
        return value
    if not isinstance(value, str) or not _SIZE.match(value):
        raise ValueError("Parameter mini_batch_size must follow regex rule ^\\d+([kKmMgG][bB])*$.")
    digits = re.match(r"^\d+", value).group(0)  # type: ignore[union-attr]
    unit = value[len(digits):].lower()
    return int(digits) * {"": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}[unit]


class ParallelRunConfig:
    """Configuration of a ParallelRunStep (entry script, batching, error handling, output)."""

    def __init__(self, environment: Any, entry_script: str, error_threshold: int, output_action: str,
                 compute_target: Any, node_count: Any, process_count_per_node: int | None = None,
                 mini_batch_size: Any = None, source_directory: str | None = None, description: str | None = None,
                 logging_level: str = "INFO", run_invocation_timeout: int = 60, run_max_try: int = 3,
                 append_row_file_name: str | None = None, allowed_failed_count: int | None = None,
                 allowed_failed_percent: float | None = None, partition_keys: list | None = None,
                 environment_variables: dict | None = None):
        if environment is None:
            raise ValueError("Parameter environment is required. It should be instance of azureml.core.Environment.")
        if not any(c.__name__ == "Environment" for c in type(environment).__mro__):
            raise ValueError("Parameter environment must be an instance of azureml.core.Environment. "
                             "The actual value is {0}.".format(environment))
        if not isinstance(output_action, str) or output_action.lower() not in ("summary_only", "append_row"):
            raise ValueError("Parameter output_action must be summary_only or append_row.")
        _check_threshold("error_threshold", error_threshold)
        _check_threshold("allowed_failed_count", allowed_failed_count)
        if allowed_failed_percent is not None and (not isinstance(allowed_failed_percent, (int, float))
                                                   or not 0 <= allowed_failed_percent <= 100):
            raise ValueError("allowed_failed_percent '{}' is not a number between 0 and 100."
                             .format(allowed_failed_percent))
        if mini_batch_size is not None and partition_keys:
            raise ValueError("Parameters mini_batch_size and partition_keys are mutually exclusive, please specify "
                             "only one of them.")
        if process_count_per_node is not None and (not isinstance(process_count_per_node, int)
                                                   or process_count_per_node < 1):
            raise ValueError("Parameter process_count_per_node must be an integer greater than 0.")
        for name, value in (("run_invocation_timeout", run_invocation_timeout), ("run_max_try", run_max_try)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError("Parameter {} must be an integer greater than 0.".format(name))
        if append_row_file_name is not None and _BAD_FILE_NAME.search(append_row_file_name):
            raise ValueError("Parameter append_row_file_name must be a valid UNIX file name.")
        self.environment = environment
        self.entry_script = entry_script
        self.error_threshold = error_threshold
        self.output_action = output_action.lower()
        self.compute_target = compute_target
        self.node_count = node_count
        self.process_count_per_node = process_count_per_node
        self.mini_batch_size = mini_batch_size if type(mini_batch_size).__name__ == "PipelineParameter" \
            else parse_mini_batch_size(mini_batch_size)
        self.source_directory = source_directory
        self.description = description
        self.logging_level = logging_level
        self.run_invocation_timeout = run_invocation_timeout
        self.run_max_try = run_max_try
        self.append_row_file_name = append_row_file_name
        self.allowed_failed_count = allowed_failed_count
        self.allowed_failed_percent = allowed_failed_percent
        self.partition_keys = partition_keys
        self.environment_variables = dict(environment_variables or {})
