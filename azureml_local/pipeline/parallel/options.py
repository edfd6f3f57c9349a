"""The driver's arguments: the SDK's generated ``amlbi_main.py`` argv, parsed.

The step passes what the SDK passes (``_generate_main_file_args``); arguments the driver does not
know are the user's and reach the entry script in its ``sys.argv``, as in the cloud.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from dataclasses import dataclass, field

SIZE_RULE = re.compile(r"^\d+([kKmMgG][bB])*$")
SIZE_MESSAGE = "Parameter mini_batch_size must follow regex rule ^\\d+([kKmMgG][bB])*$."
DEFAULT_APPEND_ROW_FILE = "parallel_run_step.txt"
NODE_COUNT_ENV = "AZUREML_LOCAL_PRS_NODE_COUNT"
_INPUT = re.compile(r"^--input(_ds_|_fds_|_pipeline_param_)?(\d+)$")


def parse_size(value: object) -> int:
    """``10`` / ``'10'`` / ``'1MB'`` / ``'5kb'`` -> int (KB, MB, GB are powers of 1024), as the SDK converts it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str) or not SIZE_RULE.match(value):
        raise ValueError(SIZE_MESSAGE)
    digits = re.match(r"^\d+", value).group(0)  # type: ignore[union-attr]
    unit = value[len(digits):].lower()
    if unit not in ("", "kb", "mb", "gb"):
        raise ValueError(SIZE_MESSAGE)
    return int(digits) * {"": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}[unit]


@dataclass
class DriverOptions:
    """Everything the driver needs, from argv and the step's environment."""

    entry_script: str
    mini_batch_size: int | None
    error_threshold: int
    output_action: str
    logging_level: str = "INFO"
    run_invocation_timeout: int = 60
    run_max_try: int = 3
    allowed_failed_count: int | None = None
    allowed_failed_percent: float | None = None
    append_row_file_name: str | None = None
    output: str | None = None
    process_count_per_node: int | None = None
    node_count: int = 1
    partition_keys: list[str] | None = None
    rank_mini_batch_count: int = 0                                # mini batches without input data
    inputs: list[tuple[str, str]] = field(default_factory=list)   # (kind 'tabular'|'file'|'path', argv value)
    user_args: list[str] = field(default_factory=list)

    @property
    def workers(self) -> int:
        return max(1, self.node_count) * max(1, self.process_count_per_node or os.cpu_count() or 1)

    @property
    def append_row_file(self) -> str:
        return self.append_row_file_name or DEFAULT_APPEND_ROW_FILE


def parse(argv: list[str]) -> DriverOptions:
    parser = argparse.ArgumentParser(prog="ParallelRunStep driver", add_help=False)
    for name in ("scoring_module_name", "output_action", "logging_level", "append_row_file_name", "output",
                 "mini_batch_size", "partition_keys", "client_sdk_version", "create_snapshot_at_runtime"):
        parser.add_argument("--" + name)
    for name in ("error_threshold", "run_invocation_timeout", "run_max_try", "allowed_failed_count",
                 "process_count_per_node"):
        parser.add_argument("--" + name, type=int)
    parser.add_argument("--allowed_failed_percent", type=float)
    args, rest = parser.parse_known_args(argv)
    inputs, user_args, i = [], [], 0
    while i < len(rest):
        match = _INPUT.match(rest[i])
        if match and i + 1 < len(rest):
            kind = {"_ds_": "tabular", "_fds_": "file", None: "path"}.get(match.group(1))
            if kind is not None:  # --input_pipeline_param_<i> only names the parameter (the value came already)
                inputs.append((kind, rest[i + 1]))
            i += 2
            continue
        user_args.append(rest[i])
        i += 1
    keys = json.loads(args.partition_keys) if args.partition_keys else None
    rank = argparse.ArgumentParser(add_help=False)
    rank.add_argument("--rank_mini_batch_count", type=int, default=0)
    rank_count = rank.parse_known_args(user_args)[0].rank_mini_batch_count
    return DriverOptions(
        entry_script=args.scoring_module_name, error_threshold=args.error_threshold,
        mini_batch_size=None if keys or args.mini_batch_size in (None, "", "None") else parse_size(args.mini_batch_size),
        output_action=(args.output_action or "append_row").lower(), logging_level=args.logging_level or "INFO",
        run_invocation_timeout=args.run_invocation_timeout or 60, run_max_try=args.run_max_try or 3,
        allowed_failed_count=args.allowed_failed_count, allowed_failed_percent=args.allowed_failed_percent,
        append_row_file_name=args.append_row_file_name, output=args.output,
        process_count_per_node=args.process_count_per_node, node_count=int(os.environ.get(NODE_COUNT_ENV) or 1),
        partition_keys=keys, rank_mini_batch_count=max(0, rank_count), inputs=inputs, user_args=user_args)
