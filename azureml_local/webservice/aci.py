"""``azureml.core.webservice.aci``: AciWebservice and its deployment configuration.

An "ACI" service here is a local scoring process (no container instance): key auth off by
default, ``scoring_uri`` ``http://127.0.0.1:<port>/score``. Resources, SSL, VNet and encryption
settings are validated with the SDK's messages and recorded.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.webservice.configs import WebserviceDeploymentConfiguration, _Record
from azureml_local.webservice.webservice import Webservice

module_logger = logging.getLogger("azureml.core.webservice.aci")
ACI_WEBSERVICE_TYPE = "ACI"


class ContainerResourceRequirements(_Record):
    _fields = (("cpu", "cpu"), ("memory_in_gb", "memoryInGB"))

    def __init__(self, cpu: float, memory_in_gb: float):
        self.cpu, self.memory_in_gb = cpu, memory_in_gb

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "ContainerResourceRequirements | None":
        return ContainerResourceRequirements._from_payload(payload_obj)


class EncryptionProperties(_Record):
    _fields = (("cmk_vault_base_url", "vaultBaseUrl"), ("cmk_key_name", "keyName"),
               ("cmk_key_version", "keyVersion"))

    def __init__(self, cmk_vault_base_url: str, cmk_key_name: str, cmk_key_version: str):
        self.cmk_vault_base_url, self.cmk_key_name, self.cmk_key_version = (cmk_vault_base_url, cmk_key_name,
                                                                            cmk_key_version)

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "EncryptionProperties | None":
        return EncryptionProperties._from_payload(payload_obj)


class VnetConfiguration(_Record):
    _fields = (("vnet_name", "vnetName"), ("subnet_name", "subnetName"))

    def __init__(self, vnet_name: str, subnet_name: str):
        self.vnet_name, self.subnet_name = vnet_name, subnet_name

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "VnetConfiguration | None":
        return VnetConfiguration._from_payload(payload_obj)


class AciWebservice(Webservice):
    """A deployed "ACI" service (a local scoring process)."""

    _webservice_type = ACI_WEBSERVICE_TYPE

    def _initialize(self, workspace: Any, obj_dict: dict[str, Any]) -> None:
        super()._initialize(workspace, obj_dict)
        config = obj_dict.get("config") or {}
        self.container_resource_requirements = ContainerResourceRequirements(
            config.get("cpu_cores") or 0.1, config.get("memory_gb") or 0.5)
        self.location = config.get("location")
        self.ssl_enabled = config.get("ssl_enabled")
        self.enable_app_insights = config.get("enable_app_insights")
        self.ssl_certificate = self.ssl_key = None
        self.cname = config.get("ssl_cname")
        self.public_ip = "127.0.0.1"
        self.public_fqdn = None
        self.encryption_properties = None
        self.vnet_configuration = None

    @staticmethod
    def _auth_settings(config: Any) -> dict[str, Any]:
        return {"auth_enabled": bool(config.auth_enabled), "token_auth_enabled": False}

    @staticmethod
    def deploy_configuration(cpu_cores: float | None = None, memory_gb: float | None = None,
                             tags: dict | None = None, properties: dict | None = None, description: str | None = None,
                             location: str | None = None, auth_enabled: bool | None = None,
                             ssl_enabled: bool | None = None, enable_app_insights: bool | None = None,
                             ssl_cert_pem_file: str | None = None, ssl_key_pem_file: str | None = None,
                             ssl_cname: str | None = None, dns_name_label: str | None = None,
                             primary_key: str | None = None, secondary_key: str | None = None,
                             collect_model_data: bool | None = None, cmk_vault_base_url: str | None = None,
                             cmk_key_name: str | None = None, cmk_key_version: str | None = None,
                             vnet_name: str | None = None,
                             subnet_name: str | None = None) -> "AciServiceDeploymentConfiguration":
        return AciServiceDeploymentConfiguration(cpu_cores, memory_gb, tags, properties, description, location,
                                                 auth_enabled, ssl_enabled, enable_app_insights, ssl_cert_pem_file,
                                                 ssl_key_pem_file, ssl_cname, dns_name_label, primary_key,
                                                 secondary_key, collect_model_data, cmk_vault_base_url, cmk_key_name,
                                                 cmk_key_version, vnet_name, subnet_name)

    def run(self, input_data: Any) -> Any:
        return self._score(input_data)

    def update(self, image: Any = None, tags: dict | None = None, properties: dict | None = None,
               description: str | None = None, auth_enabled: bool | None = None, ssl_enabled: bool | None = None,
               ssl_cert_pem_file: str | None = None, ssl_key_pem_file: str | None = None,
               ssl_cname: str | None = None, enable_app_insights: bool | None = None, models: list | None = None,
               inference_config: Any = None) -> None:
        """Tags/properties/description are recorded; models, the script or auth redeploy the service."""
        given = (image, tags, properties, description, auth_enabled, ssl_enabled, ssl_cert_pem_file,
                 ssl_key_pem_file, ssl_cname, enable_app_insights, models, inference_config)
        if all(value is None for value in given):
            raise WebserviceException("No parameters provided to update.", logger=module_logger)
        if image is not None:
            Webservice.deploy_from_image(self.workspace, self.name, image)
        fields = _changed_fields(self, tags, properties, description)
        config = {k: v for k, v in (("auth_enabled", auth_enabled), ("ssl_enabled", ssl_enabled),
                                    ("ssl_cname", ssl_cname), ("enable_app_insights", enable_app_insights))
                  if v is not None}
        self._apply_update(fields, config, models, inference_config)

    def get_token(self) -> Any:
        raise NotImplementedError("ACI webservices do not support Token Authentication.")

    def serialize(self) -> dict[str, Any]:
        properties = super().serialize()
        properties.update({"containerResourceRequirements": self.container_resource_requirements.serialize(),
                           "location": self.location, "sslEnabled": self.ssl_enabled,
                           "appInsightsEnabled": self.enable_app_insights, "sslCertificate": None, "sslKey": None,
                           "cname": self.cname, "publicIp": self.public_ip, "publicFqdn": self.public_fqdn,
                           "environmentDetails": None, "modelDetails": [m.serialize() for m in self.models],
                           "encryptionProperties": None, "vnetConfiguration": None})
        return properties


def _changed_fields(service: Webservice, tags: dict | None, properties: dict | None,
                    description: str | None) -> dict[str, Any]:
    """SDK update semantics: tags replace, properties add to the existing ones."""
    fields: dict[str, Any] = {}
    if tags is not None:
        fields["tags"] = dict(tags)
    if properties is not None:
        fields["properties"] = dict(service.properties, **properties)
    if description is not None:
        fields["description"] = description
    return fields


class AciServiceDeploymentConfiguration(WebserviceDeploymentConfiguration):
    """``AciWebservice.deploy_configuration(...)``: validated on creation, as in the SDK."""

    def __init__(self, cpu_cores: float | None = None, memory_gb: float | None = None, tags: dict | None = None,
                 properties: dict | None = None, description: str | None = None, location: str | None = None,
                 auth_enabled: bool | None = None, ssl_enabled: bool | None = None,
                 enable_app_insights: bool | None = None, ssl_cert_pem_file: str | None = None,
                 ssl_key_pem_file: str | None = None, ssl_cname: str | None = None, dns_name_label: str | None = None,
                 primary_key: str | None = None, secondary_key: str | None = None,
                 collect_model_data: bool | None = None, cmk_vault_base_url: str | None = None,
                 cmk_key_name: str | None = None, cmk_key_version: str | None = None, vnet_name: str | None = None,
                 subnet_name: str | None = None):
        super().__init__(AciWebservice, description, tags, properties, primary_key, secondary_key, location)
        self.cpu_cores = cpu_cores
        self.memory_gb = memory_gb
        self.auth_enabled = auth_enabled
        self.ssl_enabled = ssl_enabled
        self.enable_app_insights = enable_app_insights
        self.ssl_cert_pem_file = ssl_cert_pem_file
        self.ssl_key_pem_file = ssl_key_pem_file
        self.ssl_cname = ssl_cname
        self.dns_name_label = dns_name_label
        self.collect_model_data = collect_model_data
        self.cmk_vault_base_url = cmk_vault_base_url
        self.cmk_key_name = cmk_key_name
        self.cmk_key_version = cmk_key_version
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.validate_configuration()

    def validate_configuration(self) -> None:
        if self.cpu_cores is not None and self.cpu_cores <= 0:
            raise WebserviceException("Invalid configuration, cpu_cores must be positive.", logger=module_logger)
        if self.memory_gb is not None and self.memory_gb <= 0:
            raise WebserviceException("Invalid configuration, memory_gb must be positive.", logger=module_logger)
        if self.ssl_enabled:
            if not self.ssl_cert_pem_file or not self.ssl_key_pem_file or not self.ssl_cname:
                raise WebserviceException("SSL is enabled, you must provide a SSL certificate, key, and cname.",
                                          logger=module_logger)
            if not os.path.exists(self.ssl_cert_pem_file):
                raise WebserviceException("Error, unable to find SSL cert pem file provided paths:\n"
                                          "{}".format(self.ssl_cert_pem_file))
            if not os.path.exists(self.ssl_key_pem_file):
                raise WebserviceException("Error, unable to find SSL key pem file provided paths:\n"
                                          "{}".format(self.ssl_key_pem_file))
        cmk = (self.cmk_vault_base_url, self.cmk_key_name, self.cmk_key_version)
        if any(cmk) and not all(cmk):
            raise WebserviceException("customer managed key vault_base_url, key_name and key_version must all have "
                                      "values or                                       all are empty/null",
                                      logger=module_logger)
        if bool(self.vnet_name) != bool(self.subnet_name):
            raise WebserviceException("vnet_name and subnet_name must all have values or both are empty/null",
                                      logger=module_logger)

    def print_deploy_configuration(self) -> None:
        parts = []
        if self.cpu_cores:
            parts.append("CPU requirement: {}".format(self.cpu_cores))
        if self.memory_gb:
            parts.append("Memory requirement: {}GB".format(self.memory_gb))
        if parts:
            print(", ".join(parts))
