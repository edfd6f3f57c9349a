"""``azureml.core.webservice.aks``: AksWebservice and its deployment configuration.

An "AKS" service is a local scoring process recorded against an ``AksCompute`` record: key auth
on by default (unless token auth is enabled), the cluster's URL shape
``http://127.0.0.1:<port>/api/v1/service/<name>/score``, workspace-signed tokens for token auth.
Autoscale, replicas and probes are validated with the SDK's messages and recorded.
"""
from __future__ import annotations

import logging
import re
import warnings
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.webservice.aci import _changed_fields
from azureml_local.webservice.configs import (  # noqa: F401  (SDK names of this module)
    AutoScaler, ContainerResourceRequirements, DataCollection, LivenessProbeRequirements, WebServiceAccessToken,
    WebserviceDeploymentConfiguration)
from azureml_local.webservice.webservice import Webservice

module_logger = logging.getLogger("azureml.core.webservice.aks")
AKS_WEBSERVICE_TYPE = "AKS"
NAMESPACE_REGEX = "^[a-z0-9]([a-z0-9-]{,61}[a-z0-9])?$"
_CONFIG_NAMES = ("autoscale_enabled", "autoscale_min_replicas", "autoscale_max_replicas", "autoscale_refresh_seconds",
                 "autoscale_target_utilization", "collect_model_data", "auth_enabled", "cpu_cores", "memory_gb",
                 "enable_app_insights", "scoring_timeout_ms", "replica_max_concurrent_requests",
                 "max_request_wait_time", "num_replicas", "primary_key", "secondary_key", "tags", "properties",
                 "description", "gpu_cores", "period_seconds", "initial_delay_seconds", "timeout_seconds",
                 "success_threshold", "failure_threshold", "namespace", "token_auth_enabled", "compute_target_name",
                 "cpu_cores_limit", "memory_gb_limit")


class AksServiceAccessToken(WebServiceAccessToken):
    """The token of an AKS service with token auth."""

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "AksServiceAccessToken | None":
        return AksServiceAccessToken._from_payload(payload_obj)


class AksWebservice(Webservice):
    """A deployed "AKS" service (a local scoring process)."""

    _webservice_type = AKS_WEBSERVICE_TYPE

    def _initialize(self, workspace: Any, obj_dict: dict[str, Any]) -> None:
        super()._initialize(workspace, obj_dict)
        config = obj_dict.get("config") or {}
        self.compute_name = config.get("compute_target_name")
        self.namespace = config.get("namespace") or "default"
        self.num_replicas = config.get("num_replicas")
        self.autoscaler = None
        self.container_resource_requirements = ContainerResourceRequirements(
            config.get("cpu_cores") or 0.1, config.get("memory_gb") or 0.5, config.get("gpu_cores"),
            config.get("cpu_cores_limit"), config.get("memory_gb_limit"))
        self.liveness_probe_requirements = None
        self.data_collection = None
        self.enable_app_insights = config.get("enable_app_insights")
        self.scoring_timeout_ms = config.get("scoring_timeout_ms") or 60000
        self.replica_max_concurrent_requests = config.get("replica_max_concurrent_requests") or 1
        self.max_request_wait_time = config.get("max_request_wait_time") or 500

    def _uri(self, leaf: str) -> str:
        return "http://127.0.0.1:{}/api/v1/service/{}/{}".format(self._port, self.name, leaf)

    @staticmethod
    def _auth_settings(config: Any) -> dict[str, Any]:
        token = bool(config.token_auth_enabled)
        auth = (not token) if config.auth_enabled is None else bool(config.auth_enabled)
        return {"auth_enabled": auth, "token_auth_enabled": token}

    @staticmethod
    def deploy_configuration(autoscale_enabled: bool | None = None, autoscale_min_replicas: int | None = None,
                             autoscale_max_replicas: int | None = None, autoscale_refresh_seconds: int | None = None,
                             autoscale_target_utilization: int | None = None, collect_model_data: bool | None = None,
                             auth_enabled: bool | None = None, cpu_cores: float | None = None,
                             memory_gb: float | None = None, enable_app_insights: bool | None = None,
                             scoring_timeout_ms: int | None = None, replica_max_concurrent_requests: int | None = None,
                             max_request_wait_time: int | None = None, num_replicas: int | None = None,
                             primary_key: str | None = None, secondary_key: str | None = None,
                             tags: dict | None = None, properties: dict | None = None, description: str | None = None,
                             gpu_cores: int | None = None, period_seconds: int | None = None,
                             initial_delay_seconds: int | None = None, timeout_seconds: int | None = None,
                             success_threshold: int | None = None, failure_threshold: int | None = None,
                             namespace: str | None = None, token_auth_enabled: bool | None = None,
                             compute_target_name: str | None = None, cpu_cores_limit: float | None = None,
                             memory_gb_limit: float | None = None,
                             blobfuse_enabled: bool | None = None) -> "AksServiceDeploymentConfiguration":
        config = AksServiceDeploymentConfiguration(
            autoscale_enabled, autoscale_min_replicas, autoscale_max_replicas, autoscale_refresh_seconds,
            autoscale_target_utilization, collect_model_data, auth_enabled, cpu_cores, memory_gb, enable_app_insights,
            scoring_timeout_ms, replica_max_concurrent_requests, max_request_wait_time, num_replicas, primary_key,
            secondary_key, tags, properties, description, gpu_cores, period_seconds, initial_delay_seconds,
            timeout_seconds, success_threshold, failure_threshold, namespace, token_auth_enabled, compute_target_name,
            cpu_cores_limit, memory_gb_limit, blobfuse_enabled)
        config.validate_configuration()
        return config

    def run(self, input_data: Any) -> Any:
        return self._score(input_data)

    def update(self, image: Any = None, autoscale_enabled: bool | None = None, autoscale_min_replicas: int | None = None,
               autoscale_max_replicas: int | None = None, autoscale_refresh_seconds: int | None = None,
               autoscale_target_utilization: int | None = None, collect_model_data: bool | None = None,
               auth_enabled: bool | None = None, cpu_cores: float | None = None, memory_gb: float | None = None,
               enable_app_insights: bool | None = None, scoring_timeout_ms: int | None = None,
               replica_max_concurrent_requests: int | None = None, max_request_wait_time: int | None = None,
               num_replicas: int | None = None, tags: dict | None = None, properties: dict | None = None,
               description: str | None = None, models: list | None = None, inference_config: Any = None,
               gpu_cores: int | None = None, period_seconds: int | None = None,
               initial_delay_seconds: int | None = None, timeout_seconds: int | None = None,
               success_threshold: int | None = None, failure_threshold: int | None = None,
               namespace: str | None = None, token_auth_enabled: bool | None = None,
               cpu_cores_limit: float | None = None, memory_gb_limit: float | None = None, **kwargs: Any) -> None:
        """Tags/properties/description are recorded; models, the script or auth redeploy the service."""
        settings = {k: v for k, v in locals().items() if k in _CONFIG_NAMES and v is not None
                    and k not in ("tags", "properties", "description")}
        if image is None and models is None and inference_config is None and tags is None and properties is None \
                and description is None and not settings:
            raise WebserviceException("No parameters provided to update.", logger=module_logger)
        if image is not None:
            Webservice.deploy_from_image(self.workspace, self.name, image)
        if settings.get("auth_enabled") and (settings.get("token_auth_enabled") or
                                             (self.token_auth_enabled and "token_auth_enabled" not in settings)):
            raise WebserviceException("Invalid configuration, auth_enabled and token_auth_enabled cannot both be "
                                      "true.\n", logger=module_logger)
        self._apply_update(_changed_fields(self, tags, properties, description), settings, models, inference_config)

    def get_token(self) -> Any:
        """``(token, refresh_after)`` for ``Authorization: Bearer <token>`` (token auth services)."""
        warnings.warn("get_token() method has been deprecated and will be removed in a future release. Please "
                      "migrate to get_access_token() method.", category=DeprecationWarning, stacklevel=2)
        token = self.get_access_token()
        return token.access_token, token.refresh_after

    def get_access_token(self) -> AksServiceAccessToken:
        if not self.token_auth_enabled:
            raise WebserviceException("Received bad response from Model Management Service:\nToken authentication "
                                      "is not enabled for service {}: deploy or update it with "
                                      "token_auth_enabled=True.".format(self.name), logger=module_logger)
        issued = self._issue_token()
        return AksServiceAccessToken(issued.access_token, issued.token_type, issued.refresh_after, issued.expiry_on)

    def _auth_header(self) -> dict[str, str]:
        if self.token_auth_enabled:
            return {"Authorization": "Bearer " + self.get_access_token().access_token}
        return super()._auth_header()

    def serialize(self) -> dict[str, Any]:
        properties = super().serialize()
        properties.update({"computeName": self.compute_name, "namespace": self.namespace,
                           "numReplicas": self.num_replicas,
                           "containerResourceRequirements": self.container_resource_requirements.serialize(),
                           "appInsightsEnabled": self.enable_app_insights, "scoringTimeoutMs": self.scoring_timeout_ms,
                           "maxConcurrentRequestsPerContainer": self.replica_max_concurrent_requests,
                           "maxQueueWaitMs": self.max_request_wait_time})
        return properties


class AksServiceDeploymentConfiguration(WebserviceDeploymentConfiguration):
    """``AksWebservice.deploy_configuration(...)``."""

    def __init__(self, autoscale_enabled: Any, autoscale_min_replicas: Any, autoscale_max_replicas: Any,
                 autoscale_refresh_seconds: Any, autoscale_target_utilization: Any, collect_model_data: Any,
                 auth_enabled: Any, cpu_cores: Any, memory_gb: Any, enable_app_insights: Any, scoring_timeout_ms: Any,
                 replica_max_concurrent_requests: Any, max_request_wait_time: Any, num_replicas: Any,
                 primary_key: Any, secondary_key: Any, tags: Any, properties: Any, description: Any, gpu_cores: Any,
                 period_seconds: Any, initial_delay_seconds: Any, timeout_seconds: Any, success_threshold: Any,
                 failure_threshold: Any, namespace: Any, token_auth_enabled: Any, compute_target_name: Any,
                 cpu_cores_limit: Any, memory_gb_limit: Any, blobfuse_enabled: Any = None):
        super().__init__(AksWebservice, description, tags, properties, primary_key, secondary_key)
        values = locals()
        for name in _CONFIG_NAMES:
            if name not in ("tags", "properties", "description", "primary_key", "secondary_key"):
                setattr(self, name, values[name])
        self.blobfuse_enabled = blobfuse_enabled

    def validate_configuration(self) -> None:
        checks = [
            (self.cpu_cores is not None and self.cpu_cores <= 0, "cpu_cores must be greater than zero."),
            (self.cpu_cores is not None and self.cpu_cores_limit is not None and self.cpu_cores_limit < self.cpu_cores,
             "cpu_cores_limit must be greater than or equal to cpu_cores."),
            (self.memory_gb is not None and self.memory_gb <= 0, "memory_gb must be greater than zero."),
            (self.memory_gb is not None and self.memory_gb_limit is not None and self.memory_gb_limit < self.memory_gb,
             "memory_gb_limit must be greater than or equal to memory_gb."),
            (self.gpu_cores is not None and self.gpu_cores < 0, "gpu_cores must be greater than or equal to zero."),
            *[(getattr(self, n) is not None and getattr(self, n) <= 0, n + " must be greater than zero.")
              for n in ("period_seconds", "initial_delay_seconds", "timeout_seconds", "success_threshold",
                        "failure_threshold")],
            (bool(self.namespace) and not re.match(NAMESPACE_REGEX, self.namespace),
             "namespace must be a valid Kubernetes namespace. Regex for validation is " + NAMESPACE_REGEX),
            *[(getattr(self, n) is not None and getattr(self, n) <= 0, n + " must be greater than zero.")
              for n in ("scoring_timeout_ms", "replica_max_concurrent_requests", "max_request_wait_time",
                        "num_replicas")],
        ]
        if self.autoscale_enabled:
            checks += [(bool(self.num_replicas), "autoscale enabled and num_replicas provided."),
                       *[(getattr(self, n) is not None and getattr(self, n) <= 0, n + " must be greater than zero.")
                         for n in ("autoscale_min_replicas", "autoscale_max_replicas")],
                       (bool(self.autoscale_min_replicas and self.autoscale_max_replicas
                             and self.autoscale_min_replicas > self.autoscale_max_replicas),
                        "autoscale_min_replicas cannot be greater than autoscale_max_replicas."),
                       *[(getattr(self, n) is not None and getattr(self, n) <= 0, n + " must be greater than zero.")
                         for n in ("autoscale_refresh_seconds", "autoscale_target_utilization")]]
        else:
            checks += [(self.autoscale_enabled is False and not self.num_replicas,
                        "autoscale disabled but num_replicas not provided."),
                       *[(bool(getattr(self, n)), n + " provided without enabling autoscaling.")
                         for n in ("autoscale_min_replicas", "autoscale_max_replicas", "autoscale_refresh_seconds",
                                   "autoscale_target_utilization")]]
        checks.append((bool(self.token_auth_enabled and self.auth_enabled),
                       "auth_enabled and token_auth_enabled cannot both be true."))
        error = "".join("Invalid configuration, {}\n".format(text) for failed, text in checks if failed)
        if error:
            raise WebserviceException(error, logger=module_logger)

    def print_deploy_configuration(self) -> None:
        parts = []
        if self.cpu_cores:
            parts.append("CPU requirement: {}".format(self.cpu_cores))
        if self.gpu_cores:
            parts.append("GPU requirement: {}".format(self.gpu_cores))
        if self.memory_gb:
            parts.append("Memory requirement: {}GB".format(self.memory_gb))
        if self.num_replicas:
            parts.append("Number of replica: {}".format(self.num_replicas))
        if parts:
            print(", ".join(parts))
