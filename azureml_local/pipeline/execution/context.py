"""Shared state of one pipeline run while it executes (results of finished steps, cancel flag)."""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

    @property
    def default_datastore(self) -> str | None:
        return self.definition.get("default_datastore")
