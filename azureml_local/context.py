"""WorkspaceContext: what every layer below the SDK classes needs of a workspace.

The SDK's ``Workspace`` is a user-facing object (identity, SDK members, messages); the
engine, the stores, the workspace service and the data layer need only this: the
workspace's identity, its folder, its database, its blob store and its signing secret,
plus per-workspace caches that are invalidated when a registry changes. It imports no SDK
class, so anything may depend on it; a long-lived process (the workspace service) holds one
per workspace instead of building a ``Workspace``.

Transition note: the context answers to the same private names the SDK ``Workspace``
exposes to lower layers (``_local_folder``, ``_store``, ``_blobs``, ``_secret()``,
``_workspace_id``, ``subscription_id``...), so a function written against either works
with both while callers move from ``ws`` to ``ctx`` (``as_context`` converts).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from azureml_local.home import workspace_folder
from azureml_local.store import generations
from azureml_local.store.db import Database, open_database

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore

T = TypeVar("T")
SERVICE_ENDPOINT = "http://local.api.azureml.ms"


class WorkspaceContext:
    """One workspace's identity and handles; cheap to create, safe to share between threads."""

    def __init__(self, subscription_id: str, resource_group: str, workspace_name: str,
                 folder: Path | None = None):
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.workspace_name = workspace_name
        self.folder = Path(folder) if folder is not None else workspace_folder(subscription_id, resource_group,
                                                                              workspace_name)
        self._lock = threading.RLock()
        self._db: Database | None = None
        self._blob_store: BlobStore | None = None
        self._info: dict | None = None
        self._caches: dict[str, tuple[int, dict]] = {}
        self._stores: dict[str, Any] = {}

    @classmethod
    def for_folder(cls, folder: Path) -> "WorkspaceContext":
        """The context of the workspace stored in ``folder`` (identity read from ``workspace.json``)."""
        info = json.loads((Path(folder) / "workspace.json").read_text())
        ctx = cls(info["subscription_id"], info["resource_group"], info["name"], Path(folder))
        ctx._info = info
        return ctx

    # -- identity --------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.workspace_name

    @property
    def info(self) -> dict:
        """``workspace.json`` (read once: identity never changes after creation)."""
        if self._info is None:
            self._info = json.loads((self.folder / "workspace.json").read_text())
        return self._info

    @property
    def workspace_id(self) -> str:
        return self.info["workspace_id"]

    @property
    def arm_id(self) -> str:
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
                f"/providers/Microsoft.MachineLearningServices/workspaces/{self.workspace_name}")

    def service_endpoint(self) -> str:
        """What ``AZUREML_SERVICE_ENDPOINT`` is set to for runs of this workspace."""
        return SERVICE_ENDPOINT

    def exists(self) -> bool:
        """False once the workspace folder is gone (a deleted test folder): long-lived processes then exit."""
        return (self.folder / "workspace.json").exists()

    # -- handles ---------------------------------------------------------------------------
    @property
    def db(self) -> "Database":
        """The workspace database (opened, and migrated, on first use)."""
        if self._db is None:
            with self._lock:
                if self._db is None:
                    store_url = self.info.get("store_url") if self.exists() else None
                    self._db = open_database(self.folder, self.subscription_id, self.resource_group,
                                             self.workspace_name, store_url)
        return self._db

    @property
    def blobs(self) -> "BlobStore":
        """The workspace's blob storage (Azurite, an Azure account or a plain folder)."""
        if self._blob_store is None:
            with self._lock:
                if self._blob_store is None:
                    from azureml_local.store.blobs.factory import open_blob_store  # light: dataclasses, shutil

                    self._blob_store = open_blob_store(self.folder)
        return self._blob_store

    def secret(self) -> bytes:
        """The key that signs this workspace's tokens (created with the workspace)."""
        return (self.folder / "secret").read_bytes()

    # -- stores: the only places with SQL (store/<name>.py, each a class taking the Database) ----
    @property
    def runs(self) -> Any:
        """Experiments, runs, status, tags/properties, metrics, artifacts (``store/runs.py``)."""
        return self._store_of("runs", "RunStore")

    @property
    def pipeline_runs(self) -> Any:
        """Pipeline and step run rows, without status (``store/pipeline_runs.py``)."""
        return self._store_of("pipeline_runs", "PipelineRunStore")

    @property
    def pipelines(self) -> Any:
        """Pipeline definitions, reuse entries, data sources, published pipelines (``store/pipelines.py``)."""
        return self._store_of("pipelines", "PipelineStore")

    @property
    def registries(self) -> Any:
        """Datastores, datasets, environments, models, compute targets, settings (``store/registries.py``)."""
        return self._store_of("registries", "RegistryStore")

    @property
    def queue(self) -> Any:
        """The run queue as the dispatcher sees it: claim, counts, orphans (``store/queue.py``)."""
        return self._store_of("queue", "QueueStore")

    @property
    def published(self) -> Any:
        """Published pipelines, pipeline endpoints and their versions, drafts (``store/published.py``)."""
        return self._store_of("published", "PublishedStore")

    @property
    def schedules(self) -> Any:
        """Schedules, their fire history and datastore watermarks (``store/schedules.py``)."""
        return self._store_of("schedules", "ScheduleStore")

    @property
    def modules(self) -> Any:
        """Modules and their published versions (``store/modules.py``)."""
        return self._store_of("modules", "ModuleStore")

    @property
    def mlflow(self) -> Any:
        """MLflow run parameters, logged models, registered-model headers (``store/mlflow.py``)."""
        return self._store_of("mlflow", "MlflowStore")

    @property
    def webservices(self) -> Any:
        """Deployed web services: deployment, port, keys, state (``store/webservices.py``)."""
        return self._store_of("webservices", "WebserviceStore")

    def _store_of(self, module: str, cls: str) -> Any:
        store = self._stores.get(module)
        if store is None:
            import importlib

            store = getattr(importlib.import_module(f"azureml_local.store.{module}"), cls)(self.db)
            self._stores[module] = store
        return store

    # -- caches that never go stale ----------------------------------------------------------
    def cached(self, area: str, key: Any, factory: Callable[[], T]) -> T:
        """``factory()`` memoised per ``(area, key)`` until the ``area`` registry changes.

        Every registry write bumps its area's generation in the database
        (``store.generations``), so another process's ``register(..., overwrite=True)`` is
        seen on the next lookup: one indexed read instead of a stale answer.
        """
        current = generations.current(self.db, area)
        with self._lock:
            generation, entries = self._caches.get(area, (-1, {}))
            if generation != current:
                entries = {}
                self._caches[area] = (current, entries)
            if key in entries:
                return entries[key]
        value = factory()
        with self._lock:
            if self._caches.get(area, (None,))[0] == current:
                self._caches[area][1][key] = value
        return value

    def invalidate(self, area: str) -> None:
        """Record that the ``area`` registry changed (every process's caches of it drop)."""
        generations.bump(self.db, area)
        with self._lock:
            self._caches.pop(area, None)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    # -- the names lower layers used on the SDK Workspace (transition) --------------------------
    @property
    def _local_folder(self) -> Path:
        return self.folder

    @property
    def _store(self) -> "Database":
        return self.db

    @property
    def _blobs(self) -> "BlobStore":
        return self.blobs

    def _secret(self) -> bytes:
        return self.secret()

    @property
    def _workspace_id(self) -> str:
        return self.workspace_id

    def _service_endpoint(self) -> str:
        return self.service_endpoint()

    @property
    def _context(self) -> "WorkspaceContext":
        return self

    def __repr__(self) -> str:
        return (f"WorkspaceContext(subscription_id={self.subscription_id!r}, "
                f"resource_group={self.resource_group!r}, workspace_name={self.workspace_name!r})")


def as_context(workspace_or_context: Any) -> WorkspaceContext:
    """The context behind an SDK ``Workspace`` (or the context itself)."""
    return workspace_or_context._context
