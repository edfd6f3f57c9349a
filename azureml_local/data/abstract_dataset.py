"""``AbstractDataset``: identity, registration and lookups shared by tabular and file datasets.

A dataset object is ``(workspace, definition, registration)``; everything it reads is derived
from the definition (``azureml_local.data.definition``). Datasets are immutable: transforms
return new objects.
"""
from __future__ import annotations

import collections
import json
from typing import Any

from azureml_local.data import dataset_registry as registry
from azureml_local.data import definition as defs
from azureml_local.data.dataset_registry import _DatasetRegistration, dataset_from_definition
from azureml_local.data.resolve import resolve
from azureml_local.data.tabular_reader import partition_regex
from azureml_local.exceptions import UserErrorException


class AbstractDataset:
    """Base class of datasets (create them with ``Dataset.Tabular``/``Dataset.File`` factories)."""

    def __init__(self) -> None:
        if self.__class__ is AbstractDataset:
            raise UserErrorException("Cannot create instance of abstract class AbstractDataset")
        self._definition: dict = {}
        self._workspace: Any = None
        self._registration: _DatasetRegistration | None = None
        self._consume_latest = False
        self._saved_in: set[str] = set()

    @classmethod
    def _create(cls, definition: dict, workspace: Any = None,
                registration: _DatasetRegistration | None = None) -> Any:
        ds = cls()
        ds._definition = definition
        ds._workspace = workspace
        ds._registration = registration
        return ds

    def _derive(self, definition: dict) -> Any:
        """A new, unregistered dataset of the same type in the same workspace."""
        return type(self)._create(definition, self._workspace)

    # -- identity -----------------------------------------------------------------------
    def _definition_id(self) -> str:
        return defs.saved_id(self._definition)

    def _ensure_saved(self, workspace: Any) -> str:
        """Save the definition in ``workspace`` (once per object and workspace); returns the id."""
        saved = self._definition_id()
        key = str(getattr(workspace, "_local_folder", id(workspace)))
        if key not in self._saved_in:
            registry.save_definition(workspace, saved, self._definition)
            self._saved_in.add(key)
        return saved

    @property
    def id(self) -> str:
        """The dataset id (also for unregistered datasets, derived from the definition)."""
        if self._registration is not None and self._registration.saved_id:
            return self._registration.saved_id
        ws = self._workspace
        return self._ensure_saved(ws) if ws is not None else self._definition_id()

    @property
    def name(self) -> str | None:
        return None if self._registration is None else self._registration.name

    @property
    def version(self) -> int | None:
        return None if self._registration is None else self._registration.version

    @property
    def description(self) -> str | None:
        return None if self._registration is None else self._registration.description

    @property
    def tags(self) -> dict | None:
        return None if self._registration is None else self._registration.tags

    @property
    def partition_keys(self) -> list[str]:
        fmt = self._definition.get("partition_format")
        return [name for name, _ in partition_regex(fmt)[1]] if fmt else []

    @property
    def data_changed_time(self) -> Any:
        """Latest last-modified time of the files the dataset covers."""
        files = resolve(self._workspace, self._definition)
        infos = [f.store.get_info(f.container, f.blob) for f in files if f.store is not None]
        return max((i.last_modified for i in infos if i), default=None)

    def __getitem__(self, key: str) -> Any:
        return defs.column(key)

    # -- lookups (static, as in the SDK) ----------------------------------------------------
    @staticmethod
    def get_by_name(workspace: Any, name: str, version: Any = "latest", **kwargs: Any) -> Any:
        """A registered dataset by name (``version`` = a number or ``'latest'``)."""
        return registry.get_by_name(workspace, name, version)

    @staticmethod
    def get_by_id(workspace: Any, id: str, **kwargs: Any) -> Any:
        """A saved or registered dataset by id."""
        return registry.get_dataset_by_id(workspace, id)

    @staticmethod
    def get_all(workspace: Any) -> dict:
        """``{name: latest version}`` of registered datasets."""
        return registry.workspace_datasets(workspace)

    # -- registration -------------------------------------------------------------------
    def as_named_input(self, name: str) -> Any:
        """Consume this dataset in a run under ``name`` (direct mode)."""
        # cycle: DatasetConsumptionConfig checks the dataset classes, which subclass this one
        from azureml_local.data.dataset_consumption_config import DatasetConsumptionConfig

        return DatasetConsumptionConfig(name, self)

    def register(self, workspace: Any, name: str, description: str | None = None, tags: dict | None = None,
                 create_new_version: bool = False) -> Any:
        """Register under ``name``; returns the registered dataset (see the registry for versioning rules)."""
        return registry.register(workspace, self, name, description, tags, create_new_version)

    def _registered(self) -> _DatasetRegistration | None:
        reg = self._registration
        return reg if reg is not None and reg.name and reg.workspace is not None else None

    def update(self, description: str | None = None, tags: dict | None = None) -> Any:
        """Update description/tags; this dataset object is refreshed too (as in the SDK).

        On an unregistered dataset the SDK *returns* (does not raise) its error; so do we.
        """
        reg = self._registered()
        if reg is None:
            return UserErrorException("To update this dataset it must be registered.")
        return self._update(reg, description, tags)

    def _update(self, reg: _DatasetRegistration, description: str | None, tags: dict | None) -> Any:
        registry.update(reg.workspace, reg.name, reg.version, description, tags)  # type: ignore[arg-type]
        result = registry.get_by_name(reg.workspace, reg.name, reg.version)  # type: ignore[arg-type]
        reg.tags, reg.description = result.tags, result.description
        return result

    def add_tags(self, tags: dict | None = None) -> Any:
        reg = self._registered()
        if reg is None:
            return UserErrorException("To add tags to this dataset it must be registered.")
        current = dict(reg.tags or {})
        clash = [k for k, v in (tags or {}).items() if k in current and current[k] != v]
        if clash:
            raise UserErrorException(
                f"Dataset already contains different values for tags with the following keys {clash}")
        current.update(tags or {})
        return self._update(reg, None, current)

    def remove_tags(self, tags: list | None = None) -> Any:
        reg = self._registered()
        if reg is None:
            return UserErrorException("To remove tags from this dataset it must be registered.")
        current = {k: v for k, v in (reg.tags or {}).items() if k not in (tags or [])}
        return self._update(reg, None, current)

    def unregister_all_versions(self) -> None:
        """Unregister every version of this dataset's name (a no-op when it is not registered)."""
        reg = self._registered()
        if reg is None:
            return
        registry.unregister_all_versions(reg.workspace, reg.name)  # type: ignore[arg-type]
        self._registration = None

    # -- serialisation (pipeline definitions) --------------------------------------------------
    def _to_definition(self) -> dict:
        """Registered: ``{id, name, version}``; unregistered: ``{id, definition}``."""
        out: dict = {"id": self.id, "name": self.name, "version": self.version}
        if self.name is None:
            out["definition"] = self._definition
        if self._consume_latest:
            out["consume_latest"] = True
        return out

    @classmethod
    def _from_definition(cls, ws: Any, d: dict) -> Any:
        if d.get("name") and d.get("consume_latest"):
            return registry.get_by_name(ws, d["name"], "latest")
        if d.get("name"):
            return registry.get_by_name(ws, d["name"], d.get("version") or "latest")
        if d.get("definition"):
            ds = dataset_from_definition(ws, d["definition"])
            ds._ensure_saved(ws)
            return ds
        return registry.get_dataset_by_id(ws, d["id"])

    # -- display --------------------------------------------------------------------------
    def __repr__(self) -> str:
        content: dict = collections.OrderedDict()
        content["source"] = defs.source_labels(self._definition)
        content["definition"] = defs.step_names(self._definition)
        reg = self._registration
        if reg is not None and reg.name:
            content["registration"] = collections.OrderedDict([("id", self.id), ("name", self.name),
                                                               ("version", self.version)])
            if self.description:
                content["registration"]["description"] = self.description
            if self.tags:
                content["registration"]["tags"] = self.tags
            content["registration"]["workspace"] = repr(reg.workspace)
        return json.dumps(content, indent=2)

    def __str__(self) -> str:
        return f"{type(self).__name__}\n{self.__repr__()}"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, AbstractDataset) and type(other) is type(self)
                and other._definition == self._definition and other.name == self.name
                and other.version == self.version)

    def __hash__(self) -> int:
        return hash(self._definition_id())

    def _label(self) -> str:
        return f"Dataset(id='{self.id}', name='{self.name}', version={self.version}"
