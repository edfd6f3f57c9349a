"""The ParallelRunStep driver run inside the step (``python -m ...parallel_driver``).

Loads the entry script, calls ``init()`` once per worker process and ``run(mini_batch)``
per mini batch: a list of file paths (FileDataset) or a pandas DataFrame (TabularDataset).
``append_row`` writes every returned row to ``<output>/parallel_run_step.txt`` (or
``--append_row_file_name``), one line per row, DataFrame columns separated by spaces.
Failed items beyond ``--error_threshold`` (or mini batches beyond ``--allowed_failed_count``)
fail the step. Arguments the driver does not know are left in ``sys.argv`` for the
entry script, as in the cloud.

Not (yet) local: ``run_invocation_timeout`` per ``run()`` call (the step's own timeout
still applies), ``partition_keys`` (mini batches by partition) and the per-node logs
folder layout of the cloud driver.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_module: Any = None


def _load(entry_script: str) -> Any:
    sys.path.insert(0, os.getcwd())
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(entry_script))[0], entry_script)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _init_worker(entry_script: str, argv: list[str]) -> None:
    global _module
    sys.argv = argv
    _module = _load(entry_script)
    if hasattr(_module, "init"):
        _module.init()


def _run_batch(batch: Any, tries: int) -> tuple[list, str | None]:
    error = None
    for _ in range(tries):
        try:
            result = _module.run(batch)
            return (result.values.tolist() if hasattr(result, "values") and hasattr(result, "columns")
                    else list(result or [])), None
        except Exception:
            error = traceback.format_exc()
    return [], error


def _batches(args: argparse.Namespace, inputs: list[tuple[str, str]]) -> list:
    if any(kind == "ds" for kind, _ in inputs):
        from azureml.core import Run

        run = Run.get_context()
        frames = []
        for _, value in inputs:
            dataset = next((d for d in run.input_datasets.values() if getattr(d, "id", None) == value), None)
            frames.append(dataset.to_pandas_dataframe() if dataset is not None else None)
        import pandas as pd

        frame = pd.concat([f for f in frames if f is not None], ignore_index=True)
        row_bytes = max(1, int(frame.memory_usage(deep=True).sum() / max(1, len(frame))))
        rows = max(1, args.mini_batch_size // row_bytes)
        return [frame.iloc[i:i + rows] for i in range(0, len(frame), rows)]
    files: list[str] = []
    for _, root in inputs:
        if os.path.isfile(root):
            files.append(root)
            continue
        for dirpath, _, names in sorted(os.walk(root)):
            files.extend(os.path.join(dirpath, n) for n in sorted(names))
    return [files[i:i + args.mini_batch_size] for i in range(0, len(files), args.mini_batch_size)]


def _batch_size(batch: Any) -> int:
    return len(batch)


def main() -> int:
    parser = argparse.ArgumentParser()
    for name in ("scoring_module_name", "output_action", "logging_level", "append_row_file_name", "output"):
        parser.add_argument("--" + name)
    for name in ("mini_batch_size", "error_threshold", "run_invocation_timeout", "run_max_try",
                 "allowed_failed_count", "process_count_per_node"):
        parser.add_argument("--" + name, type=int)
    parser.add_argument("--allowed_failed_percent", type=float)
    args, rest = parser.parse_known_args()
    inputs: list[tuple[str, str]] = []
    user_args: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i].startswith(("--input_ds_", "--input_fds_")) and i + 1 < len(rest):
            inputs.append(("ds" if rest[i].startswith("--input_ds_") else "fds", rest[i + 1]))
            i += 2
        else:
            user_args.append(rest[i])
            i += 1
    argv = [args.scoring_module_name, *user_args]
    batches = _batches(args, inputs)
    workers = max(1, min(args.process_count_per_node or os.cpu_count() or 1, len(batches) or 1))
    print(f"ParallelRunStep: {len(batches)} mini batches, {workers} worker process(es)")
    results: list[tuple[list, str | None]] = []
    if workers == 1:
        _init_worker(args.scoring_module_name, argv)
        results = [_run_batch(b, args.run_max_try) for b in batches]
    else:
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(args.scoring_module_name, argv)) as pool:
            results = list(pool.map(_run_batch, batches, [args.run_max_try] * len(batches)))
    failed_items = sum(_batch_size(b) for b, (_, err) in zip(batches, results) if err)
    failed_batches = sum(1 for _, err in results if err)
    for _, err in results:
        if err:
            print(err, file=sys.stderr)
    rows = [row for rows_, _ in results for row in rows_]
    if args.output_action == "append_row" and args.output:
        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, args.append_row_file_name or "parallel_run_step.txt"), "w") as fh:
            for row in rows:
                fh.write((" ".join(str(v) for v in row) if isinstance(row, (list, tuple)) else str(row)) + "\n")
    print(f"ParallelRunStep: {len(rows)} results, {failed_batches} failed mini batches ({failed_items} items)")
    too_many = (args.error_threshold is not None and args.error_threshold != -1
                and failed_items > args.error_threshold)
    if args.allowed_failed_count is not None and args.allowed_failed_count != -1:
        too_many = too_many or failed_batches > args.allowed_failed_count
    if args.allowed_failed_percent is not None and batches:
        too_many = too_many or 100.0 * failed_batches / len(batches) > args.allowed_failed_percent
    if too_many:
        print("ParallelRunStep: too many failures, the step fails.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
