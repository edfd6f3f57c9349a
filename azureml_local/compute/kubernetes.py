"""AKS and Kubernetes compute records (no Kubernetes here: an AksWebservice deployed to one runs as a local
scoring process, docs/deployment.md)."""
from __future__ import annotations

from typing import Any

from azureml_local.compute.compute_target import (
    ComputeTargetAttachConfiguration, ComputeTargetProvisioningConfiguration, ComputeTargetUpdateConfiguration)
from azureml_local.compute import registry
from azureml_local.compute.attached import _AttachedTarget, _ResourceAttachConfiguration, _deprecated_attach
from azureml_local.config_element import to_camel_case
from azureml_local.exceptions import ComputeTargetException


class KubernetesComputeAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, resource_id: str | None = None, namespace: str | None = None,
                 identity_type: str | None = None, identity_ids: list | None = None):
        super().__init__(KubernetesCompute)
        self.resource_id = resource_id
        self.namespace = namespace or "default"
        self.identity_type = identity_type
        self.identity_ids = identity_ids

    def validate_configuration(self) -> None:
        if not self.resource_id:
            raise ComputeTargetException("resource_id is not provided.")

    def to_dict(self) -> dict[str, Any]:
        return {"resourceId": self.resource_id, "namespace": self.namespace, "identityType": self.identity_type,
                "identityIds": self.identity_ids}


class KubernetesCompute(_AttachedTarget):
    _compute_type = "Kubernetes"

    def get(self) -> dict[str, Any]:
        return self.serialize()

    @staticmethod
    def attach_configuration(resource_id: str | None = None, namespace: str | None = None,
                             identity_type: str | None = None,
                             identity_ids: list | None = None) -> KubernetesComputeAttachConfiguration:
        return KubernetesComputeAttachConfiguration(resource_id, namespace, identity_type, identity_ids)


class _EnableSsl:
    """``enable_ssl`` of the AKS provisioning and attach configurations (recorded, not applied)."""

    def enable_ssl(self, ssl_cname: str | None = None, ssl_cert_pem_file: str | None = None,
                   ssl_key_pem_file: str | None = None, leaf_domain_label: str | None = None,
                   overwrite_existing_domain: bool = False) -> None:
        self.ssl_cname, self.ssl_cert_pem_file, self.ssl_key_pem_file = ssl_cname, ssl_cert_pem_file, ssl_key_pem_file
        self.leaf_domain_label = leaf_domain_label
        self.overwrite_existing_domain = overwrite_existing_domain


class AksProvisioningConfiguration(_EnableSsl, ComputeTargetProvisioningConfiguration):
    def __init__(self, agent_count: int | None, vm_size: str | None, ssl_cname: str | None,
                 ssl_cert_pem_file: str | None, ssl_key_pem_file: str | None, location: str | None,
                 vnet_resourcegroup_name: str | None, vnet_name: str | None, subnet_name: str | None,
                 service_cidr: str | None, dns_service_ip: str | None, docker_bridge_cidr: str | None,
                 cluster_purpose: str | None, load_balancer_type: str | None, load_balancer_subnet: str | None):
        super().__init__(AksCompute, location)
        self.agent_count = agent_count or 3
        self.vm_size = vm_size or "Standard_D3_v2"
        self.ssl_cname = ssl_cname
        self.ssl_cert_pem_file = ssl_cert_pem_file
        self.ssl_key_pem_file = ssl_key_pem_file
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.service_cidr = service_cidr
        self.dns_service_ip = dns_service_ip
        self.docker_bridge_cidr = docker_bridge_cidr
        self.cluster_purpose = cluster_purpose or "FastProd"
        self.load_balancer_type = load_balancer_type
        self.load_balancer_subnet = load_balancer_subnet

    def validate_configuration(self) -> None:
        if self.agent_count is not None and self.agent_count <= 0:
            raise ComputeTargetException("Invalid configuration, agent_count must be a positive integer.")


class AksAttachConfiguration(_EnableSsl, _ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.ContainerService/managedClusters", "AKS", "cluster_name"

    def __init__(self, resource_group: str | None = None, cluster_name: str | None = None,
                 resource_id: str | None = None, cluster_purpose: str | None = None,
                 load_balancer_type: str | None = None, load_balancer_subnet: str | None = None):
        super().__init__(AksCompute)
        self.resource_group = resource_group
        self.cluster_name = cluster_name
        self.resource_id = resource_id
        self.cluster_purpose = cluster_purpose
        self.load_balancer_type = load_balancer_type
        self.load_balancer_subnet = load_balancer_subnet


class AksUpdateConfiguration(ComputeTargetUpdateConfiguration):
    def __init__(self, ssl_configuration: Any = None, load_balancer_type: str | None = None,
                 load_balancer_subnet: str | None = None):
        super().__init__(AksCompute)
        self.ssl_configuration = ssl_configuration
        self.load_balancer_type = load_balancer_type
        self.load_balancer_subnet = load_balancer_subnet

    def validate_configuration(self) -> None:
        if self.load_balancer_type and self.load_balancer_type not in ("PublicIp", "InternalLoadBalancer"):
            raise ComputeTargetException("Invalid load_balancer_type {}: use 'PublicIp' or "
                                         "'InternalLoadBalancer'.".format(self.load_balancer_type))


class AksCompute(_AttachedTarget):
    """An AKS cluster record: the ``deployment_target`` of AksWebservice deployments (local scoring processes)."""

    _compute_type = "AKS"

    class ClusterPurpose:
        FAST_PROD = "FastProd"
        DEV_TEST = "DevTest"

    def update(self, update_configuration: Any) -> None:
        """Record new SSL / load balancer settings."""
        update_configuration.validate_configuration()
        specific = self._payload["properties"].setdefault("properties", {})
        for key, value in vars(update_configuration).items():
            if not key.startswith("_") and isinstance(value, (str, int, float, bool, type(None))):
                specific[to_camel_case(key)] = value
        registry.put_payload(self.workspace, self._payload)
        self.refresh_state()

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("AKS", 'AksCompute.attach_configuration(resource_group="name_of_resource_group", cluster_name="name_of_aks_cluster")')

    @staticmethod
    def provisioning_configuration(agent_count: int | None = None, vm_size: str | None = None,
                                   ssl_cname: str | None = None, ssl_cert_pem_file: str | None = None,
                                   ssl_key_pem_file: str | None = None, location: str | None = None,
                                   vnet_resourcegroup_name: str | None = None, vnet_name: str | None = None,
                                   subnet_name: str | None = None, service_cidr: str | None = None,
                                   dns_service_ip: str | None = None, docker_bridge_cidr: str | None = None,
                                   cluster_purpose: str | None = None, load_balancer_type: str | None = None,
                                   load_balancer_subnet: str | None = None) -> AksProvisioningConfiguration:
        return AksProvisioningConfiguration(agent_count, vm_size, ssl_cname, ssl_cert_pem_file, ssl_key_pem_file,
                                            location, vnet_resourcegroup_name, vnet_name, subnet_name, service_cidr,
                                            dns_service_ip, docker_bridge_cidr, cluster_purpose, load_balancer_type,
                                            load_balancer_subnet)

    @staticmethod
    def attach_configuration(resource_group: str | None = None, cluster_name: str | None = None,
                             resource_id: str | None = None, cluster_purpose: str | None = None,
                             load_balancer_type: str | None = None,
                             load_balancer_subnet: str | None = None) -> AksAttachConfiguration:
        return AksAttachConfiguration(resource_group, cluster_name, resource_id, cluster_purpose,
                                      load_balancer_type, load_balancer_subnet)
