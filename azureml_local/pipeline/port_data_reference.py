"""``PortDataReference`` (``azureml.pipeline.core.PortDataReference``): data a step run produced.

Holds a ``DataReference`` to the output's datastore path; ``download`` copies it
locally (blob names kept below ``local_path``, as the SDK's datastore download
does), and ``as_input``/``as_mount``/``as_download`` feed it to a later pipeline.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from azureml_local.data.data_reference import DataReference
from azureml_local.data.datastore_registry import load_datastore
from azureml_local.data.stores import container_for
from azureml_local.pipeline.input_binding import InputBindable


class PortDataReference(InputBindable):
    """Models data associated with an output of a completed StepRun."""

    def __init__(self, context: Any, pipeline_run_id: str, data_reference: Any, step_run: Any = None):
        self.data_reference_name = data_reference.data_reference_name
        self._path_on_datastore = data_reference.path_on_datastore
        self.pipeline_run_id = pipeline_run_id
        self._data_reference = data_reference
        self._context = context
        self._experiment = getattr(context, "_experiment", None) or getattr(step_run, "experiment", None)
        self._step_run = step_run

    @property
    def datastore(self) -> Any:
        return self._data_reference.datastore

    @property
    def datastore_name(self) -> str:
        store = self.datastore
        return store if isinstance(store, str) else store.name

    @property
    def path_on_datastore(self) -> str:
        return self._path_on_datastore

    @property
    def name(self) -> str:
        return self.data_reference_name

    def download(self, local_path: str, overwrite: bool | None = None, show_progress: bool | None = None) -> int:
        """Download the data to ``local_path/<path_on_datastore>``; returns the number of files."""
        ws = self._experiment.workspace
        store, container = container_for(ws, self.datastore_name)
        prefix = self._path_on_datastore.strip("/")
        single = store.get_info(container, prefix)
        blobs = [single] if single is not None else list(store.list_blobs(container, prefix + "/"))
        pairs = []
        for blob in blobs:
            target = Path(local_path) / blob.name
            if target.exists() and not overwrite:
                continue
            pairs.append((blob.name, str(target)))
        if pairs:
            store.download_files(container, pairs)
        if show_progress:
            print(f"Downloaded {len(pairs)} files to {local_path}")
        return len(pairs)

    def _default_input_name(self) -> str:
        return self.data_reference_name

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_{0}".format(self.data_reference_name)

    def __repr__(self) -> str:
        return self.__str__()


def make_port_data_reference(step_run: Any, name: str, output: dict) -> PortDataReference:
    """A PortDataReference for one output entry of ``pipeline_step_runs.outputs``."""
    ws = step_run.experiment.workspace
    datastore = load_datastore(ws, output["datastore"])
    ref = DataReference(datastore, data_reference_name=name, path_on_datastore=output["path"])
    return PortDataReference(step_run, step_run.pipeline_run_id, ref, step_run=step_run)
