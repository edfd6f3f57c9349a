"""``azureml.core.webservice.Webservice``: a deployed model answering on a local scoring URI.

``Webservice(ws, name)`` returns the subclass of the stored service's compute type (ACI, AKS,
Local), as in the SDK. State, keys and the scoring port live in the workspace store
(``ctx.webservices``); the process behind ``scoring_uri`` is started by the workspace service
(``supervisor.py``), so it outlives the script that deployed it. What is emulated: no container
or cluster, one scoring process per service on 127.0.0.1 (docs/deployment.md).
"""
from __future__ import annotations

import json
import logging
import secrets
import shutil
import sys
import time
from abc import ABC
from datetime import datetime, timedelta, timezone
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.model import Model, _matches
from azureml_local.processes import pid_alive, terminate
from azureml_local.service import control
from azureml_local.tokens import issue_token
from azureml_local.webservice import layout
from azureml_local.webservice.configs import (  # noqa: F401  (SDK names of this module)
    AutoScaler, ContainerResourceRequirements, DataCollection, LivenessProbeRequirements, WebServiceAccessToken,
    WebserviceDeploymentConfiguration)

module_logger = logging.getLogger("azureml.core.webservice.webservice")
ACI_WEBSERVICE_TYPE, AKS_WEBSERVICE_TYPE, LOCAL_WEBSERVICE_TYPE = "ACI", "AKS", "Local"
UNKNOWN_WEBSERVICE_TYPE, AKS_ENDPOINT_TYPE = "Unknown", "AKSENDPOINT"
ALL_WEBSERVICE_TYPES = ["ACI", "AKS", "AKSENDPOINT", "IOT", "MIR"]
POLL_SECONDS = 0.2
TERMINAL_STATES = ("Healthy", "Failed", "Unhealthy")


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Webservice(ABC):
    """A deployed web service of the workspace; ``Webservice(ws, name)`` gets it by name."""

    _expected_payload_keys = ["computeType", "createdTime", "description", "kvTags", "name", "properties"]
    _webservice_type: str | None = None

    def __new__(cls, workspace: Any = None, name: str | None = None, *args: Any, **kwargs: Any) -> "Webservice":
        if workspace is None or not name:
            return super().__new__(cls)
        row = workspace._context.webservices.get(name)
        if row is None or row["state"] == "Deleting" or (
                row["compute_type"] == LOCAL_WEBSERVICE_TYPE) != (cls._webservice_type == LOCAL_WEBSERVICE_TYPE):
            raise WebserviceException("WebserviceNotFound: Webservice with name {} not found in provided "
                                      "workspace".format(name))
        row = _restarting(workspace, row)
        service = super().__new__(_class_for(row["compute_type"], cls))
        service._initialize(workspace, row)
        return service

    def __init__(self, workspace: Any, name: str):
        """Initialized in ``__new__`` (the subclass is chosen from the stored compute type)."""

    def __repr__(self) -> str:
        return "{}(workspace={!r}, name={}, image_id={}, compute_type={}, state={}, scoring_uri={}, tags={}, " \
               "properties={}, created_by={})".format(self.__class__.__name__, self.workspace, self.name,
                                                     self.image_id, self.compute_type, self.state, self.scoring_uri,
                                                     self.tags, self.properties, self.created_by)

    # -- reading the stored row ------------------------------------------------------------------
    def _initialize(self, workspace: Any, obj_dict: dict[str, Any]) -> None:
        self.workspace = workspace
        self._row = obj_dict
        config = obj_dict.get("config") or {}
        self.name = obj_dict["name"]
        self.compute_type = obj_dict["compute_type"]
        self.description = obj_dict.get("description")
        self.tags = dict(obj_dict.get("tags") or {})
        self.properties = dict(obj_dict.get("properties") or {})
        self.created_time = _parse_time(obj_dict.get("created_utc"))
        self.updated_time = _parse_time(obj_dict.get("updated_utc"))
        self.created_by = {"userName": config.get("created_by")}
        self.image_id = None
        self.image = None
        self.auth_enabled = bool(config.get("auth_enabled"))
        self.token_auth_enabled = bool(config.get("token_auth_enabled"))
        self.environment = None
        self.models = self._models()
        self._port = obj_dict["port"]
        self._health = _observed_state(obj_dict)  # Transitioning | Healthy | Unhealthy | Failed
        self.state = self._health
        self.error = obj_dict.get("error")
        self._scoring_uri = None if self._health == "Failed" else self._uri("score")
        self._swagger_uri = None if self._health == "Failed" else self._uri("swagger.json")
        self._set_uris()

    def _set_uris(self) -> None:
        """Instance attributes here; LocalWebservice has them as properties, as in the SDK."""
        self.scoring_uri, self.swagger_uri = self._scoring_uri, self._swagger_uri

    def _uri(self, leaf: str) -> str:
        return "http://127.0.0.1:{}/{}".format(self._port, leaf)

    def _models(self) -> list[Any]:
        out = []
        for ref in self._row.get("models") or []:
            try:
                out.append(Model(self.workspace, name=ref["name"], version=ref["version"], expand=False))
            except WebserviceException:
                continue  # the registered version was deleted after deploying: the service keeps its copy
        return out

    @property
    def _ctx(self) -> Any:
        return self.workspace._context

    def update_deployment_state(self) -> None:
        """Refresh this object from the store (state, keys, URIs)."""
        row = self._ctx.webservices.get(self.name)
        if row is None:
            raise WebserviceException("WebserviceNotFound: Webservice with name {} not found in provided "
                                      "workspace".format(self.name))
        self._initialize(self.workspace, row)

    # -- deployment progress -----------------------------------------------------------------------
    def wait_for_deployment(self, show_output: bool = False, timeout_sec: float | None = None) -> None:
        """Poll until Healthy (prints as the SDK) or raise ``WebserviceException`` when it failed."""
        if show_output:
            print("Tips: You can try get_logs(): https://aka.ms/debugimage#dockerlog or local deployment: "
                  "https://aka.ms/debugimage#debug-locally to debug if deployment takes longer than 10 minutes.")
        start = time.monotonic()
        self.update_deployment_state()
        operation = "Running"
        if show_output:
            sys.stdout.write(operation)
            sys.stdout.flush()
        last_dot = start
        while self._health not in TERMINAL_STATES:
            if timeout_sec and time.monotonic() - start >= float(timeout_sec):
                raise WebserviceException("Deployment polling exceeded timeout override of {}s. Current status: {}\n"
                                          "Deployment may be transitioning or unhealthy, use "
                                          "update_deployment_state() to fetch the latest status of the "
                                          "webservice".format(timeout_sec, operation))
            time.sleep(POLL_SECONDS)
            if show_output and time.monotonic() - last_dot >= 5:
                sys.stdout.write(".")
                sys.stdout.flush()
                last_dot = time.monotonic()
            self.update_deployment_state()
        operation = "Succeeded" if self._health == "Healthy" else "Failed"
        if show_output:
            sys.stdout.write("\n{}\n".format(operation))
            sys.stdout.flush()
        if operation != "Succeeded":
            error = json.dumps(self.error, indent=2) if self.error else "No error message received from server."
            raise WebserviceException("Service deployment polling reached non-successful terminal state, current "
                                      "service state: {}\nOperation ID: {}\nMore information can be found using "
                                      "'.get_logs()'\nError:\n{}".format(self.state, self._operation_id(), error))
        print("{} service creation operation finished, operation \"{}\"".format(self._webservice_type, operation))

    def _operation_id(self) -> str:
        return "{}-{}".format(self.name, self._row["generation"])

    def get_logs(self, num_lines: int = 5000, init: bool = False) -> str:
        """The scoring process's output (init's traceback when it failed), last ``num_lines`` lines."""
        path = layout.log_path(self._ctx.folder, self.name, self._row["generation"])
        try:
            lines = path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(lines[-num_lines:] if num_lines else lines) + "\n"

    # -- scoring -----------------------------------------------------------------------------------
    def _auth_header(self) -> dict[str, str]:
        if self.auth_enabled:
            return {"Authorization": "Bearer " + self.get_keys()[0]}
        if self.token_auth_enabled:
            return {"Authorization": "Bearer " + self.get_token()[0]}
        return {}

    def run(self, input: Any) -> Any:  # noqa: A002 - the SDK's parameter name
        return self._score(input)

    def _score(self, input_data: Any) -> Any:
        """POST to the scoring URI as the SDK's ``run`` does; 200 -> the decoded JSON answer."""
        import requests  # heavy: only when scoring

        if not self.scoring_uri:
            raise WebserviceException("Error attempting to call webservice, scoring_uri unavailable. This could be "
                                      "due to a failed deployment, or the service is not ready yet.\nCurrent State: "
                                      "{}\nErrors: {}".format(self.state, self.error))
        headers = {"Content-Type": "application/json", **self._auth_header()}
        try:
            resp = requests.post(self.scoring_uri, data=input_data, headers=headers)
        except requests.ConnectionError:
            self._initialize(self.workspace, _restarting(self.workspace, self._row))  # the service restarts it
            self._wait_healthy(60.0)
            resp = requests.post(self.scoring_uri, data=input_data, headers=headers)
        if resp.status_code == 200:
            return resp.json()
        raise WebserviceException("Received bad response from service. More information can be found by calling "
                                  "`.get_logs()` on the webservice object.\nResponse Code: {}\nHeaders: {}\n"
                                  "Content: {}".format(resp.status_code, resp.headers, resp.content))

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        self.update_deployment_state()
        while self._health not in TERMINAL_STATES and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            self.update_deployment_state()

    # -- keys and tokens ---------------------------------------------------------------------------
    def get_keys(self) -> tuple[str, str]:
        """``(primary key, secondary key)`` for ``Authorization: Bearer <key>``."""
        row = self._ctx.webservices.get(self.name) or self._row
        return row["primary_key"], row["secondary_key"]

    def regen_key(self, key: str, set_key: str | None = None) -> None:
        """Replace the Primary or Secondary key (the running service accepts the new one at once)."""
        if not key:
            raise WebserviceException("Error, must specify which key with be regenerated: Primary, Secondary")
        key = key.capitalize()
        if key not in ("Primary", "Secondary"):
            raise WebserviceException("Error, invalid value provided for key: {}.\n"
                                      "Valid options are: Primary, Secondary".format(key))
        column = "primary_key" if key == "Primary" else "secondary_key"
        self._row = self._ctx.webservices.update(self.name, {column: set_key or new_key()})

    def get_token(self) -> Any:
        raise NotImplementedError("{} webservices do not support Token Authentication.".format(self._webservice_type))

    def _issue_token(self) -> WebServiceAccessToken:
        now = datetime.now(timezone.utc)
        token = issue_token(self._ctx, "webservice-client", 3600, webservice=self.name)
        return WebServiceAccessToken(token, "Bearer", now + timedelta(minutes=30), now + timedelta(hours=1))

    # -- changes -----------------------------------------------------------------------------------
    def update(self, *args: Any) -> None:
        raise NotImplementedError("Cannot update a generic Webservice; use its AciWebservice, AksWebservice or "
                                  "LocalWebservice object.")

    def _apply_update(self, fields: dict[str, Any], config: dict[str, Any], models: list | None,
                      inference_config: Any) -> None:
        """Record tag/description changes; a model, script or auth change redeploys (new generation)."""
        from azureml_local.webservice.deploy import redeploy  # cycle: deploy builds Webservice objects

        if models is not None or inference_config is not None or config:
            redeploy(self.workspace, self._row, models, inference_config, config, fields)
        elif fields:
            self._ctx.webservices.update(self.name, fields)
        self.update_deployment_state()

    def delete(self) -> None:
        """Stop the scoring process, then remove the service and its files."""
        store = self._ctx.webservices
        row = store.mark_deleting(self.name)
        if row is None:
            return
        if row.get("pid") and pid_alive(row["pid"]):
            terminate(row["pid"], timeout=10)
        store.delete(self.name)
        shutil.rmtree(layout.service_dir(self._ctx.folder, self.name), ignore_errors=True)
        self.state = "Deleted"

    # -- tags / properties -------------------------------------------------------------------------
    def add_tags(self, tags: dict) -> None:
        self.tags = dict(self.tags, **tags)
        self._ctx.webservices.update(self.name, {"tags": self.tags})
        print("Webservice tag add operation complete.")

    def remove_tags(self, tags: list) -> None:
        for key in tags:
            if key in self.tags:
                del self.tags[key]
            else:
                print("Tag with key {} not found.".format(key))
        self._ctx.webservices.update(self.name, {"tags": self.tags})
        print("Webservice tag remove operation complete.")

    def add_properties(self, properties: dict) -> None:
        duplicates = [k for k in properties if k in self.properties]
        if duplicates:
            raise WebserviceException("Error, properties are immutable, the following keys cannot be "
                                      "added/modified: {}".format(",".join(duplicates)))
        self.properties = dict(self.properties, **properties)
        self._ctx.webservices.update(self.name, {"properties": self.properties})
        print("Webservice add properties operation complete.")

    # -- listing and (de)serialization -------------------------------------------------------------
    @staticmethod
    def list(workspace: Any, compute_type: str | None = None, image_name: str | None = None,
             image_id: str | None = None, model_name: str | None = None, model_id: str | None = None,
             tags: list | None = None, properties: list | None = None,
             image_digest: str | None = None) -> list["Webservice"]:
        """The workspace's deployed services (not LocalWebservice ones, as in the SDK)."""
        if compute_type and compute_type.upper() not in ALL_WEBSERVICE_TYPES:
            raise WebserviceException('Invalid compute type "{}". Valid options are "{}"'.format(
                compute_type, ",".join(ALL_WEBSERVICE_TYPES)))
        out = []
        for row in workspace._context.webservices.list():
            if row["state"] == "Deleting" or row["compute_type"] == LOCAL_WEBSERVICE_TYPE:
                continue
            if compute_type and row["compute_type"].upper() != compute_type.upper():
                continue
            refs = row.get("models") or []
            if model_name and not any(r["name"] == model_name for r in refs):
                continue
            if model_id and not any("{}:{}".format(r["name"], r["version"]) == model_id for r in refs):
                continue
            if not _matches(row.get("tags"), tags) or not _matches(row.get("properties"), properties):
                continue
            service = object.__new__(_class_for(row["compute_type"], Webservice))
            service._initialize(workspace, row)
            out.append(service)
        return out

    def serialize(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "tags": self.tags, "kvTags": self.tags,
                "properties": self.properties, "state": self.state,
                "createdTime": self.created_time.isoformat() if self.created_time else None,
                "updatedTime": self.updated_time.isoformat() if self.updated_time else None,
                "error": self.error, "computeType": self.compute_type, "imageId": self.image_id,
                "scoringUri": self.scoring_uri, "swaggerUri": self.swagger_uri, "authEnabled": self.auth_enabled,
                "tokenAuthEnabled": self.token_auth_enabled,
                "models": [{"name": r["name"], "version": r["version"]} for r in self._row.get("models") or []],
                "createdBy": self.created_by}

    @classmethod
    def deserialize(cls, workspace: Any, webservice_payload: dict[str, Any]) -> "Webservice":
        """A service object from ``serialize()``'s payload (looked up again by name in the workspace)."""
        for key in ("computeType", "name"):
            if key not in webservice_payload:
                raise WebserviceException("Invalid {} Webservice payload, missing \"{}\":\n{}".format(
                    cls._webservice_type or "", key, webservice_payload))
        row = workspace._context.webservices.get(webservice_payload["name"])
        if row is None:
            raise WebserviceException("WebserviceNotFound: Webservice with name {} not found in provided "
                                      "workspace".format(webservice_payload["name"]))
        service = object.__new__(_class_for(row["compute_type"], cls))
        service._initialize(workspace, row)
        return service

    # -- the SDK's image-based deployments (no images locally) ---------------------------------------
    @staticmethod
    def deploy(workspace: Any, name: str, model_paths: list, image_config: Any, deployment_config: Any = None,
               deployment_target: Any = None, overwrite: bool = False) -> "Webservice":
        raise WebserviceException(_IMAGES)

    @staticmethod
    def deploy_from_image(workspace: Any, name: str, image: Any, deployment_config: Any = None,
                          deployment_target: Any = None, overwrite: bool = False) -> "Webservice":
        raise WebserviceException(_IMAGES)

    @staticmethod
    def deploy_from_model(workspace: Any, name: str, models: list, image_config: Any, deployment_config: Any = None,
                          deployment_target: Any = None, overwrite: bool = False) -> "Webservice":
        raise WebserviceException(_IMAGES)

    @staticmethod
    def deploy_local_from_model(workspace: Any, name: str, models: list, image_config: Any,
                                deployment_config: Any = None, wait: bool = False) -> "Webservice":
        raise WebserviceException(_IMAGES)

    @staticmethod
    def check_for_existing_webservice(workspace: Any, name: str, overwrite: bool = False, request_func: Any = None,
                                      check_func: Any = None) -> None:
        """Raise when ``name`` is taken and ``overwrite`` is False."""
        if not overwrite and workspace._context.webservices.get(name) is not None:
            raise WebserviceException(existing_message(workspace, name))


_IMAGES = ("Image-based deployment (ContainerImage) is deprecated in the SDK and needs a container registry; "
           "azureml-local deploys with Model.deploy(workspace, name, models, inference_config, deployment_config).")


def existing_message(workspace: Any, name: str) -> str:
    return ("Service {} with the same name already exists in workspace {}, please use a different service name, "
            "delete the existing service or pass overwrite=True.".format(name, workspace._context.workspace_name))


def _class_for(compute_type: str, requested: type) -> type:
    """The subclass whose ``_webservice_type`` is ``compute_type`` (UnknownWebservice otherwise)."""
    if requested._webservice_type == compute_type:
        return requested
    fallback = requested
    for child in _all_subclasses(Webservice):
        if child._webservice_type == compute_type and child.__name__ != "AksEndpoint":
            return child
        if child._webservice_type == UNKNOWN_WEBSERVICE_TYPE:
            fallback = child
    return fallback


def _all_subclasses(cls: type) -> set[type]:
    return set(cls.__subclasses__()).union(s for c in cls.__subclasses__() for s in _all_subclasses(c))


def _restarting(workspace: Any, row: dict[str, Any]) -> dict[str, Any]:
    """Make sure the workspace service runs; a service whose process is gone is Transitioning until its
    supervisor has started it again (so ``wait_for_deployment`` waits instead of seeing Unhealthy)."""
    control.ensure_service(workspace)
    if row["state"] in ("Healthy", "Unhealthy") and not pid_alive(row.get("pid")):
        store = workspace._context.webservices
        store.set_state(row["name"], row["generation"], "Transitioning")
        row = store.get(row["name"]) or row
    return row


def _observed_state(row: dict[str, Any]) -> str:
    """The stored state, except a Healthy service whose process is not running is Unhealthy."""
    state = row["state"]
    if state == "Healthy" and not pid_alive(row.get("pid")):
        return "Unhealthy"
    return state


def _parse_time(text: str | None) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ") if text else None
