"""``azureml.core.Workspace``: a folder on this machine instead of an ARM resource.

A workspace is identified, as in the cloud, by (subscription id, resource group,
name); :func:`azureml_local.home.workspace_folder` maps that triple to a folder.
Opening a workspace that has no folder yet creates it (users bring a cloud
``config.json`` and expect it to work); set ``AZUREML_LOCAL_STRICT_WORKSPACES=1``
to get the SDK's "not found" error instead.

The class holds identity and lazily opened handles (database, blob store); all
behaviour of experiments, data and compute lives in their own modules.
"""
from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_local.context import WorkspaceContext
from azureml_local.data.dataset_registry import workspace_datasets
from azureml_local.data import stores
from azureml_local.data.datastore_registry import get_default_datastore, list_datastores
from azureml_local.environment import Environment
from azureml_local.exceptions import ComputeTargetException, UserErrorException, WorkspaceException
from azureml_local.home import _safe, default_subscription, local_home, workspace_folder
from azureml_local.mlflow import uri as mlflow_uri

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore
    from azureml_local.store.db import Database

DEFAULT_LOCATION = "local"
_CONFIG_DIRS = (".azureml", "aml_config", None)
_CONFIG_FILES = ("config.json", "project.json")
#: A config file ``from_config()`` falls back to when its search finds none (set by the pytest plugin
#: and ``mock_workspace``: docs/testing.md); the search of the current folder and its parents comes first.
CONFIG_ENV = "AZUREML_LOCAL_CONFIG"
_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
# Azure: 1-90 letters (unicode too), digits, underscores, parentheses, hyphens and periods, not ending in '.'
_RESOURCE_GROUP_RE = re.compile(r"^[\w().-]{0,89}[\w()-]$")
# Azure subscription ids are GUIDs; any id made of letters, digits, '-' and '_' maps to a folder here
_SUBSCRIPTION_RE = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class Workspace:
    """A local Azure ML workspace (same constructor and members as the SDK's)."""

    DEFAULT_CPU_CLUSTER_CONFIGURATION = None
    DEFAULT_CPU_CLUSTER_NAME = "cpu-cluster"
    DEFAULT_GPU_CLUSTER_CONFIGURATION = None
    DEFAULT_GPU_CLUSTER_NAME = "gpu-cluster"

    def __init__(self, subscription_id: str, resource_group: str, workspace_name: str, auth: Any = None,
                 _location: str | None = None, _disable_service_check: bool = False,
                 _workspace_id: str | None = None, sku: str = "basic", tags: dict | None = None,
                 _cloud: str = "AzureCloud"):
        for label, value in (("subscription_id", subscription_id), ("resource_group", resource_group),
                             ("workspace_name", workspace_name)):
            if not isinstance(value, str) or not value:
                raise UserErrorException(f"Workspace {label} must be a non-empty string, got {value!r}.")
        check_ids(subscription_id, resource_group)
        self._subscription_id = subscription_id
        self._resource_group = resource_group
        self._workspace_name = workspace_name
        self._auth = auth
        self._folder = workspace_folder(subscription_id, resource_group, workspace_name)
        self._lock = threading.Lock()
        info = _read_info(self._folder)
        if info is None:
            _check_name(workspace_name)  # never create a folder for a name Azure would not accept
            if os.environ.get("AZUREML_LOCAL_STRICT_WORKSPACES") == "1":
                raise WorkspaceException(
                    f"Workspace not found: no local workspace '{workspace_name}' in resource group "
                    f"'{resource_group}' (looked in {self._folder}). Create it with Workspace.create("
                    f"name='{workspace_name}', subscription_id='{subscription_id}', "
                    f"resource_group='{resource_group}') or unset AZUREML_LOCAL_STRICT_WORKSPACES.")
            info = _create_folder(self._folder, (subscription_id, resource_group, workspace_name),
                                  _location or DEFAULT_LOCATION, sku, tags or {}, _workspace_id)
        self._info = info
        self._ctx = WorkspaceContext(subscription_id, resource_group, workspace_name, self._folder)
        self._ctx._info = info

    # -- identity -----------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._workspace_name

    @property
    def subscription_id(self) -> str:
        return self._subscription_id

    @property
    def resource_group(self) -> str:
        return self._resource_group

    @property
    def location(self) -> str:
        return self._info["location"]

    @property
    def sku(self) -> str:
        return self._info.get("sku", "basic")

    @property
    def tags(self) -> dict:
        return dict(self._info.get("tags") or {})

    @property
    def discovery_url(self) -> str:
        return self._service_endpoint()

    @property
    def service_context(self) -> "Workspace":
        return self

    @property
    def _workspace_id(self) -> str:
        return self._info["workspace_id"]

    @property
    def _local_folder(self) -> Path:
        """The folder holding this workspace's database, blobs and runs."""
        return self._folder

    def _service_endpoint(self) -> str:
        """What ``AZUREML_SERVICE_ENDPOINT`` is set to for runs of this workspace."""
        return self._ctx.service_endpoint()

    @property
    def _arm_id(self) -> str:
        return self._ctx.arm_id

    # -- handles (the workspace context owns them; see azureml_local/context.py) ---------------
    @property
    def _context(self) -> WorkspaceContext:
        """What lower layers take instead of this SDK object."""
        return self._ctx

    @property
    def _store(self) -> "Database":
        """The workspace database (opened, and migrated, on first use)."""
        return self._ctx.db

    @property
    def _blobs(self) -> "BlobStore":
        """The workspace's blob storage (Azurite, Azure or plain folder)."""
        return self._ctx.blobs

    def _secret(self) -> bytes:
        """The key that signs this workspace's tokens (created with the workspace)."""
        return self._ctx.secret()

    # -- construction -----------------------------------------------------------------
    @staticmethod
    def from_config(path: str | None = None, auth: Any = None, _logger: Any = None,
                    _file_name: str | None = None) -> "Workspace":
        """Find ``config.json`` (``path``, then ``.azureml/``, ``aml_config/``, ``.`` up the tree)."""
        found = find_config_file(path, _file_name)
        subscription_id, resource_group, workspace_name = read_config(found)
        return Workspace.get(workspace_name, auth=auth, subscription_id=subscription_id,
                             resource_group=resource_group)

    @staticmethod
    def get(name: str, auth: Any = None, subscription_id: str | None = None, resource_group: str | None = None,
            location: str | None = None, cloud: str = "AzureCloud", id: str | None = None) -> "Workspace":
        if resource_group is None:
            _check_name(name)  # the default group is derived from it: name the real culprit
        return Workspace(subscription_id or default_subscription(), resource_group or f"{name}-rg", name,
                         auth=auth, _location=location)

    @staticmethod
    def create(name: str, auth: Any = None, subscription_id: str | None = None, resource_group: str | None = None,
               location: str | None = None, create_resource_group: bool = True, sku: str = "basic",
               tags: dict | None = None, friendly_name: str | None = None, storage_account: str | None = None,
               key_vault: str | None = None, app_insights: str | None = None,
               container_registry: str | None = None, adb_workspace: str | None = None,
               primary_user_assigned_identity: str | None = None, cmk_keyvault: str | None = None,
               resource_cmk_uri: str | None = None, hbi_workspace: bool = False,
               default_cpu_compute_target: Any = None, default_gpu_compute_target: Any = None,
               private_endpoint_config: Any = None, private_endpoint_auto_approval: bool = True,
               exist_ok: bool = False, show_output: bool = True, user_assigned_identity_for_cmk_encryption: Any = None,
               system_datastores_auth_mode: str = "accessKey", v1_legacy_mode: Any = None) -> "Workspace":
        _check_name(name)
        subscription_id = subscription_id or default_subscription()
        resource_group = resource_group or f"{name}-rg"
        check_ids(subscription_id, resource_group)
        folder = workspace_folder(subscription_id, resource_group, name)
        if _read_info(folder) is not None and not exist_ok:
            raise WorkspaceException(
                "Workspace with name '{0}' already exists under resource group with name '{1}'.".format(
                    name, resource_group))
        if _read_info(folder) is None:
            _create_folder(folder, (subscription_id, resource_group, name), location or DEFAULT_LOCATION,
                           sku, tags or {}, None, friendly_name=friendly_name)
            if show_output:
                print(f"Deployed local workspace '{name}' in {folder}")
        return Workspace(subscription_id, resource_group, name, auth=auth)

    @staticmethod
    def list(subscription_id: str, auth: Any = None, resource_group: str | None = None) -> dict[str, list["Workspace"]]:
        """``{name: [Workspace]}`` of the local workspaces in a subscription (optionally one group)."""
        result: dict[str, list[Workspace]] = {}
        sub_dir = local_home() / "workspaces" / _safe(subscription_id)
        for info_file in sorted(sub_dir.glob("*/*/workspace.json")):
            info = json.loads(info_file.read_text())
            if resource_group and info["resource_group"] != resource_group:
                continue
            ws = Workspace(info["subscription_id"], info["resource_group"], info["name"], auth=auth)
            result.setdefault(ws.name, []).append(ws)
        return result

    def write_config(self, path: str | None = None, file_name: str | None = None) -> None:
        """Write ``config.json`` into ``<path>/.azureml/`` (``path`` defaults to the current folder)."""
        folder = Path(path or ".") / ".azureml"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / (file_name or "config.json")).write_text(json.dumps({
                "subscription_id": self._subscription_id,
                "resource_group": self._resource_group,
                "workspace_name": self._workspace_name,
            }, indent=4))
        except OSError as exc:
            raise UserErrorException(
                f"Could not write the config file to: {folder}\n{exc}\nPlease make sure you have write "
                "permissions to the path.") from exc

    def delete(self, delete_dependent_resources: bool = False, no_wait: bool = False) -> None:
        """Remove the workspace's folder (database, blobs, runs)."""
        import shutil

        from azureml_local.service import control as service_control  # heavy: psutil

        service_control.stop_workspace_processes(self)
        self._ctx.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def get_details(self) -> dict[str, Any]:
        return {
            "id": self._arm_id,
            "name": self._workspace_name,
            "identity": {"type": "SystemAssigned"},
            "location": self.location,
            "type": "Microsoft.MachineLearningServices/workspaces",
            "tags": self.tags,
            "sku": self.sku,
            "workspaceid": self._workspace_id,
            "sdkTelemetryAppInsightsKey": "",
            "description": "",
            "friendlyName": self._info.get("friendly_name") or self._workspace_name,
            "creationTime": self._info["created"],
            "containerRegistry": "",
            "keyVault": "",
            "applicationInsights": "",
            "storageAccount": f"local:{self._folder}",
            "hbiWorkspace": False,
            "provisioningState": "Succeeded",
            "discoveryUrl": self._service_endpoint(),
            "notebookInfo": {},
            "v1LegacyMode": True,
        }

    def get_mlflow_tracking_uri(self, _with_auth: bool = False) -> str:
        """``azureml-local://<workspace folder>``: MLflow writes into this workspace's run history
        through the plugin of ``pip install azureml-local[mlflow]`` (docs/mlflow.md)."""
        return mlflow_uri.tracking_uri(self._folder)

    # -- registries (implemented in their own modules) -----------------------------------
    @property
    def experiments(self) -> dict:
        """``{name: Experiment}`` of the workspace's active experiments."""
        from azureml_local.experiment import Experiment  # cycle: experiment imports workspace

        return {e.name: e for e in Experiment.list(self)}

    @property
    def compute_targets(self) -> dict:
        """``{name: ComputeTarget}``."""
        from azureml_local.compute.compute_target import ComputeTarget  # light: compute stays off `from azureml.core`

        return {c.name: c for c in ComputeTarget.list(self)}

    def get_default_compute_target(self, type: str) -> Any:
        """The workspace's ``cpu-cluster`` / ``gpu-cluster`` (deprecated SDK API), or None.

        With ``AZUREML_LOCAL_AUTO_CREATE_COMPUTE=1`` a missing default cluster is created, as cloud
        workspaces of that era had one (old notebooks call ``.get_status()`` on the result).
        """
        if type.lower() == "cpu":
            name = Workspace.DEFAULT_CPU_CLUSTER_NAME
        elif type.lower() == "gpu":
            name = Workspace.DEFAULT_GPU_CLUSTER_NAME
        else:
            raise ValueError("Invalid compute type. Accepted values are CPU and GPU")
        from azureml_local.compute.resolve import AUTO_CREATE_ENV, resolve_compute  # light: as above

        try:
            return resolve_compute(self, name, auto_create=os.environ.get(AUTO_CREATE_ENV) == "1")
        except ComputeTargetException:
            return None

    @property
    def environments(self) -> dict:
        """``{name: Environment}`` (registered ones plus curated ``AzureML-*``)."""
        return Environment.list(self)

    @property
    def models(self) -> dict:
        """``{name: Model}`` (latest version of each)."""
        from azureml_local.model import Model  # cycle: model -> run -> experiment -> workspace

        latest: dict = {}
        for m in Model.list(self, latest=True):
            latest[m.name] = m
        return latest

    @property
    def webservices(self) -> dict:
        """``{name: Webservice}``: the deployed web services (local scoring processes, docs/deployment.md)."""
        from azureml_local.webservice.webservice import Webservice  # light: deployment stays off `from azureml.core`

        return {service.name: service for service in Webservice.list(self)}

    @property
    def datastores(self) -> dict:
        """``{name: Datastore}``."""
        return list_datastores(self)

    @property
    def datasets(self) -> dict:
        """``{name: Dataset}`` (latest version of each registered dataset)."""
        return workspace_datasets(self)

    def get_default_datastore(self) -> Any:
        return get_default_datastore(self)

    def get_default_keyvault(self) -> Any:
        """The workspace's key vault (``azureml.core.Keyvault``): secrets stored locally, encrypted."""
        from azureml_local.keyvault import Keyvault  # heavy: cryptography

        return Keyvault(self)

    def set_default_datastore(self, name: str) -> None:
        stores.set_default(self, name)

    def get_run(self, run_id: str) -> Any:
        from azureml_local.run import Run  # cycle: run -> experiment -> workspace

        return Run.get(self, run_id)

    # -- dunder ---------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Workspace) and self._folder == other._folder

    def __hash__(self) -> int:
        return hash(self._folder)

    def __repr__(self) -> str:
        return "Workspace.create(name='%s', subscription_id='%s', resource_group='%s')" % (
            self._workspace_name, self._subscription_id, self._resource_group)

    def __getstate__(self) -> dict:
        return {"s": self._subscription_id, "r": self._resource_group, "n": self._workspace_name}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["s"], state["r"], state["n"])  # type: ignore[misc]


def _check_name(name: Any) -> None:
    """The SDK's ``check_valid_resource_name(name, "Workspace")`` message."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise UserErrorException("Workspace name must be between 3 and 33 characters long. Its first character has "
                                 "to be alphanumeric, and the rest may contain hyphens and underscores. No "
                                 "whitespace is allowed.")


def check_ids(subscription_id: Any, resource_group: Any) -> None:
    """Reject ids Azure would reject before any folder is made (they also name folders here)."""
    if not isinstance(resource_group, str) or not _RESOURCE_GROUP_RE.match(resource_group):
        raise UserErrorException(
            f"Invalid resource group name {resource_group!r}: resource group names are 1-90 characters long, "
            "use only letters, digits, underscores, parentheses, hyphens and periods, and must not end with a "
            "period.")
    if not isinstance(subscription_id, str) or not _SUBSCRIPTION_RE.match(subscription_id):
        raise UserErrorException(
            f"Invalid subscription id {subscription_id!r}: a subscription id is a GUID such as "
            "'00000000-0000-0000-0000-000000000000' (letters, digits, hyphens).")


# -- config files -----------------------------------------------------------------------
def find_config_file(path: str | None = None, file_name: str | None = None) -> Path:
    """The SDK's search: a file path as is; else each config dir/file name up the parents."""
    start = Path(os.path.abspath(os.path.expanduser(path or ".")))
    if start.is_file():
        return start
    names = [file_name] if file_name else list(_CONFIG_FILES)
    for config_dir in _CONFIG_DIRS:
        for name in names:
            rel = Path(config_dir, name) if config_dir else Path(name)
            current = start
            while True:
                candidate = current / rel
                if candidate.is_file():
                    return candidate
                if current.parent == current:
                    break
                current = current.parent
    fallback = os.environ.get(CONFIG_ENV)
    if path is None and fallback and Path(fallback).is_file():
        return Path(fallback)
    raise UserErrorException(
        "The workspace configuration file config.json, could not be found in {} or its parent "
        "directories. Please check whether the workspace configuration file exists, or provide "
        "the full path to the configuration file as an argument. You can download a configuration "
        "file for your workspace, via http://ml.azure.com and clicking on the name of your "
        "workspace in the right top. To create a local workspace and its config.json here, run "
        "`azureml-local init` (or call Workspace.create(name=..., subscription_id=..., "
        "resource_group=...).write_config()).".format(start))


def read_config(path: Path) -> tuple[str, str, str]:
    """``(subscription_id, resource_group, workspace_name)`` from a config file (also the legacy ``Id`` form)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise UserErrorException(f"The workspace configuration file {path} is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and "Id" in data and "subscription_id" not in data:
        parts = str(data["Id"]).strip("/").split("/")
        try:
            return parts[1], parts[3], parts[7]
        except IndexError:
            pass
    missing = [k for k in ("subscription_id", "resource_group", "workspace_name")
               if not isinstance(data, dict) or not data.get(k)]
    if missing:
        raise UserErrorException(
            f"The workspace configuration file {path} lacks {', '.join(missing)}. It must hold "
            '{"subscription_id": "...", "resource_group": "...", "workspace_name": "..."}.')
    return data["subscription_id"], data["resource_group"], data["workspace_name"]


# -- the workspace folder --------------------------------------------------------------------
def _read_info(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "workspace.json").read_text())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise WorkspaceException(
            f"The local workspace file {folder / 'workspace.json'} is corrupted ({exc}). Restore it or "
            "delete the workspace folder to start again.") from exc


def _create_folder(folder: Path, identity: tuple[str, str, str], location: str, sku: str, tags: dict,
                   workspace_id: str | None, friendly_name: str | None = None) -> dict:
    """Create the workspace folder; the identity file appears last and atomically (hard link)."""
    info = {
        "subscription_id": identity[0], "resource_group": identity[1], "name": identity[2],
        "workspace_id": workspace_id or str(uuid.uuid4()), "location": location, "sku": sku, "tags": tags,
        "friendly_name": friendly_name, "created": datetime.now(timezone.utc).isoformat(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    secret_file = folder / "secret"
    if not secret_file.exists():
        tmp = folder / f".secret.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others, not even briefly
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))  # = secrets.token_bytes, without importing random/hmac
        os.chmod(tmp, 0o600)  # an existing leftover tmp keeps its mode through O_TRUNC
        os.replace(tmp, secret_file)
    tmp = folder / f".workspace.json.{os.getpid()}"
    tmp.write_text(json.dumps(info, indent=2))
    try:
        os.link(tmp, folder / "workspace.json")  # fails if another process won the race
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return json.loads((folder / "workspace.json").read_text())
