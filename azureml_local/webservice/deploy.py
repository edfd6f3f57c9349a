"""``Model.deploy`` and ``Webservice.update``: stage a deployment's files, record it, wake the service.

The deploying process copies the source directory and downloads the models into the next
generation's folder (``staging.py``), writes the service row (``ctx.webservices``), then wakes the
workspace service, whose supervisor starts the scoring process. Returns at once, as the SDK does:
``wait_for_deployment`` waits for Healthy or Failed.
"""
from __future__ import annotations

import os
import re
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.model import Model
from azureml_local.model_config import InferenceConfig
from azureml_local.model_store import _user
from azureml_local.service import control
from azureml_local.service.urls import free_port
from azureml_local.webservice import layout
from azureml_local.webservice.aci import AciServiceDeploymentConfiguration, AciWebservice
from azureml_local.webservice.aks import AksServiceDeploymentConfiguration, AksWebservice
from azureml_local.webservice.local import LocalWebservice, LocalWebserviceDeploymentConfiguration
from azureml_local.webservice.staging import stage
from azureml_local.webservice.webservice import Webservice, existing_message, new_key

_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_CLASSES = {AciServiceDeploymentConfiguration: AciWebservice, AksServiceDeploymentConfiguration: AksWebservice,
            LocalWebserviceDeploymentConfiguration: LocalWebservice}


def webservice_name_validation(name: Any) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name) or len(name) < 3 or len(name) > 32:
        raise WebserviceException("Error, provided service name is invalid. It must only consist of lowercase "
                                  "letters, numbers, or dashes, start with a letter, end with a letter or number, "
                                  "and be between 3 and 32 characters long.")


def _service_class(deployment_config: Any, deployment_target: Any) -> type:
    if deployment_config is None:
        return AciWebservice if deployment_target is None else AksWebservice
    for config_class, service_class in _CLASSES.items():
        if isinstance(deployment_config, config_class):
            return service_class
    raise WebserviceException("Error, provided deployment configuration must be of type "
                              "AciServiceDeploymentConfiguration, AksServiceDeploymentConfiguration or "
                              "LocalWebserviceDeploymentConfiguration, got {}.".format(type(deployment_config)))


def deploy_model(workspace: Any, name: str, models: list, inference_config: Any, deployment_config: Any,
                 deployment_target: Any, overwrite: bool, show_output: bool) -> Webservice:
    webservice_name_validation(name)
    if not models or not all(isinstance(m, Model) for m in models):
        raise WebserviceException("Error, models must be a non-empty list of registered Model objects.")
    if inference_config is None:
        raise WebserviceException("Error, azureml-local deploys a model with an InferenceConfig (entry script with "
                                  "init() and run(raw_data)); no-code deployment needs the cloud's framework "
                                  "images. Pass inference_config=InferenceConfig(entry_script=..., ...).")
    if not isinstance(inference_config, InferenceConfig):
        raise WebserviceException("Error, provided inference configuration must be of type InferenceConfig in "
                                  "order to deploy a model.")
    service_class = _service_class(deployment_config, deployment_target)
    if service_class is AksWebservice and deployment_target is None:
        raise WebserviceException("Must have a deployment target for an AKS web service.")
    if deployment_target is not None and getattr(deployment_target, "type", None) not in ("AKS", "Kubernetes"):
        raise WebserviceException("Error, deployment_target must be an AksCompute (or KubernetesCompute) target, "
                                  "got {!r}.".format(deployment_target))
    deployment_config = deployment_config or service_class.deploy_configuration()
    deployment_config.validate_configuration()
    inference_config.validate_configuration()
    if show_output:
        deployment_config.print_deploy_configuration()
    ctx = workspace._context
    existing = ctx.webservices.get(name)
    if existing is not None and not overwrite and service_class is not LocalWebservice:
        raise WebserviceException(existing_message(workspace, name))
    if existing is not None and (existing["compute_type"] == "Local") != (service_class is LocalWebservice):
        raise WebserviceException(existing_message(workspace, name))
    port = existing["port"] if existing else _port(ctx, name, deployment_config)
    refs = [{"name": m.name, "version": m.version, "id": m.id} for m in models]
    generation = ctx.webservices.next_generation(name)
    stage(ctx, name, generation, inference_config.source_directory, inference_config.entry_script, refs)
    config = dict(deployment_config._deployment_fields(), **service_class._auth_settings(deployment_config),
                  created_by=_user(), compute_target_name=getattr(deployment_target, "name", None))
    ctx.webservices.deploy({
        "name": name, "compute_type": service_class._webservice_type, "generation": generation, "port": port,
        "primary_key": deployment_config.primary_key or new_key(),
        "secondary_key": deployment_config.secondary_key or new_key(), "config": config, "models": refs,
        "inference": _inference(inference_config), "description": deployment_config.description,
        "tags": deployment_config.tags or {}, "properties": deployment_config.properties or {}})
    control.wake(ctx)
    return service_class(workspace, name)


def redeploy(workspace: Any, row: dict, models: list | None, inference_config: Any, config: dict,
             fields: dict) -> None:
    """A new generation of an existing service: new models, script or auth; same name, port and keys."""
    ctx = workspace._context
    refs = row["models"] if models is None else [{"name": m.name, "version": m.version, "id": m.id}
                                                   for m in models]
    if inference_config is not None:
        inference_config.validate_configuration()
        source, entry, inference = (inference_config.source_directory, inference_config.entry_script,
                                    _inference(inference_config))
    else:
        inference = row["inference"]
        source = str(layout.generation_dir(ctx.folder, row["name"], row["generation"]) / layout.APP_DIRNAME)
        entry = inference["entry_script"]
    generation = ctx.webservices.next_generation(row["name"])
    stage(ctx, row["name"], generation, source, entry, refs)
    ctx.webservices.update(row["name"], dict(fields, generation=generation, models=refs, inference=inference,
                                             config=dict(row["config"] or {}, **config)), redeploy=True)
    control.wake(ctx)


def deploy_copy(service: Webservice, name: str, deployment_config: Any, deployment_target: Any) -> Webservice:
    """``LocalWebservice.deploy_to_cloud``: the same models and script as another service."""
    row = service._row
    app = layout.generation_dir(service.workspace._context.folder, row["name"], row["generation"]) / layout.APP_DIRNAME
    inference_config = InferenceConfig(entry_script=row["inference"]["entry_script"], source_directory=str(app))
    return deploy_model(service.workspace, name, service.models, inference_config, deployment_config,
                        deployment_target, overwrite=False, show_output=False)


def _inference(inference_config: Any) -> dict[str, Any]:
    entry = inference_config.entry_script if inference_config.source_directory \
        else os.path.basename(inference_config.entry_script)
    return {"entry_script": entry.replace(os.sep, "/"), "source_directory": inference_config.source_directory,
            "environment_variables": inference_config._environment_variables(),
            "environment_name": getattr(inference_config.environment, "name", None),
            "runtime": inference_config.runtime, "description": inference_config.description}


def _port(ctx: Any, name: str, deployment_config: Any) -> int:
    taken = ctx.webservices.used_ports()
    wanted = getattr(deployment_config, "port", None)
    if wanted:
        if wanted in taken:
            raise WebserviceException("Error, port {} is used by another web service of this workspace.".format(
                wanted))
        return wanted
    return free_port(f"{ctx.workspace_id}/{name}", taken)
