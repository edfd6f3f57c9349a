"""``DataReference``: a datastore path delivered to a run by mount, download or upload.

As an argument it is ``$AZUREML_DATAREFERENCE_<name>``; the engine sets that variable to the
local path (see :mod:`azureml_local.data.run_inputs`).
"""
from __future__ import annotations

import uuid
from typing import Any

from azureml_local.exceptions import UserErrorException

SUPPORTED_DATAREF_MODES = ["mount", "download", "upload"]


class DataReference:
    """A reference to data on a datastore and how a run sees it."""

    def __init__(self, datastore: Any, data_reference_name: str | None = None, path_on_datastore: str | None = None,
                 mode: str = "mount", path_on_compute: str | None = None, overwrite: bool = False):
        self.datastore = datastore
        self.data_reference_name = data_reference_name
        self.path_on_datastore = path_on_datastore
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite
        if not self.data_reference_name and path_on_datastore and not self._is_current_path(path_on_datastore):
            self.data_reference_name = uuid.uuid4().hex
        elif not self.data_reference_name:
            self.data_reference_name = self.datastore.name
        self._validate_mode(mode)

    def path(self, path: str | None = None, data_reference_name: str | None = None) -> "DataReference":
        if not path or self._is_current_path(path):
            if data_reference_name:
                return DataReference(datastore=self.datastore, data_reference_name=data_reference_name)
            return self
        if not self.path_on_datastore or self._is_current_path(self.path_on_datastore):
            return DataReference(datastore=self.datastore, data_reference_name=data_reference_name,
                                 path_on_datastore=path)
        return DataReference(datastore=self.datastore, data_reference_name=data_reference_name,
                             path_on_datastore=f"{self.path_on_datastore}/{path}")

    def as_download(self, path_on_compute: str | None = None, overwrite: bool = False) -> "DataReference":
        dref = self._clone()
        dref.path_on_compute = path_on_compute
        dref.mode = "download"
        return dref

    def as_upload(self, path_on_compute: str | None = None, overwrite: bool = False) -> "DataReference":
        dref = self._clone()
        dref.path_on_compute = path_on_compute
        dref.mode = "upload"
        return dref

    def as_mount(self) -> "DataReference":
        dref = self._clone()
        dref.mode = "mount"
        return dref

    def to_config(self) -> dict:
        """The run-configuration form (a dict here; the SDK returns ``DataReferenceConfiguration``)."""
        return {"datastore_name": self.datastore.name, "mode": self.mode,
                "path_on_datastore": self._get_normalized_path(self.path_on_datastore),
                "path_on_compute": self._get_normalized_path(self.path_on_compute), "overwrite": self.overwrite}

    def _to_definition(self) -> dict:
        """Pipeline-definition form (``kind: datastore_path``)."""
        return {"name": self.data_reference_name, "kind": "datastore_path", "datastore": self.datastore.name,
                "path": self._get_normalized_path(self.path_on_datastore) or "", "mode": self.mode,
                "path_on_compute": self.path_on_compute, "overwrite": self.overwrite}

    @classmethod
    def _from_definition(cls, ws: Any, d: dict) -> "DataReference":
        # cycle: the registry builds the datastore classes, whose as_mount/path return DataReferences
        from azureml_local.data.datastore_registry import load_datastore

        return cls(load_datastore(ws, d["datastore"]), d.get("name"), d.get("path") or None, d.get("mode", "mount"),
                   d.get("path_on_compute"), d.get("overwrite", False))

    def __str__(self) -> str:
        return f"$AZUREML_DATAREFERENCE_{self.data_reference_name}"

    __repr__ = __str__

    @staticmethod
    def _is_current_path(path: str) -> bool:
        return path in ("/", ".", "./")

    def _validate_mode(self, mode: str) -> None:
        if mode not in SUPPORTED_DATAREF_MODES:
            raise UserErrorException(f"Invalid mode {mode}. Only mount, download, upload are supported")

    def _clone(self) -> "DataReference":
        return DataReference(datastore=self.datastore, data_reference_name=self.data_reference_name,
                             path_on_compute=self.path_on_compute, path_on_datastore=self.path_on_datastore,
                             mode=self.mode, overwrite=self.overwrite)

    def _get_normalized_path(self, path: str | None) -> str | None:
        return None if path is not None and self._is_current_path(path) else path

    @staticmethod
    def create(data_reference_name: str | None = None, datapath: Any = None,
               datapath_compute_binding: Any = None) -> "DataReference":
        if None in [datapath, datapath_compute_binding]:
            raise ValueError("datapath and datapath_compute_binding are expected parameters")
        return DataReference(datastore=datapath._datastore, path_on_datastore=datapath._path_on_datastore,
                             data_reference_name=data_reference_name, mode=datapath_compute_binding._mode,
                             path_on_compute=datapath_compute_binding._path_on_compute,
                             overwrite=datapath_compute_binding._overwrite)
