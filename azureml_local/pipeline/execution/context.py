"""Shared state of one pipeline run while it executes (results of finished steps, cancel flag)."""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from azureml_local.pipeline.execution.ahead import PreparedStep
    from azureml_local.pipeline.reuse import ReuseKey
    from azureml_local.workspace import Workspace


@dataclass
class StepResult:
    """What the orchestrator and consumers need from a finished (or reused) step."""

    node_id: str
    step_run_id: str
    status: str                                   # Completed | Failed | Canceled
    outputs: dict[str, dict] = field(default_factory=dict)  # name -> {datastore, path, local_path, kind, tabular}
    reused_from: str | None = None                # original step run id when reused
    error: dict | None = None
    upload: Future | None = None                  # background upload of outputs to their datastores
    key: "ReuseKey | None" = None


class LaunchGate:
    """Steps being started hold the gate; background uploads wait for it (at most ``UPLOAD_WAIT_SECONDS``).

    Why: a finished step's upload (blob client, Azurite) and the next step's start (rows, mount,
    ``fork_exec``) compete for the GIL and the cores; the start is on the pipeline's critical path,
    the upload is not. A step holds the gate from when the orchestrator hands it to a thread until its
    process is launched, and again from when its process ends until the orchestrator has started the
    steps that were waiting for it: the upload then overlaps the next process instead of delaying it.
    The cap keeps a slow start (a big input download) from holding uploads back for long.
    """

    UPLOAD_WAIT_SECONDS = 0.5

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._holders: set[str] = set()

    def hold(self, node_id: str) -> None:
        with self._changed:
            self._holders.add(node_id)

    def release(self, *node_ids: str) -> None:
        """Idempotent: releasing a node that does not hold the gate does nothing."""
        with self._changed:
            self._holders.difference_update(node_ids)
            self._changed.notify_all()

    def release_all(self) -> None:
        with self._changed:
            self._holders.clear()
            self._changed.notify_all()

    def wait_open(self, timeout: float | None = None) -> bool:
        """Wait until no step holds the gate, at most ``timeout`` s (default ``UPLOAD_WAIT_SECONDS``)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._holders,
                                          self.UPLOAD_WAIT_SECONDS if timeout is None else timeout)


@dataclass
class PipelineContext:
    ws: "Workspace"
    pipeline_run_id: str
    experiment_name: str
    definition: dict
    parameters: dict[str, Any]
    regenerate_outputs: bool
    run_root: Path
    reuse_mode: str = "content"
    experiment_id: str | None = None              # the steps' experiment (spares a lookup per step)
    cancel: threading.Event = field(default_factory=threading.Event)
    results: dict[str, StepResult] = field(default_factory=dict)
    uploads: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="upload"))
    lock: threading.Lock = field(default_factory=threading.Lock)
    launches: LaunchGate = field(default_factory=LaunchGate)
    prepared: dict[str, "PreparedStep"] = field(default_factory=dict)  # node id -> its folders made ahead

    def after_launches(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` on the background threads once the steps being started have their processes
        (``LaunchGate``): finished steps' uploads, the next steps' folders."""
        def when_open() -> Any:
            self.launches.wait_open()
            return fn(*args)
        return self.uploads.submit(when_open)

    @property
    def default_datastore(self) -> str | None:
        return self.definition.get("default_datastore")
