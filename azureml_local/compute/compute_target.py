"""``azureml.core.ComputeTarget``: compute targets as workspace registry records (no VMs).

A target is stored as the same ARM-shaped payload the SDK receives from the
service (``{"id", "name", "location", "tags", "properties": {"computeType",
"provisioningState", ..., "properties": {type-specific}}}``), so ``serialize`` /
``deserialize`` and the subclasses' ``_initialize`` work as in the SDK. Creation
and deletion complete at once; the returned object still carries a "pending
operation" so ``wait_for_completion(show_output=True)`` prints what the SDK prints.
Every step runs on this machine whatever the target; the target only bounds how
many steps run at once (:func:`azureml_local.compute.registry.max_concurrency`).
"""
from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from azureml_local.compute import registry
from azureml_local.config_element import to_camel_case, to_snake_case
from azureml_local.exceptions import ComputeTargetException, UserErrorException

_RESERVED_NAMES = ["amlcompute", "local", "containerinstance"]
_PENDING = "local-operation"


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class ComputeTarget:
    """Base of all compute targets; ``ComputeTarget(ws, name)`` returns the right subclass."""

    _compute_type: str | None = None
    _attached = False  # True for types that are attached rather than created

    def __new__(cls, workspace: Any, name: str):
        if workspace and name:
            payload = registry.get_payload(workspace, name)
            if payload is None:
                raise ComputeTargetException('ComputeTargetNotFound: Compute Target with name {} not found in '
                                             'provided workspace'.format(name))
            child = class_for_payload(payload)
            target = object.__new__(child)
            target._initialize(workspace, payload)
            return target
        return object.__new__(cls)

    def __init__(self, workspace: Any, name: str):
        pass

    def __getnewargs__(self) -> tuple[None, None]:
        """Let copy/pickle rebuild the object without a registry lookup (state is restored after)."""
        return (None, None)

    def __repr__(self) -> str:
        return "{}(workspace={}, name={}, id={}, type={}, provisioning_state={}, location={}, tags={})".format(
            self.__class__.__name__, repr(getattr(self, "workspace", None)), getattr(self, "name", None),
            getattr(self, "id", None), getattr(self, "type", None), getattr(self, "provisioning_state", None),
            getattr(self, "location", None), getattr(self, "tags", None))

    # -- state from the stored payload ------------------------------------------------
    def _initialize(self, workspace: Any, payload: dict[str, Any]) -> None:
        props = payload["properties"]
        self.id = payload["id"]
        self.name = payload["name"]
        self.location = payload.get("location")
        self.type = props["computeType"]
        self.tags = payload.get("tags")
        self.description = props.get("description")
        self.created_on = _parse_time(props.get("createdOn"))
        self.modified_on = _parse_time(props.get("modifiedOn"))
        self.provisioning_state = props.get("provisioningState")
        self.provisioning_errors = props.get("provisioningErrors")
        self.cluster_resource_id = props.get("resourceId")
        self.cluster_location = props.get("computeLocation")
        self.workspace = workspace
        self.is_attached = props.get("isAttachedCompute", False)
        self._mlc_endpoint = self.id
        self._operation_endpoint: str | None = None
        self._auth = getattr(workspace, "_auth", None)
        self._payload = payload
        self._initialize_properties(props.get("properties") or {}, props)

    def _initialize_properties(self, specific: dict[str, Any], props: dict[str, Any]) -> None:
        """Set the type-specific attributes (camelCase payload keys become snake_case attributes)."""
        for key, value in specific.items():
            setattr(self, to_snake_case(key), value)

    def refresh_state(self) -> None:
        """Re-read the record (another process may have changed or deleted it)."""
        payload = registry.get_payload(self.workspace, self.name)
        if payload is None:
            self.provisioning_state = "Deleted"
            return
        operation = self._operation_endpoint
        self._initialize(self.workspace, payload)
        self._operation_endpoint = operation

    def get_status(self) -> Any:
        self.refresh_state()
        return self.provisioning_state

    # -- create / attach / list --------------------------------------------------------
    @staticmethod
    def create(workspace: Any, name: str, provisioning_configuration: Any) -> "ComputeTarget":
        """Provision a target (a record here) from a ``provisioning_configuration``."""
        if name in _RESERVED_NAMES:
            raise UserErrorException("Please specify a different target name. {} is a reserved name.".format(name))
        compute_type = getattr(provisioning_configuration, "_compute_type", None)
        if compute_type is None or not hasattr(compute_type, "_create"):
            raise ComputeTargetException(
                "Invalid provisioning configuration {!r}: build one with e.g. "
                "AmlCompute.provisioning_configuration(vm_size=..., max_nodes=...).".format(provisioning_configuration))
        return compute_type._create(workspace, name, provisioning_configuration)

    @staticmethod
    def attach(workspace: Any, name: str, attach_configuration: Any) -> "ComputeTarget":
        """Attach an existing resource (recorded here) from an ``attach_configuration``."""
        if name in _RESERVED_NAMES:
            raise UserErrorException("Please specify a different target name. {} is a reserved name.".format(name))
        compute_type = getattr(attach_configuration, "_compute_type", None)
        if compute_type is None or not hasattr(compute_type, "_attach"):
            raise ComputeTargetException(
                "Invalid attach configuration {!r}: build one with e.g. "
                "RemoteCompute.attach_configuration(...).".format(attach_configuration))
        return compute_type._attach(workspace, name, attach_configuration)

    @classmethod
    def _create(cls, workspace: Any, name: str, configuration: Any) -> "ComputeTarget":
        return cls._store_new(workspace, name, configuration, attached=False)

    @classmethod
    def _attach(cls, workspace: Any, name: str, configuration: Any) -> "ComputeTarget":
        return cls._store_new(workspace, name, configuration, attached=True)

    @classmethod
    def _store_new(cls, workspace: Any, name: str, configuration: Any, attached: bool) -> "ComputeTarget":
        _validate_name(name)
        configuration.validate_configuration()
        payload = registry.new_payload(workspace, name, cls._compute_type or "", attached,
                                       cls._build_properties(configuration),
                                       tags=getattr(configuration, "tags", None),
                                       description=getattr(configuration, "description", None),
                                       location=getattr(configuration, "location", None))
        registry.put_payload(workspace, payload)
        target = object.__new__(cls)
        target._initialize(workspace, payload)
        target.provisioning_state = "Creating"
        target._operation_endpoint = _PENDING
        return target

    @classmethod
    def _build_properties(cls, configuration: Any) -> dict[str, Any]:
        """Type-specific payload properties from a configuration object (public attributes)."""
        return {to_camel_case(k): v for k, v in vars(configuration).items()
                if not k.startswith("_") and k not in ("location", "tags", "description")
                and isinstance(v, (str, int, float, bool, list, dict, type(None)))}

    @staticmethod
    def list(workspace: Any) -> list["ComputeTarget"]:
        """Every compute target of the workspace (``'local'`` is implicit and not listed, as in the SDK)."""
        out = []
        for payload in registry.list_payloads(workspace):
            child = class_for_payload(payload)
            target = object.__new__(child)
            target._initialize(workspace, payload)
            out.append(target)
        return out

    # -- long-running operations ---------------------------------------------------------
    def wait_for_completion(self, show_output: bool = False, is_delete_operation: bool = False) -> None:
        """Finish the pending create/attach/delete; prints the SDK's progress lines."""
        if not self._operation_endpoint:
            self.refresh_state()
            raise ComputeTargetException('Long running operation information not known, unable to poll. '
                                         'Current state is {}'.format(self.provisioning_state))
        self._finish_operation(show_output, is_delete_operation)

    def _finish_operation(self, show_output: bool, is_delete_operation: bool) -> None:
        if show_output:
            sys.stdout.write("InProgress")
            sys.stdout.write(".")
            sys.stdout.write("\nSucceeded")
            sys.stdout.flush()
        print('Provisioning operation finished, operation "{}"'.format("Succeeded"))
        self._operation_endpoint = None
        if not is_delete_operation:
            self.refresh_state()

    def delete(self) -> None:
        """Remove the target from the workspace."""
        self._delete_or_detach("delete")

    def detach(self) -> None:
        """Remove the association (nothing else exists locally)."""
        self._delete_or_detach("detach")

    def _delete_or_detach(self, action: str) -> None:
        if not registry.delete_payload(self.workspace, self.name):
            raise ComputeTargetException('ComputeTargetNotFound: Compute Target with name {} not found in '
                                         'provided workspace'.format(self.name))
        self.provisioning_state = "Deleting"
        self._operation_endpoint = _PENDING

    # -- (de)serialization -----------------------------------------------------------------
    def serialize(self) -> dict[str, Any]:
        created_on = self.created_on.isoformat() if self.created_on else None
        modified_on = self.modified_on.isoformat() if self.modified_on else None
        return {"id": self.id, "name": self.name, "location": self.location, "type": self.type, "tags": self.tags,
                "description": self.description, "created_on": created_on, "modified_on": modified_on,
                "provisioning_state": self.provisioning_state, "provisioning_errors": self.provisioning_errors,
                "properties": dict(self._payload["properties"].get("properties") or {})}

    @classmethod
    def deserialize(cls, workspace: Any, object_dict: dict[str, Any]) -> "ComputeTarget":
        """Build a target object from a payload (ARM form, or this class's :meth:`serialize` form)."""
        payload = _as_payload(workspace, object_dict, cls._compute_type)
        child = class_for_payload(payload) if cls is ComputeTarget else cls
        if cls is not ComputeTarget and payload["properties"]["computeType"] != cls._compute_type:
            raise ComputeTargetException('Invalid cluster payload, not "{}":\n{}'.format(cls._compute_type,
                                                                                        object_dict))
        target = object.__new__(child)
        target._initialize(workspace, payload)
        return target


def _validate_name(name: Any) -> None:
    import re

    if not isinstance(name, str) or not re.match(r"^[a-zA-Z][a-zA-Z0-9-]{1,23}$", name):
        raise ComputeTargetException(
            "Invalid compute name '{}': it must be 2 to 24 characters, start with a letter and contain only "
            "letters, digits and hyphens.".format(name))


def _as_payload(workspace: Any, data: dict[str, Any], default_type: str | None) -> dict[str, Any]:
    if not isinstance(data, dict) or "name" not in data:
        raise ComputeTargetException("Invalid cluster payload:\n{}".format(data))
    if isinstance(data.get("properties"), dict) and "computeType" in data["properties"]:
        return data
    compute_type = data.get("type") or default_type
    if not compute_type:
        raise ComputeTargetException("Invalid cluster payload:\n{}".format(data))
    payload = registry.new_payload(workspace, data["name"], compute_type, False, dict(data.get("properties") or {}),
                                   tags=data.get("tags"), description=data.get("description"),
                                   location=data.get("location"))
    payload["properties"]["provisioningState"] = data.get("provisioning_state") or "Succeeded"
    return payload


def class_for_payload(payload: dict[str, Any]) -> type:
    """The ComputeTarget subclass for a stored payload (:func:`azureml_local.compute.types.class_for_payload`)."""
    from azureml_local.compute.types import class_for_payload as find  # cycle: subclass modules import this one

    return find(payload)


class ComputeTargetProvisioningConfiguration:
    """Base of the ``provisioning_configuration`` objects."""

    def __init__(self, type: Any, location: str | None):
        self._compute_type = type
        self.location = location

    def validate_configuration(self) -> None:
        pass


class ComputeTargetAttachConfiguration:
    """Base of the ``attach_configuration`` objects."""

    def __init__(self, type: Any):
        self._compute_type = type

    def validate_configuration(self) -> None:
        pass


class ComputeTargetUpdateConfiguration:
    def __init__(self, type: Any):
        self._compute_type = type

    def validate_configuration(self) -> None:
        pass


class LocalCompute(ComputeTarget):
    """The implicit ``'local'`` target (this machine); never stored, always present."""

    _compute_type = "local"
