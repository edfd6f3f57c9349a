"""The MLflow model registry of ``azureml-local://`` URIs: versions ARE the workspace's models.

``mlflow.register_model`` and ``log_model(..., registered_model_name=...)`` store a new
version through ``model_store`` (the same rows and blobs ``Model.register`` writes), so
``Model.list(ws)`` and ``Model(ws, name)`` see it; MLflow version tags are the model's tags.
Registered-model headers (description, tags) live in the ``mlflow`` area.
"""
from __future__ import annotations

import os
import posixpath
import tempfile
from typing import Any

import yaml

from mlflow.artifacts import download_artifacts
from mlflow.entities.model_registry import ModelVersion, ModelVersionTag, RegisteredModel, RegisteredModelTag
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import (INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS,
                                          RESOURCE_DOES_NOT_EXIST)
from mlflow.store.model_registry.abstract_store import AbstractStore
from mlflow.utils.search_utils import SearchModelUtils, SearchModelVersionUtils

from azureml_local import model_store
from azureml_local.mlflow import convert
from azureml_local.mlflow import uri as uris
from azureml_local.mlflow.workspaces import open_uri

_FRAMEWORKS = {"sklearn": "ScikitLearn", "tensorflow": "TensorFlow", "onnx": "Onnx", "pytorch": "PyTorch"}
_SOURCE, _MODEL_ID, _FOLDER, _STAGE = "mlflow.source", "mlflow.model_id", "mlflow.artifact_path", "mlflow.stage"
_UNSUPPORTED = "is not supported by the azureml-local model registry (Azure ML v1 models have no {}) "


class AzureMLLocalModelRegistryStore(AbstractStore):
    def __init__(self, store_uri: str | None = None, tracking_uri: str | None = None):
        super().__init__(store_uri, tracking_uri)
        self.ctx, _ = open_uri(store_uri)

    # -- registered models ---------------------------------------------------------------------
    def _versions(self, name: str) -> list[dict]:
        return model_store.query(self.ctx, name=name)

    def _header(self, name: str) -> dict:
        header = self.ctx.mlflow.registered_model(name)
        if header is None:
            if not self._versions(name):
                raise MlflowException(f"Registered Model with name={name} not found", RESOURCE_DOES_NOT_EXIST)
            header = self.ctx.mlflow.ensure_registered_model(name)
        return header

    def _registered(self, name: str) -> RegisteredModel:
        header = self._header(name)
        versions = self._versions(name)
        return RegisteredModel(name, header["created_ms"], header["updated_ms"], header["description"],
                               [self._version(versions[0])] if versions else [],
                               [RegisteredModelTag(k, v) for k, v in header["tags"].items()])

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        if not name:
            raise MlflowException("Registered model name cannot be empty.", INVALID_PARAMETER_VALUE)
        exists = self.ctx.mlflow.registered_model(name) is not None or self._versions(name)
        if exists or self.ctx.mlflow.create_registered_model(name, description, convert.kv(tags)) is None:
            raise MlflowException(f"Registered Model (name={name}) already exists.", RESOURCE_ALREADY_EXISTS)
        return self._registered(name)

    def update_registered_model(self, name, description, deployment_job_id=None):
        self._header(name)
        self.ctx.mlflow.update_registered_model(name, description=description)
        return self._registered(name)

    def rename_registered_model(self, name, new_name):
        raise MlflowException("Renaming " + _UNSUPPORTED.format("rename") + "; register under the new name.",
                              INVALID_PARAMETER_VALUE)

    def delete_registered_model(self, name):
        self._header(name)
        for definition in self._versions(name):
            model_store.delete(self.ctx, name, definition["version"])
        self.ctx.mlflow.delete_registered_model(name)

    def search_registered_models(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        names = {h["name"] for h in self.ctx.mlflow.registered_models()}
        names |= {d["name"] for d in model_store.query(self.ctx, latest=True)}
        models = [self._registered(n) for n in sorted(names)]
        models = SearchModelUtils.filter(models, filter_string) if filter_string else models
        return convert.page(SearchModelUtils.sort(models, order_by), page_token, max_results)

    def get_registered_model(self, name):
        return self._registered(name)

    def get_latest_versions(self, name, stages=None):
        self._header(name)
        versions = self._versions(name)
        return [self._version(versions[0])] if versions else []

    def set_registered_model_tag(self, name, tag):
        self._header(name)
        self.ctx.mlflow.update_registered_model(name, set_tags={tag.key: tag.value})

    def delete_registered_model_tag(self, name, key):
        self._header(name)
        self.ctx.mlflow.update_registered_model(name, remove_tags=[key])

    # -- versions ------------------------------------------------------------------------------
    def _version(self, d: dict) -> ModelVersion:
        props = d.get("properties") or {}
        created = convert.ms(d["createdTime"].replace("+00:00", "Z")) if d.get("createdTime") else None
        return ModelVersion(d["name"], str(d["version"]), created, created, d.get("description"),
                            (d.get("createdBy") or {}).get("userName"), props.get(_STAGE, "None"),
                            props.get(_SOURCE) or uris.model_version_uri(self.ctx.folder, d["name"], d["version"]),
                            d.get("runId"), tags=[ModelVersionTag(k, v) for k, v in (d.get("tags") or {}).items()],
                            model_id=props.get(_MODEL_ID))

    def _definition(self, name: str, version: Any) -> dict:
        try:
            number = int(version)
        except (TypeError, ValueError) as exc:
            raise MlflowException(f"Model version must be an integer, got '{version}'",
                                  INVALID_PARAMETER_VALUE) from exc
        definition = model_store.get(self.ctx, name, number)
        if definition is None:
            raise MlflowException(f"Model Version (name={name}, version={version}) not found",
                                  RESOURCE_DOES_NOT_EXIST)
        return definition

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             local_model_path=None, model_id=None):
        self.ctx.mlflow.ensure_registered_model(name)
        with tempfile.TemporaryDirectory() as tmp:
            if local_model_path and os.path.isdir(local_model_path):
                folder = local_model_path
            else:
                folder = download_artifacts(artifact_uri=_resolvable(self, source, model_id), dst_path=tmp)
            logged = self.ctx.mlflow.logged_model(model_id) if model_id else None
            # The version's top folder is the logged model's name (``clf/MLmodel``), as Run.register_model gives.
            top = logged["name"] if logged else os.path.basename(os.path.normpath(folder))
            files = [(posixpath.join(top, os.path.relpath(path, folder).replace(os.sep, "/")), path)
                     for path in _walk(folder)]
            flavors = _flavors(folder)
            flavor = next((f for f in flavors if f in _FRAMEWORKS), None)
            framework = _FRAMEWORKS[flavor] if flavor else "Custom"
            framework_version = (flavors[flavor] or {}).get(f"{flavor}_version") if flavor else None
            experiment = self.ctx.runs.run(run_id)["experiment_name"] if run_id else None
            properties = {_SOURCE: source, _FOLDER: top, **({_MODEL_ID: model_id} if model_id else {})}
            definition = model_store.base_definition(self.ctx, name, description=description, tags=convert.kv(tags),
                                                     properties=properties, framework=framework,
                                                     framework_version=framework_version, run_id=run_id,
                                                     experiment_name=experiment)
            version = model_store.reserve_version(self.ctx, name, definition)
            try:
                model_store.upload_local(self.ctx, name, version, files)
            except BaseException:
                model_store.discard(self.ctx, name, version)
                raise
            model_store.mark_ready(self.ctx, name, version)
        return self._version(model_store.get(self.ctx, name, version))  # type: ignore[arg-type]

    def update_model_version(self, name, version, description):
        definition = self._definition(name, version)
        model_store.update(self.ctx, name, definition["version"], {"description": description})
        return self.get_model_version(name, version)

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions):
        definition = self._definition(name, version)
        props = dict(definition.get("properties") or {}, **{_STAGE: stage})
        model_store.update(self.ctx, name, definition["version"], {"properties": props})
        return self.get_model_version(name, version)

    def delete_model_version(self, name, version):
        model_store.delete(self.ctx, name, self._definition(name, version)["version"])

    def get_model_version(self, name, version):
        return self._version(self._definition(name, version))

    def get_model_version_download_uri(self, name, version):
        definition = self._definition(name, version)
        top = (definition.get("properties") or {}).get(_FOLDER, "")
        return uris.model_version_uri(self.ctx.folder, name, definition["version"]) + (f"/{top}" if top else "")

    def search_model_versions(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        versions = [self._version(d) for d in model_store.query(self.ctx)]
        versions = SearchModelVersionUtils.filter(versions, filter_string) if filter_string else versions
        return convert.page(SearchModelVersionUtils.sort(versions, order_by or ["last_updated_timestamp DESC"]),
                     page_token, max_results)

    def set_model_version_tag(self, name, version, tag):
        definition = self._definition(name, version)
        tags = dict(definition.get("tags") or {}, **{tag.key: tag.value})
        model_store.update(self.ctx, name, definition["version"], {"tags": tags})

    def delete_model_version_tag(self, name, version, key):
        definition = self._definition(name, version)
        tags = {k: v for k, v in (definition.get("tags") or {}).items() if k != key}
        model_store.update(self.ctx, name, definition["version"], {"tags": tags})

    def set_registered_model_alias(self, name, alias, version):
        raise MlflowException("Model aliases " + _UNSUPPORTED.format("aliases") + "; use version tags.",
                              INVALID_PARAMETER_VALUE)

    def delete_registered_model_alias(self, name, alias):
        raise MlflowException("Model aliases " + _UNSUPPORTED.format("aliases") + "; use version tags.",
                              INVALID_PARAMETER_VALUE)

    def get_model_version_by_alias(self, name, alias):
        raise MlflowException("Model aliases " + _UNSUPPORTED.format("aliases") + "; use version tags.",
                              INVALID_PARAMETER_VALUE)


def _resolvable(store: AzureMLLocalModelRegistryStore, source: str, model_id: str | None) -> str:
    """``models:/<model id>`` -> the logged model's files (in its run's artifacts); other URIs as they are."""
    if source.startswith("models:/") and model_id:
        row = store.ctx.mlflow.logged_model(model_id)
        if row is not None:
            return row["artifact_location"]
    return source


def _walk(folder: str) -> list[str]:
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder) for name in names)


def _flavors(folder: str) -> dict:
    """``{flavor: its MLmodel section}`` (empty when the folder is not an MLflow model)."""
    path = os.path.join(folder, "MLmodel")
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        return dict((yaml.safe_load(f) or {}).get("flavors") or {})
