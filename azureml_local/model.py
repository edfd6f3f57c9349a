"""``azureml.core.Model``: registered model versions (files in blob storage, metadata in the DB).

Same constructor-as-getter, ``register``/``list``/``get_model_path``/``download``
and messages as the SDK. ``deploy`` starts a local scoring service (``azureml_local/webservice``);
``package`` and ``profile`` need Docker / the cloud and raise with what to do instead.
"""
from __future__ import annotations

import copy
import logging
import re
from datetime import datetime
from typing import Any

from azureml_local import model_store
from azureml_local.model_config import InferenceConfig, ResourceConfiguration  # noqa: F401  (SDK paths)
from azureml_local.exceptions import (ModelNotFoundException, ModelPathNotFoundException, RunEnvironmentException,
                                      UserErrorException, WebserviceException)
from azureml_local.data.dataset_registry import get_dataset_by_id
from azureml_local.model_files import MODELS_DIR, collect_local_files, download_model, get_model_path, run_blobs_under

log = logging.getLogger("azureml.core.model")
_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-\._]{0,254}$")


def model_name_validation(name: Any) -> None:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise WebserviceException("Error, provided model name is invalid. It must only consist of letters, "
                                  "numbers, dashes, periods, or underscores, start with a letter or number, and be "
                                  "between 1 and 255 characters long.")


def _not_found(**kwargs: Any) -> str:
    return "ModelNotFound: Model with " + ", ".join(
        "{} {}".format(k, v) for k, v in kwargs.items() if v) + " not found in provided workspace"


class Model:
    """A registered model version; ``Model(ws, name)`` fetches the latest version."""

    class Framework:
        CUSTOM = "Custom"
        TENSORFLOW = "TensorFlow"
        SCIKITLEARN = "ScikitLearn"
        ONNX = "Onnx"
        TFKERAS = "TfKeras"
        PYTORCH = "PyTorch"
        MULTI = "Multi"

    def __init__(self, workspace: Any, name: str | None = None, id: str | None = None, tags: Any = None,
                 properties: Any = None, version: int | None = None, run_id: str | None = None,
                 model_framework: str | None = None, expand: bool = True, **kwargs: Any):
        self.created_by = self.created_time = self.description = self.id = self.mime_type = None
        self.name = self.model_framework = self.model_framework_version = self.tags = self.properties = None
        self.unpack = self.url = self.version = self.workspace = self.experiment_name = self.run_id = None
        self.run = None
        self.datasets: dict[str, list] = {}
        self.sample_input_dataset = self.sample_output_dataset = self.resource_configuration = None
        self.parent_id = self.derived_model_ids = None
        if workspace:
            definition = Model._find(workspace, name, id, tags, properties, version, run_id, model_framework)
            if definition is None:
                raise WebserviceException(_not_found(name=name, id=id, tags=tags, properties=properties,
                                                     version=version, run_id=run_id, model_framework=model_framework))
            self._initialize(workspace, definition, expand=expand)

    def __repr__(self) -> str:
        return "{}(workspace={}, name={}, id={}, version={}, tags={}, properties={})".format(
            self.__class__.__name__, repr(self.workspace), self.name, self.id, self.version, self.tags,
            self.properties)

    def _initialize(self, workspace: Any, obj_dict: dict[str, Any], expand: bool = True) -> None:
        self.created_by = obj_dict.get("createdBy")
        created = obj_dict.get("createdTime")
        self.created_time = datetime.fromisoformat(created) if created else None
        self.description = obj_dict.get("description")
        self.id = obj_dict["id"]
        self.mime_type = obj_dict.get("mimeType")
        self.name = obj_dict["name"]
        self.model_framework = obj_dict.get("framework")
        self.model_framework_version = obj_dict.get("frameworkVersion")
        self.tags = dict(obj_dict.get("tags") or {})
        self.properties = dict(obj_dict.get("properties") or {})
        self.unpack = obj_dict.get("unpack", False)
        self.url = obj_dict.get("url")
        self.version = obj_dict["version"]
        self.workspace = workspace
        self.experiment_name = obj_dict.get("experimentName")
        self.run_id = obj_dict.get("runId")
        self.resource_configuration = ResourceConfiguration.deserialize(
            obj_dict.get("resourceRequirements") or obj_dict.get("resourceConfiguration"))
        self._dataset_refs = list(obj_dict.get("datasets") or [])
        self.datasets = {}
        if expand and workspace is not None:
            for ref in self._dataset_refs:
                dataset = _dataset_by_id(workspace, ref["id"])
                if dataset is not None:
                    self.datasets.setdefault(ref["name"], []).append(dataset)
            self.sample_input_dataset = _dataset_from_url(workspace, obj_dict.get("sampleInputData"))
            self.sample_output_dataset = _dataset_from_url(workspace, obj_dict.get("sampleOutputData"))
            if self.run_id:
                self.run = _run(workspace, self.run_id)

    @staticmethod
    def _find(workspace: Any, name: str | None, id: str | None, tags: Any, properties: Any, version: Any,
              run_id: str | None, model_framework: str | None) -> dict[str, Any] | None:
        if not id and not name:
            raise WebserviceException("Error, one of id or name must be provided.")
        if id:
            if ":" not in id:
                raise WebserviceException("Invalid model id '{}': expected '<name>:<version>'.".format(id))
            name, _, id_version = id.rpartition(":")
            version = id_version
        if version is not None:
            try:
                version = int(version)
            except (TypeError, ValueError) as exc:
                raise WebserviceException("version should be an int") from exc
        candidates = model_store.query(workspace, name=name, run_id=run_id)
        for definition in candidates:
            if version is not None and definition["version"] != version:
                continue
            if model_framework and definition.get("framework") != model_framework:
                continue
            if not _matches(definition.get("tags"), tags) or not _matches(definition.get("properties"), properties):
                continue
            return definition
        return None

    # -- registration ------------------------------------------------------------------
    @staticmethod
    def register(workspace: Any, model_path: str, model_name: str, tags: dict | None = None,
                 properties: dict | None = None, description: str | None = None, datasets: list | None = None,
                 model_framework: str | None = None, model_framework_version: str | None = None,
                 child_paths: list | None = None, sample_input_dataset: Any = None, sample_output_dataset: Any = None,
                 resource_configuration: ResourceConfiguration | None = None) -> "Model":
        """Upload a local file or folder as the next version of ``model_name``."""
        model_name_validation(model_name)
        if model_framework is None and model_framework_version is not None:
            raise WebserviceException("Model framework version cannot be provided without a valid framework")
        files = collect_local_files(model_path, child_paths)
        definition = Model._definition(workspace, model_name, tags, properties, description, datasets,
                                       model_framework, model_framework_version, sample_input_dataset,
                                       sample_output_dataset, resource_configuration)
        print("Registering model {}".format(model_name))
        return Model._store_new_version(workspace, model_name, definition,
                                        lambda version: model_store.upload_local(workspace, model_name, version, files))

    @staticmethod
    def _register_from_run(run: Any, model_name: str, model_path: str | None = None, tags: dict | None = None,
                           properties: dict | None = None, model_framework: str | None = None,
                           model_framework_version: str | None = None, description: str | None = None,
                           datasets: list | None = None, sample_input_dataset: Any = None,
                           sample_output_dataset: Any = None, resource_configuration: Any = None,
                           **kwargs: Any) -> "Model":
        """``Run.register_model``: register files the run uploaded (prefix ``model_path``)."""
        model_name_validation(model_name)
        if model_framework is None and model_framework_version is not None:
            raise WebserviceException("Model framework version cannot be provided without a valid framework")
        workspace = _run_workspace(run)
        pairs = run_blobs_under(workspace, run.id, model_path if model_path is not None else model_name)
        experiment = getattr(run, "experiment", None)
        definition = Model._definition(workspace, model_name, tags, properties, description, datasets,
                                       model_framework, model_framework_version, sample_input_dataset,
                                       sample_output_dataset, resource_configuration, run_id=run.id,
                                       experiment_name=getattr(experiment, "name", None))
        return Model._store_new_version(workspace, model_name, definition,
                                        lambda version: model_store.copy_blobs(workspace, model_name, version, pairs))

    @staticmethod
    def _store_new_version(workspace: Any, model_name: str, definition: dict[str, Any],
                           write_files: Any) -> "Model":
        """Reserve the next version, write its files, then publish it; a failure leaves no version behind."""
        version = model_store.reserve_version(workspace, model_name, definition)
        try:
            write_files(version)
        except BaseException:
            model_store.discard(workspace, model_name, version)
            raise
        model_store.mark_ready(workspace, model_name, version)
        return Model(workspace, name=model_name, version=version)

    @staticmethod
    def _definition(workspace: Any, name: str, tags: Any, properties: Any, description: str | None, datasets: Any,
                    framework: str | None, framework_version: str | None, sample_input: Any, sample_output: Any,
                    resource_configuration: Any, run_id: str | None = None,
                    experiment_name: str | None = None) -> dict[str, Any]:
        if tags is not None and not isinstance(tags, dict):
            raise WebserviceException("Tags must be a dict")
        if properties is not None and not isinstance(properties, dict):
            raise WebserviceException("Properties must be a dict")
        if resource_configuration is not None:
            resource_configuration._validate_configuration()
        refs = [{"name": scenario, "id": _dataset_id(workspace, ds, "dataset")} for scenario, ds in (datasets or [])]
        return model_store.base_definition(
            workspace, name, tags={str(k): str(v) for k, v in (tags or {}).items()},
            properties={str(k): str(v) for k, v in (properties or {}).items()}, description=description,
            datasets=refs, framework=framework, framework_version=framework_version, run_id=run_id,
            experiment_name=experiment_name,
            resource_requirements=resource_configuration.serialize() if resource_configuration else None,
            sample_input=_dataset_url(workspace, sample_input, "sample input dataset"),
            sample_output=_dataset_url(workspace, sample_output, "sample output dataset"))

    # -- queries -----------------------------------------------------------------------------
    @staticmethod
    def list(workspace: Any, name: str | None = None, tags: list | None = None, properties: list | None = None,
             run_id: str | None = None, latest: bool = False, dataset_id: str | None = None, expand: bool = True,
             page_count: int = 255, model_framework: str | None = None) -> list["Model"]:
        """Registered models, newest first, filtered like the SDK (tags: ``["k", ["k2", "v2"]]``)."""
        if page_count and (page_count < 20 or page_count > 255):
            raise UserErrorException("Expected page_count value is between %s and %s. Provided: %s"
                                     % (20, 255, page_count))
        if tags is not None and type(tags) is not list:
            raise UserErrorException('Expected tags must be list type. Ex. ["key", ["key2", "key2 value"]]: '
                                     "provided {0}".format(type(tags)))
        if properties is not None and type(properties) is not list:
            raise UserErrorException('Expected properties must be list type. Ex. ["key", ["key2", "key2 value"]]: '
                                     "provided {0}".format(type(properties)))
        out = []
        for definition in model_store.query(workspace, name=name, run_id=run_id, latest=latest):
            if model_framework and definition.get("framework") != model_framework:
                continue
            if dataset_id and not any(r["id"] == dataset_id for r in definition.get("datasets") or []):
                continue
            if not _matches(definition.get("tags"), tags) or not _matches(definition.get("properties"), properties):
                continue
            model = Model(None)
            model._initialize(workspace, definition, expand=expand)
            out.append(model)
        return out

    @staticmethod
    def get_model_path(model_name: str, version: int | None = None, _workspace: Any = None) -> str:
        """Local path of a model: downloaded into ``./azureml-models/<name>/<version>/`` when needed."""
        return get_model_path(model_name, version, _workspace)

    def download(self, target_dir: str = ".", exist_ok: bool = False, exists_ok: bool | None = None) -> str:
        """Download the model files into ``target_dir``; returns the model's path there."""
        if exists_ok is not None:
            log.warning("exists_ok is deprecated. Please use exist_ok")
            exist_ok = exists_ok
        return download_model(self, target_dir, exist_ok)

    # -- updates ----------------------------------------------------------------------------------
    def _save(self, **changes: Any) -> None:
        model_store.update(self.workspace, self.name, self.version, changes)

    def update(self, tags: dict | None = None, description: str | None = None, sample_input_dataset: Any = None,
               sample_output_dataset: Any = None, resource_configuration: Any = None) -> None:
        changes: dict[str, Any] = {}
        if tags:
            changes["tags"] = self.tags = dict(tags)
        if description:
            changes["description"] = self.description = description
        if sample_input_dataset:
            changes["sampleInputData"] = _dataset_url(self.workspace, sample_input_dataset, "sample input dataset")
            self.sample_input_dataset = sample_input_dataset
        if sample_output_dataset:
            changes["sampleOutputData"] = _dataset_url(self.workspace, sample_output_dataset, "sample output dataset")
            self.sample_output_dataset = sample_output_dataset
        if resource_configuration:
            resource_configuration._validate_configuration()
            changes["resourceRequirements"] = resource_configuration.serialize()
            self.resource_configuration = resource_configuration
        if changes:
            self._save(**changes)

    def update_tags_properties(self, add_tags: dict | None = None, remove_tags: Any = None,
                               add_properties: dict | None = None) -> None:
        if add_properties:
            duplicates = [k for k in add_properties if k in (self.properties or {})]
            if duplicates:
                raise WebserviceException("Error, properties are immutable, the following keys cannot be "
                                          "added/modified: {}".format(",".join(duplicates)))
        changes: dict[str, Any] = {}
        if add_tags is not None:
            self.tags = self.tags or {}
            for key, value in add_tags.items():
                if key in self.tags:
                    print("Replacing tag {} -> {} with {} -> {}".format(key, self.tags[key], key, value))
                self.tags[key] = value
            changes["tags"] = self.tags
        if remove_tags is not None:
            if not self.tags:
                print("Model has no tags to remove.")
            else:
                for key in remove_tags if isinstance(remove_tags, list) else [remove_tags]:
                    if key in self.tags:
                        del self.tags[key]
                    else:
                        print("Tag with key {} not found.".format(key))
                changes["tags"] = self.tags
        if add_properties is not None:
            self.properties = dict(self.properties or {}, **copy.deepcopy(add_properties))
            changes["properties"] = self.properties
        if changes:
            self._save(**changes)

    def add_tags(self, tags: dict) -> None:
        self.update_tags_properties(add_tags=tags)
        print("Model tag add operation complete.")

    def remove_tags(self, tags: Any) -> None:
        self.update_tags_properties(remove_tags=tags)
        print("Model tag remove operation complete.")

    def add_properties(self, properties: dict) -> None:
        self.update_tags_properties(add_properties=properties)
        print("Model properties add operation complete.")

    def add_dataset_references(self, datasets: list) -> None:
        refs = [{"name": scenario, "id": _dataset_id(self.workspace, ds, "dataset")} for scenario, ds in datasets]
        self._dataset_refs = self._dataset_refs + refs
        self._save(datasets=self._dataset_refs)
        for scenario, ds in datasets:
            self.datasets.setdefault(scenario, []).append(ds)

    def delete(self) -> None:
        model_store.delete(self.workspace, self.name, self.version)

    # -- (de)serialization ---------------------------------------------------------------------------
    def serialize(self) -> dict[str, Any]:
        return {"createdTime": self.created_time.isoformat() if self.created_time else None,
                "createdBy": self.created_by, "description": self.description, "id": self.id,
                "mimeType": self.mime_type, "name": self.name, "framework": self.model_framework,
                "frameworkVersion": self.model_framework_version, "tags": self.tags, "properties": self.properties,
                "unpack": self.unpack, "url": self.url, "version": self.version,
                "experimentName": self.experiment_name, "runId": self.run_id, "runDetails": str(self.run),
                "datasets": list(getattr(self, "_dataset_refs", [])),
                "resourceConfiguration": self.resource_configuration.serialize()
                if self.resource_configuration else None,
                "sampleInputDatasetId": getattr(self.sample_input_dataset, "id", None),
                "sampleOutputDatasetId": getattr(self.sample_output_dataset, "id", None)}

    @staticmethod
    def deserialize(workspace: Any, model_payload: dict[str, Any]) -> "Model":
        model = Model(None)
        model._initialize(workspace, model_payload, expand=False)
        return model

    # -- deployment: local scoring services (azureml_local/webservice/, docs/deployment.md) ------------------
    @staticmethod
    def deploy(workspace: Any, name: str, models: list, inference_config: Any = None, deployment_config: Any = None,
               deployment_target: Any = None, overwrite: bool = False, show_output: bool = False) -> Any:
        """Deploy ``models`` as a web service: a local scoring process running the entry script."""
        from azureml_local.webservice import deploy  # light: the web service classes load on first deploy

        return deploy.deploy_model(workspace, name, models, inference_config, deployment_config, deployment_target,
                                   overwrite, show_output)

    @staticmethod
    def package(workspace: Any, models: list, inference_config: Any = None, generate_dockerfile: bool = False,
                image_name: str | None = None, image_label: str | None = None) -> Any:
        """A Docker build context of the models and the scoring app (``generate_dockerfile=True``; no registry)."""
        from azureml_local.webservice import package  # light: as in deploy

        return package.package(workspace, models, inference_config, generate_dockerfile, image_name, image_label)

    @staticmethod
    def profile(workspace: Any, profile_name: str, models: list, inference_config: Any, input_dataset: Any,
                cpu: float | None = None, memory_in_gb: float | None = None, description: str | None = None) -> Any:
        raise WebserviceException("azureml-local does not profile models (no web service runtime here).")


def _matches(values: dict | None, wanted: Any) -> bool:
    """SDK filter semantics: ``"key"`` must exist, ``["key", "value"]`` must equal."""
    if not wanted:
        return True
    values = values or {}
    if isinstance(wanted, dict):
        return all(values.get(k) == str(v) for k, v in wanted.items())
    for item in wanted:
        if isinstance(item, (list, tuple)):
            if values.get(item[0]) != str(item[1]):
                return False
        elif item not in values:
            return False
    return True


def _dataset_id(workspace: Any, dataset: Any, what: str) -> str:
    if hasattr(dataset, "_ensure_saved"):
        return dataset._ensure_saved(workspace)
    if getattr(dataset, "id", None):
        return dataset.id
    raise WebserviceException("Invalid {} of type {} passed, must be of type TabularDataset or FileDataset".format(
        what, type(dataset)))


def _dataset_url(workspace: Any, dataset: Any, what: str) -> str | None:
    return None if dataset is None else "aml://dataset/{}".format(_dataset_id(workspace, dataset, what))


def _dataset_by_id(workspace: Any, dataset_id: str) -> Any:
    try:
        return get_dataset_by_id(workspace, dataset_id)
    except Exception as exc:  # noqa: BLE001 - lineage is best effort, as in the SDK
        log.warning("Cannot find Saved Dataset with ID %s due to the following exception.\n%s", dataset_id, exc)
        return None


def _dataset_from_url(workspace: Any, url: str | None) -> Any:
    if url and url.startswith("aml://dataset/"):
        return _dataset_by_id(workspace, url[len("aml://dataset/"):])
    return None


def _run(workspace: Any, run_id: str) -> Any:
    try:
        from azureml_local.run import Run  # cycle: run imports model (register_model)

        return Run.get(workspace, run_id)
    except Exception:  # noqa: BLE001 - the run may have been deleted
        return None


def _run_workspace(run: Any) -> Any:
    experiment = getattr(run, "experiment", None)
    workspace = getattr(experiment, "workspace", None) or getattr(run, "_ws", None)
    if workspace is None:
        raise RunEnvironmentException()
    return workspace


__all__ = ["Model", "ResourceConfiguration", "ModelNotFoundException", "ModelPathNotFoundException",
           "MODELS_DIR", "model_name_validation"]
