"""Logs and snapshots of a run (``get_details_with_logs``, ``get_all_logs``, snapshots): a Run mixin."""
from __future__ import annotations

import os
import shutil
from typing import Any

from azureml_local.exceptions import SnapshotException, UserErrorException


class RunLogsSnapshotsMixin:
    """The host class provides ``_ws``, ``_run_id``, ``get_details`` and ``get_snapshot_id``."""

    def get_details_with_logs(self) -> dict:
        """``get_details()`` with each ``logFiles`` value replaced by the log's text."""
        from azureml_local.runs.waiting import _read_log  # heavy: psutil, pathspec

        details = self.get_details()
        details["logFiles"] = {name: _read_log(self, name) for name in details["logFiles"]}
        return details

    def get_all_logs(self, destination: str | None = None) -> list[str]:
        """Write every log of the run under ``destination`` (default ``./assets/<run id>``); returns the paths."""
        if destination:
            if os.path.exists(destination) and not os.path.isdir(destination):
                raise UserErrorException("{} exists and is not a directory.".format(destination))
        else:
            destination = os.path.join(os.getcwd(), "assets", self._run_id)
        os.makedirs(destination, exist_ok=True)
        written = []
        for name, text in self.get_details_with_logs()["logFiles"].items():
            target = os.path.join(destination, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w") as fh:
                fh.write(text)
            written.append(target)
        return written

    def take_snapshot(self, file_or_folder_path: str) -> str:
        """Snapshot a folder (or one file) for this run; returns the snapshot id."""
        from azureml_local.engine.snapshot import snapshot  # heavy: pathspec

        existing = self.get_snapshot_id()
        if existing is not None:  # checked first, as the SDK does: the run keeps its one snapshot
            raise SnapshotException("Cannot take snapshot as the run already has one: {}".format(existing))
        path = file_or_folder_path
        if os.path.isfile(path):
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                shutil.copy2(path, tmp)
                snapshot_id, _ = snapshot(self._ws, tmp)
        elif os.path.isdir(path):
            snapshot_id, _ = snapshot(self._ws, path)
        else:
            raise SnapshotException(f"Cannot take a snapshot of {path}: no such file or folder.")
        self._ws._context.runs.update_run(self._run_id, snapshot_id=snapshot_id)
        self._ws._context.runs.add_properties(self._run_id, {"ContentSnapshotId": snapshot_id})
        return snapshot_id

    def restore_snapshot(self, snapshot_id: str | None = None, path: str | None = None) -> str:
        """Zip the run's snapshot to ``path`` (default ``./<snapshot id>.zip``); returns the zip path."""
        snapshot_id = snapshot_id or self.get_snapshot_id()
        folder = self._ws._local_folder / "snapshots" / str(snapshot_id)
        if not snapshot_id or not folder.is_dir():
            raise SnapshotException(f"Snapshot {snapshot_id} was not found for run {self._run_id}.")
        base = os.path.splitext(path)[0] if path else os.path.join(os.getcwd(), str(snapshot_id))
        return shutil.make_archive(base, "zip", folder)

    def clean(self) -> Any:
        """Remove the run's local working folder (its files stay in the run's artifacts)."""
        from azureml_local.engine.execute import run_folder  # heavy: psutil, pathspec

        shutil.rmtree(run_folder(self._ws, self._run_id) / "wd", ignore_errors=True)
        return None
