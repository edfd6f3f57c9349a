"""``_OfflineRun``: what ``Run.get_context()`` returns outside a submitted run.

Prints exactly what the SDK prints (sdk-v1-behaviour.md section a) and keeps its
signature differences (``log`` has no ``step``). Our extension, documented:
``.experiment`` (and so ``.experiment.workspace``) works when a ``config.json``
can be found from the current folder; the experiment is named after
``AZUREML_LOCAL_OFFLINE_EXPERIMENT`` or ``offline-runs``. Without a config it
raises AttributeError as the SDK (where the attribute does not exist) does.
"""
from __future__ import annotations

import logging
import os
from typing import Any
from uuid import uuid4

from azureml_local.experiment import Experiment
from azureml_local.workspace import Workspace

module_logger = logging.getLogger("azureml.core.run")


class _OfflineRun:
    def __init__(self, parent_logger: Any = None, run_id: str | None = None, **kwargs: Any):
        self._run_id = "OfflineRun_{}".format(uuid4()) if run_id is None else run_id
        self._logger = parent_logger if parent_logger is not None else module_logger
        self._experiment = None

    @property
    def id(self) -> str:
        return self._run_id

    @property
    def experiment(self) -> Any:
        """(azureml-local extension) the offline experiment of the workspace found via config.json."""
        if self._experiment is None:
            try:
                ws = Workspace.from_config()
            except Exception as exc:  # noqa: BLE001 - no config: behave like the SDK (no attribute)
                raise AttributeError(
                    "'_OfflineRun' object has no attribute 'experiment' (this script is not running as a "
                    f"submitted run and no workspace config.json was found: {getattr(exc, 'message', exc)})") from None
            self._experiment = Experiment(ws, os.environ.get("AZUREML_LOCAL_OFFLINE_EXPERIMENT", "offline-runs"))
        return self._experiment

    def add_properties(self, properties: dict) -> None:
        print("Attempted to add properties {0}".format(properties))

    def set_tags(self, tags: dict) -> None:
        print("Attempted to set tags {0}".format(tags))

    def tag(self, name: str, value: Any = None) -> None:
        print("Attempted to add tag {0} with value {1}".format(name, value))

    def complete(self) -> None:
        self._logger.debug("complete is not supported for offline runs.")

    def fail(self, error_details: Any = None, error_code: Any = None) -> None:
        self._logger.debug("fail is not supported for offline runs.")
        print("Run failed with error code {}:\n{}".format(str(error_code), str(error_details)))

    def cancel(self) -> None:
        self._logger.debug("cancel is not supported for offline runs.")

    def log(self, name: str, value: Any, description: str = "") -> None:
        self._emit("scalar", name, value)

    def log_list(self, name: str, value: Any, description: str = "") -> None:
        self._emit("list", name, value)

    def log_table(self, name: str, value: Any, description: str = "") -> None:
        self._emit("table", name, value)

    def log_row(self, name: str, description: Any = None, **kwargs: Any) -> None:
        self._emit("row", name, kwargs)

    def log_image(self, name: str, path: Any = None, plot: Any = None, description: str = "") -> None:
        self._emit("image", name, plot or path)

    def log_residuals(self, name: str, value: Any, description: Any = None) -> None:
        self._emit("residual", name, value)

    def log_predictions(self, name: str, value: Any, description: Any = None) -> None:
        self._emit("predictions", name, value)

    def log_accuracy_table(self, name: str, value: Any, description: Any = None) -> None:
        self._emit("accuracy_table", name, value)

    def log_confusion_matrix(self, name: str, value: Any, description: Any = None) -> None:
        self._emit("confusion_matrix", name, value)

    def upload_folder(self, name: str, path: Any, datastore_name: Any = None) -> None:
        print("Attempted to track folder {0} at {1}".format(name, path))

    def upload_files(self, name: Any, paths: Any, return_artifacts: bool = False, timeout_seconds: Any = None,
                     datastore_name: Any = None) -> None:
        print("Attempted to track files {0} at {1} with timeout {2}s".format(name, paths, timeout_seconds))

    def upload_file(self, name: str, path_or_stream: Any, datastore_name: Any = None) -> None:
        print("Attempted to track file {0} at {1}".format(name, path_or_stream))

    def child_run(self, name: str | None = None, run_id: str | None = None, outputs: Any = None) -> "_OfflineRun":
        childname = str(uuid4()) if name is None else name
        newrid = "{}.{}".format(self.id, childname) if run_id is None else run_id
        return _OfflineRun(parent_logger=self._logger, run_id=newrid)

    def __enter__(self) -> "_OfflineRun":
        print("[START] Run {} context".format(self.id))
        return self

    def __exit__(self, exit_type: Any, value: Any, traceback: Any) -> None:
        print("[STOP] Run {} context".format(self.id))

    def _emit(self, type: str, name: str, value: Any) -> None:
        print("Attempted to log {0} metric {1}:\n{2}".format(type, name, value))

    def flush(self) -> None:
        print("Attempted to flush run with id {0}".format(self.id))
