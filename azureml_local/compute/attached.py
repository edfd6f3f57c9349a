"""Every compute type other than AmlCompute, with the SDK's configuration signatures.

Locally each is a record: attaching Databricks, ADLA, HDInsight, a remote VM ...
stores what was given (so scripts that attach and then use the target by name
work), and steps that name them still run on this machine.
"""
from __future__ import annotations

from typing import Any

from azureml_local.compute.compute_target import (
    ComputeTarget, ComputeTargetAttachConfiguration, ComputeTargetProvisioningConfiguration,
    ComputeTargetUpdateConfiguration)
from azureml_local.exceptions import ComputeTargetException

_RESOURCE_FMT = "/subscriptions/{}/resourceGroups/{}/providers/{}/{}"


class _ResourceAttachConfiguration(ComputeTargetAttachConfiguration):
    """Attach by ``resource_id`` or by (resource group, resource name), validated like the SDK."""

    _provider = ""          # e.g. "Microsoft.DataLakeAnalytics/accounts"
    _label = ""             # e.g. "ADLA"
    _name_attr = ""         # e.g. "account_name"

    def validate_configuration(self) -> None:
        resource_id = getattr(self, "resource_id", None)
        group = getattr(self, "resource_group", None)
        name = getattr(self, self._name_attr, None)
        if resource_id:
            parts = resource_id.split("/")
            if len(parts) < 9:
                raise ComputeTargetException("Invalid resource_id provided: {}".format(resource_id))
            if group:
                raise ComputeTargetException("Since resource_id is provided, please do not provide resource_group.")
            if name:
                raise ComputeTargetException("Since resource_id is provided, please do not provide {}."
                                             .format(self._name_attr))
        elif group or name:
            if not group:
                raise ComputeTargetException("resource_group is not provided.")
            if not name:
                raise ComputeTargetException("{} is not provided.".format(self._name_attr))
        else:
            raise ComputeTargetException(
                "Please provide resource_group and {} for the {} compute resource being attached. Or please "
                "provide resource_id for the resource being attached.".format(self._name_attr, self._label))

    def _resource_id(self, workspace: Any) -> str | None:
        if getattr(self, "resource_id", None):
            return self.resource_id  # type: ignore[attr-defined]
        name = getattr(self, self._name_attr, None)
        if not name:
            return None
        subscription = getattr(self, "subscription_id", None) or workspace.subscription_id
        return _RESOURCE_FMT.format(subscription, self.resource_group, self._provider, name)  # type: ignore


def _deprecated_attach(label: str, config_call: str) -> ComputeTargetException:
    return ComputeTargetException(
        "This method is DEPRECATED. Please use the following code to attach a {0} compute resource.\n"
        "# Attach {0}\nattach_config = {1}\ncompute = ComputeTarget.attach(workspace, name, attach_config)"
        .format(label, config_call))


class _AttachedTarget(ComputeTarget):
    _attached = True

    @classmethod
    def _attach(cls, workspace: Any, name: str, configuration: Any) -> ComputeTarget:
        configuration._workspace_for_id = workspace
        return super()._attach(workspace, name, configuration)

    @classmethod
    def _build_properties(cls, configuration: Any) -> dict[str, Any]:
        props = super()._build_properties(configuration)
        workspace = getattr(configuration, "_workspace_for_id", None)
        if hasattr(configuration, "_resource_id") and workspace is not None:
            props["resourceId"] = configuration._resource_id(workspace)
        return props

    def get_credentials(self) -> dict[str, Any]:
        keys = ("username", "password", "private_key_file", "private_key_passphrase", "access_token",
                "application_key")
        return {k: getattr(self, k) for k in keys if hasattr(self, k)}


# -- VMs ---------------------------------------------------------------------------------------
class RemoteComputeAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, username: str, subscription_id: str | None = None, resource_group: str | None = None,
                 vm_name: str | None = None, resource_id: str | None = None, address: str | None = None,
                 ssh_port: int = 22, password: str = "", private_key_file: str = "", private_key_passphrase: str = ""):
        super().__init__(RemoteCompute)
        self.username = username
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.vm_name = vm_name
        self.resource_id = resource_id
        self.address = address
        self.ssh_port = ssh_port
        self.password = password
        self.private_key_file = private_key_file
        self.private_key_passphrase = private_key_passphrase

    def validate_configuration(self) -> None:
        if not self.username:
            raise ComputeTargetException("username is not provided.")
        if not (self.address or self.resource_id or (self.resource_group and self.vm_name)):
            raise ComputeTargetException("Please provide either the address, the resource_id, or resource_group "
                                         "and vm_name of the machine being attached.")
        if not self.password and not self.private_key_file:
            raise ComputeTargetException("Please provide either the password or the private_key_file of the "
                                         "machine being attached.")


class RemoteCompute(_AttachedTarget):
    """A remote VM or SSH machine (recorded; steps run locally)."""

    _compute_type = "VirtualMachine"

    @staticmethod
    def attach(workspace: Any, name: str, username: str, address: str, ssh_port: int = 22, password: str = "",
               private_key_file: str = "", private_key_passphrase: str = "") -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("Remote compute", 'RemoteCompute.attach_configuration(address="ip_address", ssh_port=22, username="username", password=None, private_key_file="path_to_a_file", private_key_passphrase="some_key_phrase")')

    @staticmethod
    def attach_configuration(username: str, subscription_id: str | None = None, resource_group: str | None = None,
                             vm_name: str | None = None, resource_id: str | None = None, address: str | None = None,
                             ssh_port: int = 22, password: str = "", private_key_file: str = "",
                             private_key_passphrase: str = "") -> RemoteComputeAttachConfiguration:
        return RemoteComputeAttachConfiguration(username, subscription_id, resource_group, vm_name, resource_id,
                                                address, ssh_port, password, private_key_file, private_key_passphrase)


class DsvmProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    def __init__(self, vm_size: str = "", ssh_port: int | None = None, location: str | None = None):
        super().__init__(DsvmCompute, location)
        self.vm_size = vm_size
        self.ssh_port = ssh_port


class DsvmCompute(ComputeTarget):
    """DEPRECATED in the SDK (Data Science VM); a record here."""

    _compute_type = "VirtualMachine"
    _attached = False

    def get_credentials(self) -> dict[str, Any]:
        return {"username": None, "password": None, "publicKey": None, "privateKey": None}

    @staticmethod
    def provisioning_configuration(vm_size: str | None = None, ssh_port: int | None = None,
                                   location: str | None = None) -> DsvmProvisioningConfiguration:
        return DsvmProvisioningConfiguration(vm_size or "Standard_DS3_v2", ssh_port or 22, location)


# -- compute instance ----------------------------------------------------------------------------
class ComputeInstanceProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    def __init__(self, vm_size: str = "", ssh_public_access: bool = False, admin_user_ssh_public_key: str | None = None,
                 vnet_resourcegroup_name: str | None = None, vnet_name: str | None = None,
                 subnet_name: str | None = None, tags: dict | None = None, description: str | None = None,
                 assigned_user_object_id: str | None = None, assigned_user_tenant_id: str | None = None):
        super().__init__(ComputeInstance, None)
        self.vm_size = vm_size or "STANDARD_DS3_V2"
        self.ssh_public_access = ssh_public_access
        self.admin_user_ssh_public_key = admin_user_ssh_public_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.assigned_user_object_id = assigned_user_object_id
        self.assigned_user_tenant_id = assigned_user_tenant_id

    def validate_configuration(self) -> None:
        if self.ssh_public_access and not self.admin_user_ssh_public_key:
            raise ComputeTargetException("Invalid configuration, admin_user_ssh_public_key must be provided when "
                                         "ssh_public_access is enabled.")


class ComputeInstanceStatus:
    def __init__(self, creation_time: Any, created_by_user_name: str | None, created_by_user_id: str | None,
                 created_by_user_org: str | None, errors: Any, modified_time: Any, state: str | None,
                 vm_size: str | None):
        self.creation_time = creation_time
        self.created_by_user_name = created_by_user_name
        self.created_by_user_id = created_by_user_id
        self.created_by_user_org = created_by_user_org
        self.errors = errors
        self.modified_time = modified_time
        self.state = state
        self.vm_size = vm_size

    def __repr__(self) -> str:
        import json

        return json.dumps(self.serialize(), indent=2)

    @staticmethod
    def deserialize(object_dict: dict | None) -> "ComputeInstanceStatus | None":
        if not object_dict:
            return None
        from datetime import datetime

        props = object_dict.get("properties") or {}
        created_by = props.get("createdBy") or {}
        when = (lambda v: datetime.fromisoformat(v) if v else None)
        return ComputeInstanceStatus(when(object_dict.get("createdOn")), created_by.get("userName"),
                                     created_by.get("userId"), created_by.get("userOrgId"), props.get("errors"),
                                     when(object_dict.get("modifiedOn")), props.get("state"), props.get("vmSize"))

    def serialize(self) -> dict[str, Any]:
        return {"errors": self.errors,
                "createdBy": {"userObjectId": self.created_by_user_id, "userTenantId": self.created_by_user_org,
                              "userName": self.created_by_user_name},
                "state": self.state, "vmSize": self.vm_size}


class ComputeInstance(ComputeTarget):
    """A personal compute instance (recorded; its state can be started/stopped)."""

    _compute_type = "ComputeInstance"

    @staticmethod
    def provisioning_configuration(vm_size: str = "", ssh_public_access: bool = False,
                                   admin_user_ssh_public_key: str | None = None,
                                   vnet_resourcegroup_name: str | None = None, vnet_name: str | None = None,
                                   subnet_name: str | None = None, tags: dict | None = None,
                                   description: str | None = None, assigned_user_object_id: str | None = None,
                                   assigned_user_tenant_id: str | None = None) -> ComputeInstanceProvisioningConfiguration:
        return ComputeInstanceProvisioningConfiguration(vm_size, ssh_public_access, admin_user_ssh_public_key,
                                                        vnet_resourcegroup_name, vnet_name, subnet_name, tags,
                                                        description, assigned_user_object_id, assigned_user_tenant_id)

    def get_status(self) -> ComputeInstanceStatus:
        import getpass

        self.refresh_state()
        return ComputeInstanceStatus(self.created_on, getpass.getuser(), None, None, None, self.modified_on,
                                     getattr(self, "state", None) or "Running", getattr(self, "vm_size", None))

    def delete(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._delete_or_detach("delete")
        if wait_for_completion:
            self.wait_for_completion(show_output=show_output, is_delete_operation=True)

    def _set_state(self, state: str, wait_for_completion: bool, show_output: bool) -> None:
        from azureml_local.compute import registry

        self._payload["properties"]["properties"]["state"] = state
        registry.put_payload(self.workspace, self._payload)
        self.refresh_state()
        if wait_for_completion and show_output:
            print(state)

    def get(self) -> dict[str, Any]:
        return self.serialize()

    def get_active_runs(self, type: str | None = None, tags: Any = None, properties: Any = None,
                        status: str | None = None) -> Any:
        return iter(())

    @classmethod
    def get_docs_url(cls) -> str:
        return "https://docs.microsoft.com/python/api/azureml-core/azureml.core.compute.computeinstance.computeinstance"

    def update_sso_settings(self, value: bool) -> bool:
        from azureml_local.compute import registry

        self._payload["properties"]["properties"]["enableSso"] = bool(value)
        registry.put_payload(self.workspace, self._payload)
        return True

    def start(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._set_state("Running", wait_for_completion, show_output)

    def stop(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._set_state("Stopped", wait_for_completion, show_output)

    def restart(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._set_state("Running", wait_for_completion, show_output)

    @staticmethod
    def supported_vmsizes(workspace: Any, location: str | None = None) -> list[dict]:
        from azureml_local.compute.amlcompute import AmlCompute

        return AmlCompute.supported_vmsizes(workspace, location)


# -- resource-backed attached targets -------------------------------------------------------------
class DataLakeAnalyticsAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.DataLakeAnalytics/accounts", "ADLA", "account_name"

    def __init__(self, resource_group: str | None = None, account_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(AdlaCompute)
        self.resource_group = resource_group
        self.account_name = account_name
        self.resource_id = resource_id


class AdlaCompute(_AttachedTarget):
    _compute_type = "DataLakeAnalytics"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("ADLA", 'AdlaCompute.attach_configuration(resource_group="name_of_resource_group", account_name="name_of_adla_account")')

    @staticmethod
    def attach_configuration(resource_group: str | None = None, account_name: str | None = None,
                             resource_id: str | None = None) -> DataLakeAnalyticsAttachConfiguration:
        return DataLakeAnalyticsAttachConfiguration(resource_group, account_name, resource_id)


class BatchAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Batch/batchAccounts", "Batch", "account_name"

    def __init__(self, resource_group: str | None = None, account_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(BatchCompute)
        self.resource_group = resource_group
        self.account_name = account_name
        self.resource_id = resource_id


class BatchCompute(_AttachedTarget):
    _compute_type = "Batch"

    @staticmethod
    def attach_configuration(resource_group: str | None = None, account_name: str | None = None,
                             resource_id: str | None = None) -> BatchAttachConfiguration:
        return BatchAttachConfiguration(resource_group, account_name, resource_id)


class DatabricksAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Databricks/workspaces", "Databricks", "workspace_name"

    def __init__(self, resource_group: str | None = None, workspace_name: str | None = None,
                 resource_id: str | None = None, access_token: str = ""):
        super().__init__(DatabricksCompute)
        self.resource_group = resource_group
        self.workspace_name = workspace_name
        self.resource_id = resource_id
        self.access_token = access_token

    def validate_configuration(self) -> None:
        super().validate_configuration()
        if not self.access_token:
            raise ComputeTargetException("access_token must be provided.")


class DatabricksCompute(_AttachedTarget):
    _compute_type = "Databricks"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str, access_token: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("Databricks", 'DatabricksCompute.attach_configuration(resource_group="name_of_resource_group", workspace_name="name_of_databricks_workspace", access_token="databricks_token")')

    @staticmethod
    def attach_configuration(resource_group: str | None = None, workspace_name: str | None = None,
                             resource_id: str | None = None, access_token: str = "") -> DatabricksAttachConfiguration:
        return DatabricksAttachConfiguration(resource_group, workspace_name, resource_id, access_token)


class DataFactoryProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    def __init__(self, location: str | None):
        super().__init__(DataFactoryCompute, location)


class DataFactoryAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.DataFactory/factories", "Data Factory", "factory_name"

    def __init__(self, resource_group: str | None = None, factory_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(DataFactoryCompute)
        self.resource_group = resource_group
        self.factory_name = factory_name
        self.resource_id = resource_id


class DataFactoryCompute(_AttachedTarget):
    _compute_type = "DataFactory"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("DataFactory", 'DataFactoryCompute.attach_configuration(resource_group="name_of_resource_group", factory_name="name_of_datafactory")')

    @staticmethod
    def provisioning_configuration(location: str | None = None) -> DataFactoryProvisioningConfiguration:
        return DataFactoryProvisioningConfiguration(location)

    @staticmethod
    def attach_configuration(resource_group: str | None = None, factory_name: str | None = None,
                             resource_id: str | None = None) -> DataFactoryAttachConfiguration:
        return DataFactoryAttachConfiguration(resource_group, factory_name, resource_id)


class KustoAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Kusto/clusters", "Kusto", "workspace_name"

    def __init__(self, resource_group: str | None = None, workspace_name: str | None = None,
                 resource_id: str | None = None, tenant_id: str | None = None,
                 kusto_connection_string: str | None = None, application_id: str | None = None,
                 application_key: str | None = None):
        super().__init__(KustoCompute)
        self.resource_group = resource_group
        self.workspace_name = workspace_name
        self.resource_id = resource_id
        self.tenant_id = tenant_id
        self.kusto_connection_string = kusto_connection_string
        self.application_id = application_id
        self.application_key = application_key


class KustoCompute(_AttachedTarget):
    _compute_type = "Kusto"

    @staticmethod
    def attach_configuration(resource_group: str | None = None, workspace_name: str | None = None,
                             resource_id: str | None = None, tenant_id: str | None = None,
                             kusto_connection_string: str | None = None, application_id: str | None = None,
                             application_key: str | None = None) -> KustoAttachConfiguration:
        return KustoAttachConfiguration(resource_group, workspace_name, resource_id, tenant_id,
                                        kusto_connection_string, application_id, application_key)


class HDInsightAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, username: str, subscription_id: str | None = None, resource_group: str | None = None,
                 cluster_name: str | None = None, resource_id: str | None = None, address: str | None = None,
                 ssh_port: str = "22", password: str = "", private_key_file: str = "",
                 private_key_passphrase: str = ""):
        super().__init__(HDInsightCompute)
        self.username = username
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.cluster_name = cluster_name
        self.resource_id = resource_id
        self.address = address
        self.ssh_port = ssh_port
        self.password = password
        self.private_key_file = private_key_file
        self.private_key_passphrase = private_key_passphrase

    def validate_configuration(self) -> None:
        if not self.username:
            raise ComputeTargetException("username is not provided.")
        if not (self.address or self.resource_id or (self.resource_group and self.cluster_name)):
            raise ComputeTargetException("Please provide either the address, the resource_id, or resource_group "
                                         "and cluster_name of the HDInsight cluster being attached.")


class HDInsightCompute(_AttachedTarget):
    _compute_type = "HDInsight"

    @staticmethod
    def attach(workspace: Any, name: str, username: str, address: str, ssh_port: str = "22", password: str = "",
               private_key_file: str = "", private_key_passphrase: str = "") -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("HDI", 'HDInsightCompute.attach_configuration(address="ip_address", ssh_port=22, username="username", password=None, private_key_file="path_to_a_file", private_key_passphrase="some_key_phrase")')

    @staticmethod
    def attach_configuration(username: str, subscription_id: str | None = None, resource_group: str | None = None,
                             cluster_name: str | None = None, resource_id: str | None = None,
                             address: str | None = None, ssh_port: str = "22", password: str = "",
                             private_key_file: str = "", private_key_passphrase: str = "") -> HDInsightAttachConfiguration:
        return HDInsightAttachConfiguration(username, subscription_id, resource_group, cluster_name, resource_id,
                                            address, ssh_port, password, private_key_file, private_key_passphrase)


class SynapseAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, linked_service: Any, type: str, pool_name: str):
        super().__init__(SynapseCompute)
        self.linked_service = getattr(linked_service, "name", linked_service)
        self.type = type
        self.pool_name = pool_name

    def validate_configuration(self) -> None:
        if not self.linked_service:
            raise ComputeTargetException("linked_service is not provided.")
        if not self.pool_name:
            raise ComputeTargetException("pool_name is not provided.")


class SynapseCompute(_AttachedTarget):
    _compute_type = "SynapseSpark"

    @staticmethod
    def attach_configuration(linked_service: Any, type: str, pool_name: str) -> SynapseAttachConfiguration:
        return SynapseAttachConfiguration(linked_service, type, pool_name)


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


class AksProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
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

    def enable_ssl(self, ssl_cname: str | None = None, ssl_cert_pem_file: str | None = None,
                   ssl_key_pem_file: str | None = None, leaf_domain_label: str | None = None,
                   overwrite_existing_domain: bool = False) -> None:
        self.ssl_cname, self.ssl_cert_pem_file, self.ssl_key_pem_file = ssl_cname, ssl_cert_pem_file, ssl_key_pem_file
        self.leaf_domain_label = leaf_domain_label
        self.overwrite_existing_domain = overwrite_existing_domain

    def validate_configuration(self) -> None:
        if self.agent_count is not None and self.agent_count <= 0:
            raise ComputeTargetException("Invalid configuration, agent_count must be a positive integer.")


class AksAttachConfiguration(_ResourceAttachConfiguration):
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

    def enable_ssl(self, ssl_cname: str | None = None, ssl_cert_pem_file: str | None = None,
                   ssl_key_pem_file: str | None = None, leaf_domain_label: str | None = None,
                   overwrite_existing_domain: bool = False) -> None:
        self.ssl_cname, self.ssl_cert_pem_file, self.ssl_key_pem_file = ssl_cname, ssl_cert_pem_file, ssl_key_pem_file
        self.leaf_domain_label = leaf_domain_label
        self.overwrite_existing_domain = overwrite_existing_domain


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
    """An AKS cluster record (no Kubernetes here; web service deployment is out of scope)."""

    _compute_type = "AKS"

    class ClusterPurpose:
        FAST_PROD = "FastProd"
        DEV_TEST = "DevTest"

    def update(self, update_configuration: Any) -> None:
        """Record new SSL / load balancer settings."""
        from azureml_local.compute import registry
        from azureml_local.config_element import to_camel_case

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
