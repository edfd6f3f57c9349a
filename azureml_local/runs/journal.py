"""``_JournalRun``: ``Run.get_context()`` inside a job on a Dask worker (docs/dask.md).

The worker cannot open the workspace database, so what the script logs is appended to a journal
(``<working dir>/.azureml_journal/journal.jsonl``, files next to it) that travels back with the job's
results; the launcher replays it into the run history when the job ends
(``engine/dask_launcher.replay_journal``). The logging methods are the ``Run``'s own
(``RunMetricsMixin``: same checks, same messages); ``parent`` logs to the parent run the same way.
Reading the history back (``get_metrics``, ``get_details``...) needs the workspace and is not available
on a worker.
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from azureml_local.exceptions import UserErrorException
from azureml_local.runs import metrics
from azureml_local.runs.metrics import RunMetricsMixin

JOURNAL_ENV = "AZUREML_LOCAL_RUN_JOURNAL"
PARENT_ENV = "AZUREML_LOCAL_PARENT_RUN_ID"  # a pipeline step's parent (the pipeline run), for ``run.parent``


class _Journal:
    """Stands in for ``ctx.runs`` (the writes a run makes) and ``ws._context``/``ws``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._context = self
        self.runs = self

    def _append(self, entry: dict) -> None:
        with self._lock, open(self.folder / "journal.jsonl", "a") as f:
            f.write(json.dumps(entry) + "\n")

    def log_metric(self, run_id: str, name: str, kind: str, value_json: str, step: int | None = None,
                   description: str = "") -> None:
        self._append({"op": "metric", "run": run_id, "name": name, "kind": kind, "value": value_json, "step": step,
                      "description": description})

    def set_tags(self, run_id: str, tags: dict) -> None:
        self._append({"op": "tags", "run": run_id, "tags": {str(k): None if v is None else str(v) for k, v in tags.items()}})

    def add_properties(self, run_id: str, properties: dict) -> None:
        self._append({"op": "properties", "run": run_id, "properties": {str(k): str(v) for k, v in properties.items()}})

    def add_file(self, run_id: str, name: str, path: str) -> None:
        with self._lock:
            index = len(list((self.folder / "files").glob("*"))) if (self.folder / "files").exists() else 0
            (self.folder / "files").mkdir(exist_ok=True)
            stored = f"files/{index}"
            shutil.copyfile(path, self.folder / stored)
        self._append({"op": "file", "run": run_id, "name": name, "file": stored})


class _JournalRun(RunMetricsMixin):
    """The run of a job on a Dask worker: writes go to the journal (see the module docstring)."""

    def __init__(self, run_id: str, folder: str, parent_id: str | None = None):
        self._run_id = run_id
        self._ws = _Journal(Path(folder))
        self._folder, self._parent_id = folder, parent_id

    @property
    def id(self) -> str:
        return self._run_id

    @property
    def parent(self) -> "_JournalRun | None":
        """The parent run (a pipeline step's pipeline run): its writes go to the same journal."""
        return _JournalRun(self._parent_id, self._folder) if self._parent_id else None

    def _check_writable(self) -> None:
        return None

    def log_image(self, name: str, path: str | None = None, plot: Any = None, description: str = "") -> None:
        if plot is not None or path is None:
            raise UserErrorException("On a Dask worker, log_image takes an image file path; save the plot first "
                                     "(plot.savefig('outputs/plot.png')) and pass path=.")
        self.upload_file(os.path.basename(path), path)
        self._log_metric(name, "image", metrics.artifacts.artifact_uri(self._run_id, os.path.basename(path)),
                         None, description)

    def tag(self, key: str, value: Any = None) -> None:
        self.set_tags({key: value})

    def set_tags(self, tags: dict) -> None:
        if not isinstance(tags, dict):
            raise UserErrorException("set_tags expects a dict of tag name -> value.")
        self._ws.set_tags(self._run_id, tags)

    def add_properties(self, properties: dict) -> None:
        if properties and not isinstance(properties, dict):
            raise UserErrorException("add_properties expects a dict of property name -> value.")
        if properties:
            self._ws.add_properties(self._run_id, properties)

    def upload_file(self, name: str, path_or_stream: str, datastore_name: Any = None) -> None:
        if not isinstance(path_or_stream, (str, os.PathLike)) or not os.path.isfile(path_or_stream):
            raise UserErrorException(f"File {path_or_stream!r} was not found; pass the path of an existing file.")
        self._ws.add_file(self._run_id, metrics.artifacts.normalize(name), str(path_or_stream))

    def upload_files(self, names: list, paths: list, return_artifacts: bool = False, timeout_seconds: Any = None,
                     datastore_name: Any = None) -> None:
        for name, path in zip(names, paths):
            self.upload_file(name, path)

    def upload_folder(self, name: str, path: str, datastore_name: Any = None) -> None:
        for root, _, files in os.walk(path):
            for f in files:
                full = os.path.join(root, f)
                self.upload_file(f"{name.rstrip('/')}/{os.path.relpath(full, path)}", full)

    def flush(self, timeout_seconds: int = 300) -> None:
        return None

    def complete(self) -> None:
        return None  # the engine records the final status

    def fail(self, error_details: Any = None, error_code: Any = None) -> None:
        print("Run failed with error code {}:\n{}".format(error_code, error_details))

    def __enter__(self) -> "_JournalRun":
        return self

    def __exit__(self, *args: Any) -> None:
        return None


def journal_run() -> _JournalRun | None:
    """The journal run when this process is a job on a Dask worker, else ``None``."""
    folder = os.environ.get(JOURNAL_ENV)
    run_id = os.environ.get("AZUREML_RUN_ID")
    if not folder or not run_id:
        return None
    return _JournalRun(run_id, folder, os.environ.get(PARENT_ENV) or None)
