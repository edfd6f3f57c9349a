"""One worker process: load the entry script, ``init()`` once, then ``run()`` every mini batch it is sent.

Started by ``pool.py`` (``multiprocessing``, spawn) and kept warm for the whole step. Its stdout and
stderr go to its own files (``logs/user/stdout|stderr/<node>/<process>...``); every reply is a tuple
on the pipe: ``("ready",)``, ``("init_failed", traceback)``, or
``("done", index, items, lines, error, run_seconds)``.
"""
from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import time
import traceback
from typing import Any

from azureml_local.pipeline.parallel import entry_script

WRONG_TYPE = ("The run() method of the entry script returned {0}: it must return a list, a tuple or a pandas "
              "DataFrame, with one element (row) per input item it processed successfully.")


class MiniBatchContext:
    """The second argument of ``run(mini_batch, mini_batch_context)``."""

    def __init__(self, minibatch_index: int, partition_key_value: dict, dataset: dict | None):
        self.minibatch_index = minibatch_index
        self.partition_key_value = partition_key_value
        self._dataset_spec = dataset
        self._dataset: Any = None

    @property
    def dataset(self) -> Any:
        """The dataset this mini batch covers (for a partition: the input filtered to its key values)."""
        if self._dataset is None and self._dataset_spec is not None:
            from azureml.core import Run
            from azureml_local.data.dataset_registry import dataset_from_definition

            workspace = Run.get_context().experiment.workspace
            self._dataset = dataset_from_definition(workspace, self._dataset_spec["definition"])
        return self._dataset

    def __repr__(self) -> str:
        return (f"MiniBatchContext(minibatch_index={self.minibatch_index}, "
                f"partition_key_value={self.partition_key_value})")


def to_rows(result: Any, lines: bool) -> tuple[int, list[str] | None]:
    """``(successful items, append_row lines or None)`` of what ``run()`` returned."""
    if hasattr(result, "to_csv") and hasattr(result, "columns"):
        text = result.to_csv(sep=" ", header=False, index=False) if lines else ""
        return len(result), (text.splitlines() if lines else None)
    if isinstance(result, (list, tuple)):
        return len(result), ([str(x) for x in result] if lines else None)
    raise TypeError(WRONG_TYPE.format(f"a value of type {type(result).__name__}" if result is not None else "None"))


def _redirect(stdout: str, stderr: str) -> None:
    for path, fd in ((stdout, 1), (stderr, 2)):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)  # type: ignore[attr-defined]


def _load(path: str) -> Any:
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _takes_context(run: Any) -> bool:
    try:
        params = inspect.signature(run).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


def serve(conn: Any, config: dict) -> None:
    """The worker's main: ``config`` holds the entry script, user arguments and this worker's file names."""
    _redirect(config["stdout"], config["stderr"])
    entry_script.configure(log_file=config["entry_log"], log_dir=config["log_dir"], working_dir=os.getcwd(),
                           output_dir=config.get("output_dir"), agent_name=config["name"],
                           logging_level=config.get("logging_level"))
    sys.argv = [config["entry_script"], *config["user_args"]]
    sys.path.insert(0, os.getcwd())
    try:
        module = _load(config["entry_script"])
        if hasattr(module, "init"):
            module.init()
        if not callable(getattr(module, "run", None)):
            raise AttributeError(f"The entry script '{config['entry_script']}' has no run() function.")
    except BaseException:  # noqa: BLE001 - reported to the driver, which fails the step with it
        conn.send(("init_failed", traceback.format_exc()))
        return
    with_context, lines = _takes_context(module.run), config["output_action"] == "append_row"
    conn.send(("ready",))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            break
        if task is None:
            break
        index, data, key_value, dataset = task
        started = time.perf_counter()
        try:
            result = (module.run(data, MiniBatchContext(index, key_value, dataset)) if with_context
                      else module.run(data))
            items, rows = to_rows(result, lines)
            conn.send(("done", index, items, rows, None, time.perf_counter() - started))
        except Exception:  # noqa: BLE001 - one failed mini batch; the driver decides
            conn.send(("done", index, 0, None, traceback.format_exc(), time.perf_counter() - started))
    if callable(getattr(module, "shutdown", None)):
        module.shutdown()
