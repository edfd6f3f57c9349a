"""``DataPath`` (a path on a datastore) and ``DataPathComputeBinding`` (how a run sees it)."""
from __future__ import annotations

import uuid
from typing import Any

from azureml_local.data.data_reference import DataReference
from azureml_local.data.datastore_registry import load_datastore


class DataPath:
    """A path on a datastore; usable as a pipeline parameter default and as a dataset source."""

    def __init__(self, datastore: Any = None, path_on_datastore: str | None = None, name: str | None = None):
        if datastore is None:
            raise ValueError("datastore parameter is required.")
        self._datastore = datastore
        self._path_on_datastore = path_on_datastore
        self._name = name or f"{self.datastore_name}_{uuid.uuid4().hex[:8]}"

    def create_data_reference(self, data_reference_name: str | None = None,
                              datapath_compute_binding: "DataPathComputeBinding | None" = None) -> Any:
        if not datapath_compute_binding:
            raise ValueError("datapath_compute_binding is a required parameter")
        if not isinstance(datapath_compute_binding, DataPathComputeBinding):
            raise ValueError("Invalid type. Expected datapath_compute_binding, but type is "
                             f"{type(datapath_compute_binding).__name__}")
        return DataReference.create(data_reference_name=data_reference_name, datapath=self,
                                    datapath_compute_binding=datapath_compute_binding)

    @property
    def datastore_name(self) -> str:
        return self._datastore if isinstance(self._datastore, str) else self._datastore.name

    @property
    def path_on_datastore(self) -> str | None:
        return self._path_on_datastore

    @staticmethod
    def create_from_data_reference(data_reference: Any) -> "DataPath":
        if not data_reference:
            raise ValueError("data_reference is a required parameter")
        if not isinstance(data_reference, DataReference):
            raise ValueError(f"Invalid type. Expected DataReference, but type is {type(data_reference).__name__}")
        return DataPath(datastore=data_reference.datastore, path_on_datastore=data_reference.path_on_datastore)

    def _serialize_to_dict(self) -> dict:
        return {"name": self._name, "path_on_datastore": self.path_on_datastore, "datastore": self.datastore_name}

    def _to_definition(self) -> dict:
        """JSON form used by pipeline definitions: ``{"datastore": ..., "path": ...}``."""
        return {"datastore": self.datastore_name, "path": self.path_on_datastore or ""}

    @classmethod
    def _from_definition(cls, ws: Any, d: dict) -> "DataPath":
        return cls(load_datastore(ws, d["datastore"]), d.get("path"))

    def __repr__(self) -> str:
        return f"DataPath(datastore={self.datastore_name!r}, path_on_datastore={self.path_on_datastore!r})"


class DataPathComputeBinding:
    """How a ``DataPath`` is delivered to a run: ``mount``, ``download`` or ``upload``."""

    def __init__(self, mode: str = "mount", path_on_compute: str | None = None, overwrite: bool = False):
        self._mode = mode
        self._path_on_compute = path_on_compute
        self._overwrite = overwrite

    def create_data_reference(self, data_reference_name: str | None = None, datapath: DataPath | None = None) -> Any:
        if not datapath:
            raise ValueError("datapath is a required parameter")
        if not isinstance(datapath, DataPath):
            raise ValueError(f"Invalid type. Expected DataReference, but type is {type(datapath).__name__}")
        return DataReference.create(datapath=datapath, datapath_compute_binding=self,
                                    data_reference_name=data_reference_name)

    @staticmethod
    def create_from_data_reference(data_reference: Any) -> "DataPathComputeBinding":
        if not data_reference:
            raise ValueError("data_reference is a required parameter")
        if not isinstance(data_reference, DataReference):
            raise ValueError(f"Invalid type. Expected DataReference, but type is {type(data_reference).__name__}")
        return DataPathComputeBinding(mode=data_reference.mode, path_on_compute=data_reference.path_on_compute,
                                      overwrite=data_reference.overwrite)

    def _to_definition(self) -> dict:
        return {"mode": self._mode, "path_on_compute": self._path_on_compute, "overwrite": self._overwrite}
