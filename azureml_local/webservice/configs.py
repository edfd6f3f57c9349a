"""Value objects of web service deployments, with the SDK's payload shapes and messages.

``WebserviceDeploymentConfiguration`` (the base of ``AciWebservice.deploy_configuration()`` and its
siblings) and the small records the SDK (de)serializes: container resources, autoscaler, data
collection, liveness probe, access token. ``_Record`` holds the one copy of "payload key <->
attribute" and of the SDK's "missing key" message.
"""
from __future__ import annotations

from abc import ABC
from typing import Any

from azureml_local.exceptions import WebserviceException


class _Record:
    """``serialize``/``deserialize`` from a ``(attribute, payload key)`` table."""

    _fields: tuple[tuple[str, str], ...] = ()
    _label = ""

    def serialize(self) -> dict[str, Any]:
        return {key: getattr(self, attr) for attr, key in self._fields}

    @classmethod
    def _from_payload(cls, payload_obj: dict | None, required: bool = True) -> Any:
        if payload_obj is None:
            return None
        for _attr, key in cls._fields:
            if required and key not in payload_obj:
                raise WebserviceException("Invalid webservice payload, missing {} for {}:\n{}".format(
                    key, cls._label or cls.__name__, payload_obj))
        obj = cls.__new__(cls)
        for attr, key in cls._fields:
            setattr(obj, attr, payload_obj.get(key))
        return obj


class ContainerResourceRequirements(_Record):
    """CPU / memory (and limits, GPU) a scoring container asks for (recorded; one process locally)."""

    _fields = (("cpu", "cpu"), ("memory_in_gb", "memoryInGB"), ("gpu", "gpu"), ("cpu_limit", "cpuLimit"),
               ("memory_in_gb_limit", "memoryInGBLimit"))

    def __init__(self, cpu: float, memory_in_gb: float, gpu: int | None = None, cpu_limit: float | None = None,
                 memory_in_gb_limit: float | None = None):
        self.cpu, self.memory_in_gb, self.gpu = cpu, memory_in_gb, gpu
        self.cpu_limit, self.memory_in_gb_limit = cpu_limit, memory_in_gb_limit

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "ContainerResourceRequirements | None":
        return ContainerResourceRequirements._from_payload(payload_obj, required=False)


class AutoScaler(_Record):
    _fields = (("autoscale_enabled", "autoscaleEnabled"), ("max_replicas", "maxReplicas"),
               ("min_replicas", "minReplicas"), ("refresh_period_seconds", "refreshPeriodInSeconds"),
               ("target_utilization", "targetUtilization"))
    _label = "autoScaler"

    def __init__(self, autoscale_enabled: bool, max_replicas: int, min_replicas: int, refresh_period_seconds: int,
                 target_utilization: int):
        self.autoscale_enabled, self.max_replicas, self.min_replicas = autoscale_enabled, max_replicas, min_replicas
        self.refresh_period_seconds, self.target_utilization = refresh_period_seconds, target_utilization

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "AutoScaler | None":
        return AutoScaler._from_payload(payload_obj)


class DataCollection(_Record):
    _fields = (("event_hub_enabled", "eventHubEnabled"), ("storage_enabled", "storageEnabled"))

    def __init__(self, event_hub_enabled: bool, storage_enabled: bool):
        self.event_hub_enabled, self.storage_enabled = event_hub_enabled, storage_enabled

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "DataCollection | None":
        return DataCollection._from_payload(payload_obj)


class LivenessProbeRequirements(_Record):
    _fields = (("period_seconds", "periodSeconds"), ("initial_delay_seconds", "initialDelaySeconds"),
               ("timeout_seconds", "timeoutSeconds"), ("failure_threshold", "failureThreshold"),
               ("success_threshold", "successThreshold"))

    def __init__(self, period_seconds: int, initial_delay_seconds: int, timeout_seconds: int,
                 success_threshold: int, failure_threshold: int):
        self.period_seconds, self.initial_delay_seconds, self.timeout_seconds = (
            period_seconds, initial_delay_seconds, timeout_seconds)
        self.success_threshold, self.failure_threshold = success_threshold, failure_threshold

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "LivenessProbeRequirements | None":
        return LivenessProbeRequirements._from_payload(payload_obj)


class WebServiceAccessToken(_Record):
    """A scoring token and when to refresh it (``get_access_token``)."""

    _fields = (("access_token", "accessToken"), ("token_type", "tokenType"), ("refresh_after", "refreshAfter"),
               ("expiry_on", "expiryOn"))

    def __init__(self, access_token: str, token_type: str, refresh_after: Any, expiry_on: Any):
        self.access_token, self.token_type = access_token, token_type
        self.refresh_after, self.expiry_on = refresh_after, expiry_on

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "WebServiceAccessToken | None":
        return WebServiceAccessToken._from_payload(payload_obj)


class WebserviceDeploymentConfiguration(ABC):
    """What every ``deploy_configuration(...)`` records; ``type`` is the Webservice class it deploys."""

    def __init__(self, type: Any, description: str | None = None, tags: dict | None = None,  # noqa: A002
                 properties: dict | None = None, primary_key: str | None = None, secondary_key: str | None = None,
                 location: str | None = None):
        self._webservice_type = type
        self.description = description
        self.tags = tags
        self.properties = properties
        self.primary_key = primary_key
        self.secondary_key = secondary_key
        self.location = location

    def validate_configuration(self) -> None:
        """Raise ``WebserviceException`` when a value is invalid (each subclass knows its fields)."""

    def print_deploy_configuration(self) -> None:
        """Print the configuration (subclasses print their resources)."""

    @classmethod
    def validate_image(cls, image: Any) -> None:
        if image is None:
            raise WebserviceException("Image is None", logger=None)
        raise WebserviceException("Deployment of {} images is not supported: azureml-local deploys models with an "
                                  "InferenceConfig (Model.deploy).".format(getattr(image, "image_flavor", image)))

    def _deployment_fields(self) -> dict[str, Any]:
        """The recorded configuration (JSON-able public attributes)."""
        return {k: v for k, v in vars(self).items()
                if not k.startswith("_") and isinstance(v, (str, int, float, bool, dict, list, type(None)))}
