"""``azureml_local.mock_workspace()``: an isolated local workspace for a block or a function (moto's ``mock_aws``).

    with mock_workspace() as ws:              # or @mock_workspace() on a function
        ws2 = Workspace.from_config()         # the same workspace, in a temporary home
        ...                                   # runs, datastores, pipelines: all local
    # here: services and Azurite stopped, the temporary home removed, the environment restored

The identity is the ``config.json`` that ``Workspace.from_config()`` finds from the current folder
(a cloud one maps to a local workspace of the same ids), else the given ids or
``isolation.DEFAULT_IDENTITY``, written to a temporary ``config.json`` that ``from_config()`` then
finds wherever the current folder is (``AZUREML_LOCAL_CONFIG``). The current folder is never changed:
relative ``source_directory`` paths keep working.
"""
from __future__ import annotations

import functools
import inspect
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, TypeVar

from azureml_local.exceptions import UserErrorException
from azureml_local.testing.isolation import DEFAULT_IDENTITY, EnvPatch, IsolatedHome
from azureml_local.testing.runs import wait_for_runs
from azureml_local.workspace import Workspace, find_config_file, read_config

F = TypeVar("F", bound=Callable[..., Any])


def identity_from_cwd() -> dict | None:
    """The ids of the ``config.json`` that ``Workspace.from_config()`` would read here (None: none found)."""
    try:
        subscription_id, resource_group, name = read_config(find_config_file())
    except UserErrorException:
        return None
    return {"subscription_id": subscription_id, "resource_group": resource_group, "workspace_name": name}


def open_workspace(isolated: IsolatedHome, config_folder: Path, identity: dict | None = None) -> Workspace:
    """Write the config file ``from_config()`` falls back to and open (create) its workspace in the home."""
    ids = {**DEFAULT_IDENTITY, **(identity or identity_from_cwd() or {})}
    isolated.write_config(config_folder, ids)
    return Workspace(ids["subscription_id"], ids["resource_group"], ids["workspace_name"])


class mock_workspace:  # noqa: N801 - lower case like moto's mock_aws: it reads as a function
    """Context manager and decorator: a fresh local workspace in a temporary home, cleaned up after.

    ``cloud_urls=True`` also routes ``requests`` calls to ``*.api.azureml.ms`` to the local service and
    refuses other external hosts (:mod:`azureml_local.testing.cloud_urls`). ``blob_backend``:
    ``"folder"`` or ``"azurite"`` (default: as configured, Azurite when installed). ``wait_for_runs``:
    seconds to wait at the end for runs still active (raises when some are), None to not wait.
    ``logs_dir``: copy the run logs there before the home is removed.
    """

    def __init__(self, cloud_urls: bool = False, blob_backend: str | None = None,
                 subscription_id: str | None = None, resource_group: str | None = None,
                 workspace_name: str | None = None, wait_for_runs: float | None = None,
                 logs_dir: str | Path | None = None):
        self.cloud_urls = cloud_urls
        self.blob_backend = blob_backend
        given = {"subscription_id": subscription_id, "resource_group": resource_group,
                 "workspace_name": workspace_name}
        self.identity = {k: v for k, v in given.items() if v} or None
        self.wait_for_runs = wait_for_runs
        self.logs_dir = Path(logs_dir) if logs_dir else None
        self.workspace: Workspace | None = None
        self._folder: Path | None = None
        self._monkeypatch: EnvPatch | None = None
        self._isolated: IsolatedHome | None = None
        self._router: Any = None

    # -- moto's start()/stop() and the context manager ---------------------------------------------
    def start(self) -> Workspace:
        if self._folder is not None:
            raise RuntimeError("This mock_workspace is already active; create another one to nest.")
        self._folder = Path(tempfile.mkdtemp(prefix="azureml-local-mock-"))
        self._monkeypatch = EnvPatch()
        try:
            self._isolated = IsolatedHome(self._folder / "home", self._monkeypatch, self.logs_dir,
                                          label=self._folder.name).enter(self.blob_backend)
            self.workspace = open_workspace(self._isolated, self._folder / "config", self.identity)
            if self.cloud_urls:
                from azureml_local.testing.cloud_urls import CloudUrls  # heavy: requests, responses, wrapt

                self._router = CloudUrls().__enter__()
        except BaseException:
            self.stop()
            raise
        return self.workspace

    def stop(self) -> None:
        try:
            if self._router is not None:
                self._router.__exit__(None, None, None)
            if self.workspace is not None and self.wait_for_runs is not None:
                wait_for_runs(self.workspace, self.wait_for_runs)
        finally:
            self._router = None
            self.workspace = None
            if self._isolated is not None:
                self._isolated.close()
            if self._monkeypatch is not None:
                self._monkeypatch.undo()
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
            self._isolated = self._monkeypatch = self._folder = None

    def __enter__(self) -> Workspace:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorator: each call of ``func`` runs inside its own fresh mock (same arguments as this one)."""
        if inspect.iscoroutinefunction(func):
            raise TypeError("mock_workspace decorates plain functions; use `with mock_workspace():` in coroutines.")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock_workspace(self.cloud_urls, self.blob_backend, wait_for_runs=self.wait_for_runs,
                                logs_dir=self.logs_dir, **(self.identity or {})):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
