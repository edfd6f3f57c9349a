"""``azureml.core.webservice.local``: LocalWebservice (the SDK's Docker-based local deployment).

The SDK runs the model in a local Docker container; here it is the same local scoring process as
the other types (no Docker engine needed), at ``http://localhost:<port>/score`` with the port of
``deploy_configuration(port=...)`` when given. Its states are the SDK's lowercase ones.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.webservice.configs import WebserviceDeploymentConfiguration
from azureml_local.webservice.webservice import LOCAL_WEBSERVICE_TYPE, Webservice

module_logger = logging.getLogger("azureml.core.webservice.local")
_STATES = {"Transitioning": "deploying", "Healthy": "running", "Failed": "failed", "Unhealthy": "failed",
           "Deleting": "deleted", "Deleted": "deleted"}


class LocalWebservice(Webservice):
    """A model deployed "locally" (the SDK: a Docker container; here: a scoring process)."""

    _webservice_type = LOCAL_WEBSERVICE_TYPE
    NETWORK_NAME = "azureml-local"
    STATE_DELETED = "deleted"
    STATE_DEPLOYING = "deploying"
    STATE_FAILED = "failed"
    STATE_RUNNING = "running"
    STATE_UNKNOWN = "unknown"

    def __new__(cls, workspace: Any = None, name: str | None = None, must_exist: bool = True) -> "LocalWebservice":
        if workspace is not None and name and not must_exist and workspace._context.webservices.get(name) is None:
            service = object.__new__(cls)
            service.workspace, service.name, service.state = workspace, name, cls.STATE_UNKNOWN
            return service
        return super().__new__(cls, workspace, name)

    def __init__(self, workspace: Any, name: str, must_exist: bool = True):
        """Initialized in ``__new__``."""

    def _initialize(self, workspace: Any, obj_dict: dict[str, Any]) -> None:
        super()._initialize(workspace, obj_dict)
        self.state = _STATES.get(self._health, self.STATE_UNKNOWN)

    def _set_uris(self) -> None:
        return  # properties below

    def _uri(self, leaf: str) -> str:
        return "http://localhost:{}/{}".format(self._port, leaf)

    @property
    def port(self) -> int:
        return self._port

    @property
    def scoring_uri(self) -> str | None:
        return self._scoring_uri

    @property
    def swagger_uri(self) -> str | None:
        return self._swagger_uri

    @staticmethod
    def _auth_settings(config: Any) -> dict[str, Any]:
        return {"auth_enabled": False, "token_auth_enabled": False}

    @staticmethod
    def deploy_configuration(port: int | None = None) -> "LocalWebserviceDeploymentConfiguration":
        config = LocalWebserviceDeploymentConfiguration(port)
        config.validate_configuration()
        return config

    @staticmethod
    def list(workspace: Any, model_name: str | None = None, model_id: str | None = None,
             all: bool | None = None) -> list["LocalWebservice"]:  # noqa: A002 - the SDK's parameter name
        out = []
        for row in workspace._context.webservices.list():
            refs = row.get("models") or []
            if row["compute_type"] != LOCAL_WEBSERVICE_TYPE or row["state"] == "Deleting":
                continue
            if model_name and not any(r["name"] == model_name for r in refs):
                continue
            if model_id and not any("{}:{}".format(r["name"], r["version"]) == model_id for r in refs):
                continue
            service = object.__new__(LocalWebservice)
            service._initialize(workspace, row)
            out.append(service)
        return out

    def run(self, input_data: Any) -> Any:
        return self._score(input_data)

    def wait_for_deployment(self, show_output: bool = False) -> None:
        """Wait until the scoring process answers (``running``); when init() failed, print its log and
        raise the SDK's "Container has crashed" error."""
        print("Checking container health...")
        self._wait_healthy(600.0)  # the SDK gives a container about as long
        if self._health != "Healthy":
            self.state = self.STATE_FAILED
            print("\nContainer Logs:")
            print(self.get_logs())
            raise WebserviceException("Error: Container has crashed. Did your init method fail?",
                                      logger=module_logger)
        print("Local webservice is {} at {}".format(self.state, self._uri("").rstrip("/")))

    def get_logs(self, num_lines: int = 5000, raw: bool = False) -> str:
        return super().get_logs(num_lines)

    def update_deployment_state(self, must_exist: bool = False) -> None:
        if must_exist or self.workspace._context.webservices.get(self.name) is not None:
            super().update_deployment_state()
        else:
            self.state = self.STATE_DELETED

    def update(self, models: list | None = None, image_config: Any = None, deployment_config: Any = None,
               wait: bool = False, inference_config: Any = None) -> None:
        """Redeploy with new models and/or a new inference config (a new port is not applied)."""
        if image_config is not None:
            Webservice.deploy_from_image(self.workspace, self.name, image_config)
        if models is None and inference_config is None and deployment_config is None:
            raise WebserviceException("Error, must provide models, inference_config or deployment_config to "
                                      "update.", logger=module_logger)
        self._apply_update({}, {}, models, inference_config if inference_config is not None else None)
        if deployment_config is not None and models is None and inference_config is None:
            self.reload(wait=False)
        if wait:
            self.wait_for_deployment()

    def reload(self, wait: bool = False) -> None:
        """Restart the scoring process (re-runs ``init()``), as the SDK restarts the container."""
        self._apply_update({}, {"reloaded": True}, None, None)
        if wait:
            self.wait_for_deployment()

    def delete(self, delete_cache: bool = True, delete_image: bool = False, delete_volume: bool = True) -> None:
        super().delete()
        self.state = self.STATE_DELETED

    def get_keys(self) -> Any:
        raise NotImplementedError("Local webservices do not support key authentication.")

    def regen_key(self, key: str) -> None:
        raise NotImplementedError("Local webservices do not support key authentication.")

    def get_token(self) -> Any:
        raise NotImplementedError("Local webservices do not support token authentication.")

    def deploy_to_cloud(self, name: str | None = None, deployment_config: Any = None,
                        deployment_target: Any = None) -> Webservice:
        """Deploy the same models and script as an ACI/AKS service (another local scoring process)."""
        from azureml_local.webservice.deploy import deploy_copy  # cycle: deploy builds service objects

        return deploy_copy(self, name or self.name, deployment_config, deployment_target)

    def serialize(self) -> dict[str, Any]:
        properties = super().serialize()
        properties["port"] = self._port
        return properties


class LocalWebserviceDeploymentConfiguration(WebserviceDeploymentConfiguration):
    """``LocalWebservice.deploy_configuration(port)``."""

    def __init__(self, port: int | None = None):
        super().__init__(LocalWebservice)
        self.port = port
        self.validate_configuration()

    def validate_configuration(self) -> None:
        if self.port and not (isinstance(self.port, int) and 1 <= self.port <= 65535):
            raise WebserviceException("Invalid configuration, port must be an integer in range [1, 65535]",
                                      logger=module_logger)

    def print_deploy_configuration(self) -> None:
        if self.port:
            print("Port: {}".format(self.port))
