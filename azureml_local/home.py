"""Where local workspaces live on disk.

Root: ``$AZUREML_LOCAL_HOME`` or ``~/.azureml-local``. Each workspace is a folder
``<root>/workspaces/<subscription>/<resource group>/<name>/`` holding:

* ``workspace.json`` - identity (id, location, ...), written once at creation
* ``store.db``       - run history and registry (SQLite, WAL)
* ``secret``         - key that signs the workspace's tokens
* ``blobs/``         - plain-folder blob backend data (when Azurite is not used)
* ``azurite/``       - Azurite's data folder and its ``instance.json`` (pid, port)
* ``runs/``          - working folders of running/finished runs
* ``snapshots/``     - content-addressed copies of source directories
* ``service.json``   - pid/port of the workspace service (runner, later HTTP)
"""
from __future__ import annotations

import os
import re
from pathlib import Path

_SAFE = re.compile(r"[^\w.()-]")  # unicode letters kept: two resource groups never share a folder


def local_home() -> Path:
    """The root folder of all local workspaces."""
    return Path(os.environ.get("AZUREML_LOCAL_HOME") or Path.home() / ".azureml-local").expanduser()


def _safe(part: str) -> str:
    return _SAFE.sub("_", part) or "_"


def workspace_folder(subscription_id: str, resource_group: str, workspace_name: str) -> Path:
    """The folder of one workspace (not created here)."""
    return local_home() / "workspaces" / _safe(subscription_id) / _safe(resource_group) / _safe(workspace_name)


def default_subscription() -> str:
    """The subscription id a workspace gets when none is given (``AZUREML_LOCAL_SUBSCRIPTION``)."""
    return os.environ.get("AZUREML_LOCAL_SUBSCRIPTION", "00000000-0000-0000-0000-000000000000")
