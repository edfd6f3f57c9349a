"""RegistryStore (``ctx.registries``): every statement on the workspace's registry tables.

One module per area, each a small class over the workspace ``Database``; this facade
holds one of each. Every write bumps its area's generation (``store/generations.py``) in
the same transaction, so caches on any process's ``WorkspaceContext`` drop the stale
answer at their next lookup. The stores deal in rows (dicts); building SDK objects and the
SDK's messages stay with the SDK classes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.store.registries.computes import ComputeStore
from azureml_local.store.registries.datasets import DatasetStore
from azureml_local.store.registries.datastores import DatastoreStore
from azureml_local.store.registries.environments import EnvironmentStore
from azureml_local.store.registries.models import ModelStore
from azureml_local.store.registries.settings import SettingsStore

if TYPE_CHECKING:
    from azureml_local.store.db import Database

__all__ = ["RegistryStore", "ComputeStore", "DatasetStore", "DatastoreStore", "EnvironmentStore", "ModelStore",
           "SettingsStore"]


class RegistryStore:
    """The registry areas of one workspace database."""

    def __init__(self, db: "Database"):
        self.db = db
        self.settings = SettingsStore(db)
        self.datastores = DatastoreStore(db, self.settings)
        self.datasets = DatasetStore(db)
        self.environments = EnvironmentStore(db)
        self.computes = ComputeStore(db)
        self.models = ModelStore(db)
