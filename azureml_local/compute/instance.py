"""``ComputeInstance``: a personal compute instance record (start/stop change its recorded state)."""
from __future__ import annotations

from typing import Any

from azureml_local.compute import registry
from azureml_local.compute.amlcompute import AmlCompute
from azureml_local.compute.compute_target import ComputeTarget, ComputeTargetProvisioningConfiguration
from azureml_local.exceptions import ComputeTargetException


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
        return AmlCompute.supported_vmsizes(workspace, location)
