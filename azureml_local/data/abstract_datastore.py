"""``azureml.data.abstract_datastore.AbstractDatastore``: name, workspace, type, default/unregister."""
from __future__ import annotations

import sys
from typing import Any

from azureml_local.data import stores


class AbstractDatastore:
    """Base class of every datastore (construct datastores with ``Datastore.register_*``/``Datastore.get``)."""

    def __init__(self, workspace: Any, name: str, datastore_type: str):
        self._workspace = workspace
        self._name = name
        self._datastore_type = datastore_type

    @property
    def workspace(self) -> Any:
        return self._workspace

    @workspace.setter
    def workspace(self, workspace: Any) -> None:
        self._workspace = workspace

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        self._name = name

    @property
    def datastore_type(self) -> str:
        return self._datastore_type

    @datastore_type.setter
    def datastore_type(self, datastore_type: str) -> None:
        self._datastore_type = datastore_type

    def set_as_default(self) -> None:
        """Make this the workspace's default datastore."""
        stores.set_default(self._workspace, self._name)

    def unregister(self) -> None:
        """Remove the registration; the container and its blobs are kept."""
        stores.unregister(self._workspace, self._name)

    def _as_dict(self) -> dict:
        return {"name": self.name, "datastore_type": self.datastore_type}

    def _get_console_logger(self) -> Any:
        return sys.stdout

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, AbstractDatastore) and other._name == self._name
                and other._workspace == self._workspace)

    def __hash__(self) -> int:
        return hash(self._name)
