"""An isolated local home for a test or a ``mock_workspace`` block: set up, then stopped and removed.

Shared by the pytest plugin (``pytest_plugin.py``), :func:`azureml_local.mock_workspace` and the
project's own root ``conftest.py``, so "what a clean workspace is" and "what stopping it means"
exist once:

* the home (``AZUREML_LOCAL_HOME``) is a fresh folder, so no workspace, run or Azurite of the
  developer's own ``~/.azureml-local`` is seen or touched;
* the blob backend is chosen per home (``AZUREML_LOCAL_STORAGE`` / the storage connection string);
* at the end every workspace service and every workspace's own Azurite under the home is stopped,
  the run logs are copied out when asked (CI artifacts), and the folder is removed.

Environment changes go through a ``pytest.MonkeyPatch`` in fixtures, an :class:`EnvPatch` (same
methods, no pytest needed) in ``mock_workspace``: both restore what they changed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from azureml_local.service.control import stop_services_under
from azureml_local.store.azurite import stop_azurite
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, STORAGE_ENV
from azureml_local.store.postgres import URL_ENV as STORE_URL_ENV
from azureml_local.workspace import CONFIG_ENV



class EnvSetter(Protocol):
    """What :class:`IsolatedHome` needs of ``pytest.MonkeyPatch``."""

    def setenv(self, name: str, value: str, prepend: Any = None) -> None: ...

    def delenv(self, name: str, raising: bool = True) -> None: ...


class EnvPatch:
    """``setenv``/``delenv``/``undo`` like ``pytest.MonkeyPatch``, for code that runs outside pytest."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def setenv(self, name: str, value: str, prepend: Any = None) -> None:
        self._saved.setdefault(name, os.environ.get(name))
        os.environ[name] = str(value)

    def delenv(self, name: str, raising: bool = True) -> None:
        self._saved.setdefault(name, os.environ.get(name))
        os.environ.pop(name, None)

    def undo(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()

BACKENDS = ("azurite", "folder")
DEFAULT_IDENTITY = {"subscription_id": "00000000-0000-0000-0000-000000000000",
                    "resource_group": "azureml-local-test-rg", "workspace_name": "test-workspace"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class IsolatedHome:
    """One isolated home folder; :meth:`enter` applies it, :meth:`close` stops and removes it."""

    home: Path
    monkeypatch: EnvSetter
    logs_dir: Path | None = None
    label: str = "workspace"
    remove: bool = True
    _closed: bool = field(default=False, init=False)

    def enter(self, backend: str | None = None, connection_string: str | None = None) -> "IsolatedHome":
        """Point ``AZUREML_LOCAL_HOME`` here and select the blob backend (None: leave it as it is)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.monkeypatch.setenv("AZUREML_LOCAL_HOME", str(self.home))
        self.monkeypatch.delenv(STORE_URL_ENV, raising=False)  # a team's shared store is never a test's
        if backend is not None:
            select_backend(self.monkeypatch, backend, connection_string)
        return self

    def write_config(self, folder: Path, identity: dict | None = None) -> Path:
        """A cloud-shaped ``config.json`` in ``folder`` that ``Workspace.from_config()`` finds (``CONFIG_ENV``)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.json"
        path.write_text(json.dumps({**DEFAULT_IDENTITY, **(identity or {})}, indent=4))
        self.monkeypatch.setenv(CONFIG_ENV, str(path))
        return path

    def close(self) -> None:
        """Stop every process of the home's workspaces, keep their logs if asked, remove the folder."""
        if self._closed:
            return
        self._closed = True
        stop_home(self.home)
        if self.logs_dir is not None:
            copy_logs(self.home, self.logs_dir / _UNSAFE.sub("_", self.label).strip("_"))
        if self.remove:
            shutil.rmtree(self.home, ignore_errors=True)


def select_backend(monkeypatch: EnvSetter, backend: str, connection_string: str | None = None) -> None:
    """``folder``: plain folders, no Azurite; ``azurite``: the given Azurite (connection string), else the
    default (each workspace's own Azurite; ``AZUREML_LOCAL_STORAGE`` and ``workspace.json`` still apply)."""
    if backend not in BACKENDS:
        raise ValueError(f"Unknown blob backend {backend!r}: use one of {', '.join(BACKENDS)}.")
    if backend == "folder":
        monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)
        monkeypatch.setenv(STORAGE_ENV, "folder")
        return
    if connection_string:
        monkeypatch.setenv(CONNECTION_STRING_ENV, connection_string)


def stop_home(home: Path) -> None:
    """Stop the workspace services and the workspaces' own Azurite instances under ``home``."""
    if not (home / "workspaces").exists():
        return
    stop_services_under(home)
    for azurite_dir in home.glob("workspaces/*/*/*/azurite"):
        if (azurite_dir / "instance.json").exists():
            stop_azurite(azurite_dir.parent)


def copy_logs(home: Path, target: Path) -> int:
    """Copy each run's ``logs/`` and each service's ``service.log`` under ``target``; how many files."""
    copied = 0
    for folder in home.glob("workspaces/*/*/*"):
        name = "_".join(folder.parts[-3:])
        sources = [(p, Path("runs") / p.relative_to(folder / "runs")) for p in folder.glob("runs/*/logs/**/*")]
        sources += [(p, Path(p.name)) for p in folder.glob("*.log")]
        for source, relative in sources:
            if source.is_file():
                destination = target / name / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)
                copied += 1
    return copied
