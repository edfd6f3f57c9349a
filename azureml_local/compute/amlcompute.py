"""``AmlCompute``: a training cluster record whose ``max_nodes`` bounds local step parallelism."""
from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import Any, Iterator

from azureml_local.compute import registry
from azureml_local.compute.compute_target import ComputeTarget, ComputeTargetProvisioningConfiguration
from azureml_local.exceptions import ComputeTargetException

_VM_SIZES = [
    {"name": "Standard_D1_v2", "vCPUs": 1, "gpus": 0, "memoryGB": 3.5, "maxResourceVolumeMB": 51200},
    {"name": "Standard_D2_v2", "vCPUs": 2, "gpus": 0, "memoryGB": 7.0, "maxResourceVolumeMB": 102400},
    {"name": "Standard_D3_v2", "vCPUs": 4, "gpus": 0, "memoryGB": 14.0, "maxResourceVolumeMB": 204800},
    {"name": "Standard_DS3_v2", "vCPUs": 4, "gpus": 0, "memoryGB": 14.0, "maxResourceVolumeMB": 28672},
    {"name": "Standard_DS11_v2", "vCPUs": 2, "gpus": 0, "memoryGB": 14.0, "maxResourceVolumeMB": 28672},
    {"name": "Standard_D4s_v3", "vCPUs": 4, "gpus": 0, "memoryGB": 16.0, "maxResourceVolumeMB": 32768},
    {"name": "Standard_E4s_v3", "vCPUs": 4, "gpus": 0, "memoryGB": 32.0, "maxResourceVolumeMB": 65536},
    {"name": "Standard_NC6", "vCPUs": 6, "gpus": 1, "memoryGB": 56.0, "maxResourceVolumeMB": 389120},
    {"name": "Standard_NC6s_v3", "vCPUs": 6, "gpus": 1, "memoryGB": 112.0, "maxResourceVolumeMB": 344064},
    {"name": "Standard_NC24ads_A100_v4", "vCPUs": 24, "gpus": 1, "memoryGB": 220.0, "maxResourceVolumeMB": 65536},
]
DEFAULT_VM_SIZE = "STANDARD_D2_V2"


def _duration(seconds: int | None) -> str:
    return "PT{}S".format(int(seconds)) if seconds else ""


def _seconds(duration: str | None) -> int | None:
    if not duration:
        return None
    match = re.match(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", duration)
    if not match:
        return None
    h, m, s = (int(x) if x else 0 for x in match.groups())
    return h * 3600 + m * 60 + s


class ScaleSettings:
    def __init__(self, minimum_node_count: int, maximum_node_count: int | None,
                 idle_seconds_before_scaledown: int | None):
        self.minimum_node_count = minimum_node_count
        self.maximum_node_count = maximum_node_count
        self.idle_seconds_before_scaledown = idle_seconds_before_scaledown

    def serialize(self) -> dict[str, Any]:
        return {"minNodeCount": self.minimum_node_count, "maxNodeCount": self.maximum_node_count,
                "nodeIdleTimeBeforeScaleDown": _duration(self.idle_seconds_before_scaledown)}

    @staticmethod
    def deserialize(object_dict: dict | None) -> "ScaleSettings | None":
        if not object_dict:
            return None
        for key in ("minNodeCount", "maxNodeCount", "nodeIdleTimeBeforeScaleDown"):
            if key not in object_dict:
                raise ComputeTargetException('Invalid scale settings payload, missing "{}":\n{}'.format(key,
                                                                                                      object_dict))
        return ScaleSettings(object_dict["minNodeCount"], object_dict["maxNodeCount"],
                             _seconds(object_dict["nodeIdleTimeBeforeScaleDown"]))


class AmlComputeNodeStateCounts:
    def __init__(self, idle_node_count: int, leaving_node_count: int, preempted_node_count: int,
                 preparing_node_count: int, running_node_count: int, unusable_node_count: int):
        self.idle_node_count = idle_node_count
        self.leaving_node_count = leaving_node_count
        self.preempted_node_count = preempted_node_count
        self.preparing_node_count = preparing_node_count
        self.running_node_count = running_node_count
        self.unusable_node_count = unusable_node_count

    def serialize(self) -> dict[str, Any]:
        return {"preparingNodeCount": self.preparing_node_count, "runningNodeCount": self.running_node_count,
                "idleNodeCount": self.idle_node_count, "unusableNodeCount": self.unusable_node_count,
                "leavingNodeCount": self.leaving_node_count, "preemptedNodeCount": self.preempted_node_count}

    @staticmethod
    def deserialize(object_dict: dict | None) -> "AmlComputeNodeStateCounts | None":
        if not object_dict:
            return None
        d = object_dict
        return AmlComputeNodeStateCounts(d.get("idleNodeCount"), d.get("leavingNodeCount"),
                                         d.get("preemptedNodeCount"), d.get("preparingNodeCount"),
                                         d.get("runningNodeCount"), d.get("unusableNodeCount"))


class AmlComputeStatus:
    """Detailed cluster status (``get_status()``); locally the cluster is always steady."""

    def __init__(self, allocation_state: str, allocation_state_transition_time: datetime | None,
                 creation_time: datetime | None, current_node_count: int, errors: Any,
                 modified_time: datetime | None, node_state_counts: AmlComputeNodeStateCounts | None,
                 provisioning_state: str, provisioning_state_transition_time: datetime | None,
                 scale_settings: ScaleSettings | None, target_node_count: int, vm_priority: str, vm_size: str):
        self.allocation_state = allocation_state
        self.allocation_state_transition_time = allocation_state_transition_time
        self.creation_time = creation_time
        self.current_node_count = current_node_count
        self.errors = errors
        self.modified_time = modified_time
        self.node_state_counts = node_state_counts
        self.provisioning_state = provisioning_state
        self.provisioning_state_transition_time = provisioning_state_transition_time
        self.scale_settings = scale_settings
        self.target_node_count = target_node_count
        self.vm_priority = vm_priority
        self.vm_size = vm_size

    def serialize(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {"currentNodeCount": self.current_node_count, "targetNodeCount": self.target_node_count,
                "nodeStateCounts": self.node_state_counts.serialize() if self.node_state_counts else None,
                "allocationState": self.allocation_state,
                "allocationStateTransitionTime": iso(self.allocation_state_transition_time), "errors": self.errors,
                "creationTime": iso(self.creation_time), "modifiedTime": iso(self.modified_time),
                "provisioningState": self.provisioning_state,
                "provisioningStateTransitionTime": iso(self.provisioning_state_transition_time),
                "scaleSettings": self.scale_settings.serialize() if self.scale_settings else None,
                "vmPriority": self.vm_priority, "vmSize": self.vm_size}

    @staticmethod
    def deserialize(object_dict: dict | None) -> "AmlComputeStatus | None":
        if not object_dict:
            return None
        props = object_dict.get("properties") or {}

        def when(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return AmlComputeStatus(
            props.get("allocationState"), when(props.get("allocationStateTransitionTime")),
            when(object_dict.get("createdOn")), props.get("currentNodeCount"), props.get("errors"),
            when(object_dict.get("modifiedOn")), AmlComputeNodeStateCounts.deserialize(props.get("nodeStateCounts")),
            object_dict.get("provisioningState"), when(object_dict.get("provisioningStateTransitionTime")),
            ScaleSettings.deserialize(props.get("scaleSettings")), props.get("targetNodeCount"),
            props.get("vmPriority"), props.get("vmSize"))


class AmlCompute(ComputeTarget):
    """A managed cluster; locally ``max_nodes`` is how many steps may run on it at once."""

    _compute_type = "AmlCompute"

    def _initialize_properties(self, specific: dict[str, Any], props: dict[str, Any]) -> None:
        credentials = specific.get("userAccountCredentials") or {}
        self.vm_size = specific.get("vmSize")
        self.vm_priority = specific.get("vmPriority")
        self.scale_settings = ScaleSettings.deserialize(specific.get("scaleSettings"))
        self.admin_username = credentials.get("adminUserName")
        self.admin_user_password = credentials.get("adminUserPassword")
        self.admin_user_ssh_key = credentials.get("adminUserSshPublicKey")
        subnet = (specific.get("subnet") or {}).get("id")
        self.vnet_resourcegroup_name = self.vnet_name = self.subnet_name = None
        if subnet:
            parts = subnet.split("/")
            self.vnet_resourcegroup_name, self.vnet_name, self.subnet_name = parts[4], parts[8], parts[10]
        self.remote_login_port_public_access = specific.get("remoteLoginPortPublicAccess")
        identity = self._payload.get("identity") or {}
        self.identity_type = identity.get("type")
        self.identity_id = identity.get("userAssignedIdentities")
        self.status = self._status(props) if self.provisioning_state in ("Succeeded", "Updating") else None

    def _status(self, props: dict[str, Any]) -> AmlComputeStatus:
        minimum = self.scale_settings.minimum_node_count if self.scale_settings else 0
        counts = AmlComputeNodeStateCounts(minimum, 0, 0, 0, 0, 0)
        return AmlComputeStatus("Steady", self.modified_on, self.created_on, minimum, None, self.modified_on, counts,
                                "Succeeded", self.modified_on, self.scale_settings, minimum,
                                (self.vm_priority or "dedicated").capitalize(), self.vm_size)

    @staticmethod
    def provisioning_configuration(vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0,
                                   max_nodes: int | None = None, idle_seconds_before_scaledown: int | None = 1800,
                                   admin_username: str | None = None, admin_user_password: str | None = None,
                                   admin_user_ssh_key: str | None = None, vnet_resourcegroup_name: str | None = None,
                                   vnet_name: str | None = None, subnet_name: str | None = None,
                                   tags: dict | None = None, description: str | None = None,
                                   remote_login_port_public_access: str = "NotSpecified",
                                   identity_type: str | None = None, identity_id: list | None = None,
                                   location: str | None = None,
                                   enable_node_public_ip: bool = True) -> "AmlComputeProvisioningConfiguration":
        config = AmlComputeProvisioningConfiguration(
            vm_size, vm_priority, min_nodes, max_nodes, idle_seconds_before_scaledown, admin_username,
            admin_user_password, admin_user_ssh_key, vnet_resourcegroup_name, vnet_name, subnet_name, tags,
            description, remote_login_port_public_access, identity_type, identity_id, location, enable_node_public_ip)
        return config

    @classmethod
    def _build_properties(cls, config: Any) -> dict[str, Any]:
        subnet_id = None
        if config.vnet_resourcegroup_name and config.vnet_name and config.subnet_name:
            subnet_id = ("/subscriptions/local/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}"
                         "/subnets/{}".format(config.vnet_resourcegroup_name, config.vnet_name, config.subnet_name))
        return {"vmSize": config.vm_size or DEFAULT_VM_SIZE, "vmPriority": config.vm_priority,
                "scaleSettings": config.scale_settings.serialize(),
                "userAccountCredentials": {"adminUserName": config.admin_username,
                                           "adminUserPassword": config.admin_user_password,
                                           "adminUserSshPublicKey": config.admin_user_ssh_key},
                "subnet": {"id": subnet_id}, "remoteLoginPortPublicAccess": config.remote_login_port_public_access,
                "enableNodePublicIp": config.enable_node_public_ip}

    @classmethod
    def _create(cls, workspace: Any, name: str, configuration: Any) -> "AmlCompute":
        target = super()._create(workspace, name, configuration)
        if configuration.identity_type:
            target._payload["identity"] = {"type": configuration.identity_type,
                                           "userAssignedIdentities": configuration.identity_id}
            registry.put_payload(workspace, target._payload)
        return target  # type: ignore[return-value]

    def wait_for_completion(self, show_output: bool = False, min_node_count: int | None = None,
                            timeout_in_minutes: int = 25, is_delete_operation: bool = False) -> None:
        """Wait for provisioning (instant locally); prints what the SDK prints."""
        if self._operation_endpoint:
            self._finish_operation(show_output, is_delete_operation)
        if is_delete_operation:
            return
        self.refresh_state()
        state = self.status.provisioning_state if self.status else self.provisioning_state
        if show_output and state:
            sys.stdout.write("{}".format(state))
        if show_output:
            sys.stdout.write("\n")
            sys.stdout.flush()
            print("AmlCompute wait for completion finished\n")
        if self.status is None:
            if show_output:
                print('Terminal state of "{}" has been reached\n'.format((self.provisioning_state or "").capitalize()))
            return
        if show_output:
            print("Minimum number of nodes requested have been provisioned")

    def get_status(self) -> AmlComputeStatus | None:
        self.refresh_state()
        if not self.status:
            print('Current provisioning state of AmlCompute is "{}"\n'.format(
                (self.provisioning_state or "").capitalize()))
            return None
        return self.status

    def detach(self) -> None:
        raise ComputeTargetException("Detach is not supported for AmlCompute object. Try to use delete instead.")

    def serialize(self) -> dict[str, Any]:
        props = dict(self._payload["properties"])
        props["status"] = self.status.serialize() if self.status else None
        return {"id": self.id, "name": self.name, "location": self.location, "tags": self.tags,
                "identity": self._payload.get("identity"), "properties": props}

    def get(self) -> dict[str, Any]:
        return self.serialize()

    def update(self, min_nodes: int | None = None, max_nodes: int | None = None,
               idle_seconds_before_scaledown: int | None = None) -> None:
        """Change the scale settings (``max_nodes`` changes local parallelism)."""
        scale = self.scale_settings or ScaleSettings(0, None, 1800)
        new = ScaleSettings(scale.minimum_node_count if min_nodes is None else min_nodes,
                            scale.maximum_node_count if max_nodes is None else max_nodes,
                            scale.idle_seconds_before_scaledown if idle_seconds_before_scaledown is None
                            else idle_seconds_before_scaledown)
        _check_scale(new)
        self._payload["properties"]["properties"]["scaleSettings"] = new.serialize()
        registry.put_payload(self.workspace, self._payload)
        self.refresh_state()

    def list_nodes(self) -> list[dict]:
        return []

    def get_active_runs(self, type: str | None = None, tags: Any = None, properties: Any = None,
                        status: str | None = None) -> Iterator[Any]:
        return iter(())

    def add_identity(self, identity_type: str, identity_id: list | None = None) -> None:
        self._payload["identity"] = {"type": identity_type, "userAssignedIdentities": identity_id}
        registry.put_payload(self.workspace, self._payload)
        self.refresh_state()

    def remove_identity(self, identity_id: str | None = None) -> None:
        self._payload.pop("identity", None)
        registry.put_payload(self.workspace, self._payload)
        self.refresh_state()

    @staticmethod
    def supported_vmsizes(workspace: Any, location: str | None = None) -> list[dict]:
        return [dict(v) for v in _VM_SIZES]

    @staticmethod
    def list_usages(workspace: Any, show_all: bool = False, location: str | None = None) -> list[dict]:
        return []

    @staticmethod
    def list_quotas(workspace: Any, location: str | None = None) -> list[dict]:
        return []

    @staticmethod
    def update_quotas(workspace: Any, vm_family: str, limit: int | None = None, location: str | None = None) -> None:
        return None


def _check_scale(scale: ScaleSettings) -> None:
    if scale.maximum_node_count is None:
        raise ComputeTargetException("Invalid provisioning configuration, max nodes count is mandatory")
    if scale.maximum_node_count < 0:
        raise ComputeTargetException("Invalid provisioning configuration, max nodes count must be greater "
                                     "than or equal to 0")
    if scale.maximum_node_count < (scale.minimum_node_count or 0):
        raise ComputeTargetException("Invalid provisioning configuration, max nodes count must be greater than or "
                                     "equal to min nodes count")


class AmlComputeProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    def __init__(self, vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0,
                 max_nodes: int | None = None, idle_seconds_before_scaledown: int | None = 1800,
                 admin_username: str | None = None, admin_user_password: str | None = None,
                 admin_user_ssh_key: str | None = None, vnet_resourcegroup_name: str | None = None,
                 vnet_name: str | None = None, subnet_name: str | None = None, tags: dict | None = None,
                 description: str | None = None, remote_login_port_public_access: str = "NotSpecified",
                 identity_type: str | None = None, identity_id: list | None = None,
                 compute_location: str | None = None, enable_node_public_ip: bool = True):
        super().__init__(AmlCompute, compute_location)
        self.vm_size = vm_size
        self.vm_priority = vm_priority
        self.scale_settings = ScaleSettings(min_nodes, max_nodes, idle_seconds_before_scaledown)
        self.admin_username = admin_username
        self.admin_user_password = admin_user_password
        self.admin_user_ssh_key = admin_user_ssh_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.remote_login_port_public_access = remote_login_port_public_access
        self.identity_type = identity_type
        self.identity_id = identity_id
        self.enable_node_public_ip = enable_node_public_ip

    def validate_configuration(self) -> None:
        if any([self.admin_username, self.admin_user_password, self.admin_user_ssh_key]) and not self.admin_username:
            raise ComputeTargetException("Invalid user credentials, admin username must be provided along "
                                         "with either a password or SSH key information.")
        if self.admin_username and not self.admin_user_password and not self.admin_user_ssh_key:
            raise ComputeTargetException("Invalid user credentials, no password or key information provided. "
                                         "Please provide either a password or SSH key information.")
        if any([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]) and \
                not all([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]):
            raise ComputeTargetException("Invalid configuration, not all virtual net information provided. "
                                         "To use a custom virtual net, please provide vnet name, vnet resource "
                                         "group and subnet name")
        _check_scale(self.scale_settings)
        if self.identity_id and not self.identity_type:
            raise ComputeTargetException("Invalid configuration, identity_id cannot be set when "
                                         "identity type is not user assigned.")
