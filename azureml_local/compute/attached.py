"""Attached compute: shared helpers, remote VMs and DSVMs (other types: instance, services, kubernetes).

Locally each is a record: attaching Databricks, ADLA, HDInsight, a remote VM ...
stores what was given (so scripts that attach and then use the target by name
work), and steps that name them still run on this machine.
"""
from __future__ import annotations

from typing import Any

from azureml_local.compute.compute_target import (
    ComputeTarget, ComputeTargetAttachConfiguration, ComputeTargetProvisioningConfiguration)
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
