"""``Module``, ``ModuleVersion``, ``ModuleVersionDescriptor`` (``azureml.pipeline.core.module``).

A module is a named, versioned, reusable step definition kept in the workspace store
(``ctx.modules``). Publishing a version snapshots its source directory (as a pipeline submit
does), so later edits of the folder do not change a published version. ``ModuleStep`` runs one.
"""
from __future__ import annotations

import logging
import os
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from azureml_local.engine import snapshot as engine_snapshot
from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.pipeline.module_ports import InputPortDef, OutputPortDef, ParamDef
from azureml_local.pipeline.steps.adla_step import adla_metadata

_log = logging.getLogger(__name__)


def _store(workspace: Any) -> Any:
    return workspace._context.modules


class _StatusVerbs:
    """``enable``/``disable``/``deprecate`` of a module and of a module version (each class writes its row)."""

    def enable(self) -> None:
        self._set_status("Active")

    def disable(self) -> None:
        self._set_status("Disabled")

    def deprecate(self) -> None:
        self._set_status("Deprecated")

    def _set_status(self, new_status: str) -> None:
        raise NotImplementedError


class Module(_StatusVerbs):
    """A container of module versions (create with :meth:`create`, find with :meth:`get`)."""

    def __init__(self, workspace: Any, module_id: str, name: str, description: str | None, status: str,
                 default_version: str | None, module_version_list: list, _module_provider: Any = None,
                 _module_version_provider: Any = None):
        self._workspace = workspace
        self._id = module_id
        self._name = name
        self._description = description
        self._status = status
        self._default_version = default_version
        self._module_version_list = module_version_list

    @staticmethod
    def create(workspace: Any, name: str, description: str | None, _workflow_provider: Any = None) -> "Module":
        """Create an (empty) module; versions come from ``publish_python_script`` / ``publish_adla_script``."""
        row = _store(workspace).create_module(name, description)
        if row is None:
            raise ValueError("A module named '{0}' already exists in this workspace; use "
                             "Module.get(workspace, name='{0}') to add versions to it.".format(name))
        return Module._from_row(workspace, row)

    @staticmethod
    def get(workspace: Any, module_id: str | None = None, name: str | None = None,
            _workflow_provider: Any = None) -> "Module":
        """The module with ``module_id`` or ``name``."""
        if module_id is None and name is None:
            raise ValueError("Module.get requires module_id or name.")
        row = _store(workspace).module(module_id=module_id, name=name)
        if row is None:
            raise ValueError("No module with {0} '{1}' exists in this workspace.".format(
                "id" if module_id is not None else "name", module_id if module_id is not None else name))
        return Module._from_row(workspace, row)

    @staticmethod
    def _from_row(workspace: Any, row: dict) -> "Module":
        versions = [ModuleVersionDescriptor(v["version"], v["id"]) for v in _store(workspace).versions(row["id"])]
        return Module(workspace, row["id"], row["name"], row["description"], row["status"], row["default_version"],
                      versions)

    @staticmethod
    def process_source_directory(name: str, source_directory: str, script_name: str) -> str:
        script_path = os.path.join(source_directory, script_name)
        if not os.path.isfile(script_path):
            raise ValueError("Step [%s]: script not found at: %s. Make sure to specify an appropriate "
                             "source_directory on the Step or default_source_directory on the Pipeline."
                             % (name, os.path.abspath(script_path)))
        return source_directory

    @staticmethod
    def get_versions(workspace: Any, name: str, _workflow_provider: Any = None) -> list:
        return Module.get(workspace, name=name).module_version_list()

    id = property(lambda self: self._id)
    name = property(lambda self: self._name)
    description = property(lambda self: self._description)
    status = property(lambda self: self._status)
    default_version = property(lambda self: self._default_version)

    def module_version_list(self) -> list:
        return self._module_version_list

    # -- publishing ----------------------------------------------------------------------------
    def publish(self, description: str, execution_type: str, inputs: list, outputs: list,
                param_defs: list | None = None, create_sequencing_ports: bool = True, version: str | None = None,
                is_default: bool = False, content_path: str | None = None, hash_paths: list | None = None,
                category: str | None = None, arguments: list | None = None, runconfig: Any = None,
                _extra: dict | None = None) -> "ModuleVersion":
        """Publish a version from port and parameter definitions (what the ``publish_*`` helpers call)."""
        if version is not None and any(v.version == version for v in self._module_version_list):
            raise Exception("provided version value already exist")
        if hash_paths:
            _log.warning("Parameter 'hash_paths' is deprecated, will be removed. All files under source_directory "
                         "is hashed except files listed in .amlignore or .gitignore.")
        definition = {
            "execution_type": execution_type,
            "inputs": [_port(p, InputPortDef)._to_dict() for p in inputs or []],
            "outputs": [_port(p, OutputPortDef)._to_dict() for p in outputs or []],
            "params": [{"name": p.name, "default_value": _plain(p.default_value), "is_optional": p.is_optional,
                        "is_metadata_param": p.is_metadata_param} for p in param_defs or []],
            "arguments": _annotated(arguments),
            "runconfig": repr(runconfig) if runconfig is not None else None,
            "source_directory": os.path.abspath(content_path) if content_path else None,
            **(_extra or {}),
        }
        if content_path:
            content, folder = engine_snapshot.snapshot(self._workspace, content_path)
            definition.update(snapshot_id=content, snapshot_dir=str(folder) if folder is not None else None)
        row = _store(self._workspace).add_version(self._id, version, description, definition, category)
        if row is None:
            raise Exception("provided version value already exist")
        self._module_version_list.append(ModuleVersionDescriptor(row["version"], row["id"]))
        if is_default:
            self.set_default_version(row["version"])
        return ModuleVersion(self._workspace, row, row["version"], None)

    def publish_python_script(self, script_name: str, description: str, inputs: list, outputs: list,
                              params: dict | None = None, create_sequencing_ports: bool = True,
                              version: str | None = None, is_default: bool = False,
                              source_directory: str | None = None, hash_paths: list | None = None,
                              category: str | None = None, arguments: list | None = None,
                              runconfig: Any = None) -> "ModuleVersion":
        """Publish ``script_name`` (in ``source_directory``) as a version; ``params`` become AML_PARAMETER_*."""
        source_directory = Module.process_source_directory(self.name, source_directory, script_name)
        param_defs = [v if isinstance(v, ParamDef) else
                      ParamDef(name=k, set_env_var=True, default_value=v,
                               env_var_override=ParamDef._param_name_to_env_variable(k))
                      for k, v in (params or {}).items()]
        param_defs.append(ParamDef("Script", script_name, is_optional=True))
        return self.publish(description=description, execution_type="escloud", inputs=inputs, outputs=outputs,
                            param_defs=param_defs, create_sequencing_ports=create_sequencing_ports,
                            version=version, is_default=is_default, content_path=source_directory,
                            hash_paths=hash_paths, category=category, arguments=arguments, runconfig=runconfig,
                            _extra={"script_name": script_name})

    def publish_adla_script(self, script_name: str, description: str, inputs: list, outputs: list,
                            params: dict | None = None, create_sequencing_ports: bool = True,
                            degree_of_parallelism: int | None = None, priority: int | None = None,
                            runtime_version: str | None = None, compute_target: Any = None,
                            version: str | None = None, is_default: bool = False, source_directory: str | None = None,
                            hash_paths: list | None = None, category: str | None = None,
                            arguments: list | None = None) -> "ModuleVersion":
        """Publish a U-SQL script as a version (run by the local U-SQL engine, as AdlaStep)."""
        metadata = adla_metadata(self._workspace, script_name, compute_target, degree_of_parallelism, priority,
                                 runtime_version)
        compute_name = metadata.pop("compute_name")
        param_defs = [ParamDef(p, default_value=v) for p, v in (params or {}).items()]
        param_defs += [ParamDef(p, default_value=v, is_metadata_param=True) for p, v in metadata.items()]
        return self.publish(description=description, execution_type="adlcloud", inputs=inputs, outputs=outputs,
                            param_defs=param_defs, create_sequencing_ports=create_sequencing_ports, version=version,
                            is_default=is_default, content_path=source_directory, hash_paths=hash_paths,
                            category=category, arguments=arguments,
                            _extra={"script_name": script_name, "adla": metadata, "compute_target": compute_name})

    # -- versions ------------------------------------------------------------------------------
    def resolve(self, version: str | None = None) -> "ModuleVersion":
        """``version`` if given and present; else the default version; else the highest version not disabled."""
        if version is not None:
            found = next((v for v in self._module_version_list if v.version == version), None)
            if found is not None:
                return self._get_module_version(found.module_version_id, found.version)
        default = self.get_default()
        if default is not None:
            return default
        candidates = [self._get_module_version(v.module_version_id, v.version) for v in self._module_version_list]
        candidates = [v for v in candidates if v.status != "Disabled"]
        if not candidates:
            raise ValueError("Module '{0}' has no version to run: publish one, or enable a disabled one."
                             .format(self.name))
        if all(_numeric(v.version) for v in candidates):
            return max(candidates, key=lambda v: tuple(int(p) for p in v.version.split(".")))
        return max(candidates, key=lambda v: v._entity["updated_utc"])

    def _set_status(self, new_status: str) -> None:
        _store(self._workspace).update_module(self._id, status=new_status)
        self._status = new_status

    def get_default_version(self) -> str | None:
        return self._default_version

    def set_default_version(self, version_id: str) -> None:
        if version_id is None:
            raise Exception("No version was provided to be set as default")
        found = next((v for v in self._module_version_list if v.version == version_id), None)
        if found is None:
            raise Exception("provided version is not part of the module")
        _store(self._workspace).update_module(self._id, default_version=found.version)
        self._default_version = found.version

    def get_default(self) -> "ModuleVersion | None":
        found = next((v for v in self._module_version_list if v.version == self.default_version), None)
        return None if found is None else self._get_module_version(found.module_version_id)

    def set_name(self, name: str) -> None:
        if name is None:
            raise Exception("No name was provided")
        _store(self._workspace).update_module(self._id, name=name)
        self._name = name

    def set_description(self, description: str) -> None:
        if description is None:
            raise Exception("No description was provided")
        _store(self._workspace).update_module(self._id, description=description)
        self._description = description

    def _get_module_version(self, version_id: str, version: str | None = None) -> "ModuleVersion":
        return ModuleVersion.get(self._workspace, version_id)

    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("Name", self.name), ("Id", self.id), ("Description", self.description),
                            ("Versions", [OrderedDict([("Version", v.version), ("Module_version_id",
                                                                                 v.module_version_id)])
                                          for v in self._module_version_list])])

    def __str__(self) -> str:
        info = OrderedDict([("Name", self.name), ("Id", self.id), ("Description", self.description),
                            ("Versions", [(v.version, v.module_version_id) for v in self._module_version_list])])
        return "Module({0})".format(",\n".join("{}: {}".format(k, v) for k, v in info.items()))

    __repr__ = __str__


class ModuleVersion(_StatusVerbs):
    """One published version of a module: its interface, status and what runs."""

    def __init__(self, workspace: Any, module_entity: Any, version: str | None, _module_version_provider: Any = None):
        self._workspace = workspace
        self._entity = module_entity
        self._version = version

    @staticmethod
    def get(workspace: Any, module_version_id: str | None = None, _workflow_provider: Any = None) -> "ModuleVersion":
        row = _store(workspace).version(module_version_id)
        if row is None:
            raise ValueError("No module version with id '{0}' exists in this workspace.".format(module_version_id))
        return ModuleVersion(workspace, row, row["version"], None)

    status = property(lambda self: self._entity["status"])
    module_id = property(lambda self: self._entity["module_id"])
    description = property(lambda self: self._entity["description"])
    module_version_id = property(lambda self: self._entity["id"])
    version = property(lambda self: self._version)
    category = property(lambda self: self._entity["category"])
    runconfig = property(lambda self: self._entity["definition"].get("runconfig"))

    @property
    def interface(self) -> Any:
        """The version's structured interface: ``inputs``, ``outputs``, ``parameters`` (name, ...)."""
        d = self._entity["definition"]
        return SimpleNamespace(inputs=[SimpleNamespace(**p) for p in d["inputs"]],
                               outputs=[SimpleNamespace(**p) for p in d["outputs"]],
                               parameters=[SimpleNamespace(**p) for p in d["params"]])

    def module(self, _workflow_provider: Any = None) -> Module:
        return Module.get(self._workspace, module_id=self.module_id)

    def set_description(self, description: str) -> None:
        if description is None:
            raise Exception("No description was provided")
        _store(self._workspace).update_version(self.module_version_id, description=description)
        self._entity["description"] = description

    def _set_status(self, new_status: str) -> None:
        _store(self._workspace).update_version(self.module_version_id, status=new_status)
        self._entity["status"] = new_status

    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("status", self.status), ("version", self._version), ("module_id", self.module_id),
                            ("module_version_id", self.module_version_id)])

    def __str__(self) -> str:
        return "ModuleVersion({0})".format(",\n".join("{}: {}".format(k, v)
                                                      for k, v in self._get_base_info_dict().items()))

    __repr__ = __str__


class ModuleVersionDescriptor:
    """A version's number and id, as listed by ``Module.module_version_list()``."""

    def __init__(self, version: str | None, module_version_id: str):
        self._version = version
        self._module_version_id = module_version_id

    version = property(lambda self: self._version)
    module_version_id = property(lambda self: self._module_version_id)

    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("Version", self.version), ("ModuleVersionId", self.module_version_id)])

    def __str__(self) -> str:
        return "ModuleVersionDescriptor({0})".format(",\n".join("{}: {}".format(k, v)
                                                                for k, v in self._get_base_info_dict().items()))

    __repr__ = __str__


def _port(port: Any, kind: type) -> Any:
    """A port definition from an ``InputPortDef``/``OutputPortDef`` or a data object (its name and mode)."""
    if isinstance(port, kind):
        return port
    if kind is InputPortDef:
        name = getattr(port, "data_reference_name", None) or getattr(port, "name", None)
        return InputPortDef(name, default_datastore_mode=getattr(port, "mode", None) or "mount")
    return OutputPortDef(getattr(port, "_output_name", None) or port.name,
                         default_datastore_name=getattr(getattr(port, "datastore", None), "name", None),
                         default_datastore_mode=getattr(port, "_output_mode", None) or "mount",
                         is_directory=bool(getattr(port, "_is_directory", False)))


def _annotated(arguments: list | None) -> list | None:
    """The SDK's annotated arguments of a published version (ports, parameters, strings)."""
    if arguments is None:
        return None
    out = []
    for arg in arguments:
        if isinstance(arg, InputPortDef):
            out.append({"input": arg.name})
        elif isinstance(arg, OutputPortDef):
            out.append({"output": arg.name})
        elif isinstance(arg, PipelineParameter):
            out.append({"parameter": arg.name, "default": _plain(arg.default_value)})
        elif isinstance(arg, str):
            out.append({"literal": arg})
        else:
            raise Exception("Unknown type in the argument list.")
    return out


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _numeric(version: str | None) -> bool:
    return (version is not None and ".." not in version and not version.startswith(".")
            and not version.endswith(".") and version.replace(".", "1").isdigit())
