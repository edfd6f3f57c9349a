"""``Model.package(..., generate_dockerfile=True)``: a Docker build context written locally.

The SDK builds an image in the workspace's registry, or (``generate_dockerfile=True``) a build
context to build yourself. Only the second makes sense without a registry: ``ModelPackage.save(dir)``
writes a ``Dockerfile``, the registered model files (``azureml-models/<name>/<version>/``), the
source directory (``app/``) and the environment's pip requirements; the image runs the entry script
with Microsoft's ``azureml-inference-server-http`` (what the SDK's images run). Building an image
(``generate_dockerfile=False``) raises with what to do instead.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from azureml_local.exceptions import WebserviceException
from azureml_local.webservice.layout import APP_DIRNAME
from azureml_local.webservice.staging import write_layout

module_logger = logging.getLogger("azureml.core.model")
DEFAULT_BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
DOCKERFILE = """FROM {base_image}
# Written by azureml-local (Model.package with generate_dockerfile=True): the models and the scoring
# app of this package, served by azureml-inference-server-http as in Azure ML's inference images.
WORKDIR /var/azureml-app
COPY requirements.txt /var/azureml-app/requirements.txt
RUN pip install --no-cache-dir -r /var/azureml-app/requirements.txt
COPY azureml-models /var/azureml-app/azureml-models
COPY {app} /var/azureml-app/{app}
ENV AZUREML_MODEL_DIR={model_dir} AML_APP_ROOT=/var/azureml-app AZUREML_ENTRY_SCRIPT={app}/{entry}{env}
EXPOSE 5001
CMD ["azmlinfsrv", "--entry_script", "/var/azureml-app/{app}/{entry}", "--port", "5001"]
"""


class ModelPackage:
    """A Dockerfile build context of models + scoring app (``save`` writes it)."""

    def __init__(self, workspace: Any, operation_id: str, environment: Any):
        self.workspace = workspace
        self.environment = environment
        self.operation_id = operation_id
        self.location = None
        self.package_type = "DockerBuildContext"
        self.state = "Succeeded"
        self._models: list[dict[str, Any]] = []
        self._inference: Any = None

    def wait_for_creation(self, show_output: bool = False) -> None:
        if show_output:
            print("Package creation {}".format(self.state))

    def update_creation_state(self) -> None:
        """Nothing to poll: the build context is written by ``save``."""

    def get_logs(self, decode: bool = True, offset: int = 0) -> str:
        text = "Package {}: Dockerfile build context of {}.\n".format(
            self.operation_id, ", ".join("{}:{}".format(m["name"], m["version"]) for m in self._models))
        return text[offset:] if decode else text[offset:].encode()

    def get_container_registry(self) -> Any:
        raise WebserviceException("A Dockerfile package has no container registry locally: build the image from "
                                  "save()'s folder with `docker build`.")

    def pull(self) -> None:
        raise WebserviceException("A Dockerfile package cannot be pulled. Use save() instead.")

    def save(self, output_directory: str) -> None:
        """Write the build context (Dockerfile, requirements.txt, azureml-models/, app/)."""
        if os.path.exists(output_directory) and not os.path.isdir(output_directory):
            raise WebserviceException("Error, output path is not a directory: {}".format(output_directory),
                                      logger=module_logger)
        os.makedirs(output_directory, exist_ok=True)
        write_layout(self.workspace._context, Path(output_directory), self._inference.source_directory,
                     self._inference.entry_script, self._models)
        entry = self._inference.entry_script if self._inference.source_directory \
            else os.path.basename(self._inference.entry_script)
        model_dir = "/var/azureml-app/azureml-models" + (
            "/{}/{}".format(self._models[0]["name"], self._models[0]["version"]) if len(self._models) == 1 else "")
        variables = "".join(" {}={}".format(k, _quote(v)) for k, v in
                            self._inference._environment_variables().items())
        with open(os.path.join(output_directory, "Dockerfile"), "w") as fh:
            fh.write(DOCKERFILE.format(base_image=_base_image(self.environment), app=APP_DIRNAME, entry=entry,
                                       model_dir=model_dir, env=variables))
        with open(os.path.join(output_directory, "requirements.txt"), "w") as fh:
            fh.write("\n".join(_requirements(self.environment)) + "\n")

    def serialize(self) -> dict[str, Any]:
        return {"id": self.operation_id, "packageType": self.package_type, "state": self.state,
                "location": self.location, "models": self._models}


def _quote(value: Any) -> str:
    text = str(value)
    return '"{}"'.format(text.replace('"', '\\"')) if any(c in text for c in ' "\'$') else text


def _base_image(environment: Any) -> str:
    docker = getattr(environment, "docker", None)
    return getattr(docker, "base_image", None) or DEFAULT_BASE_IMAGE


def _requirements(environment: Any) -> list[str]:
    """``azureml-inference-server-http`` plus the environment's pip and conda packages (names as written)."""
    packages = ["azureml-inference-server-http"]
    conda = getattr(getattr(environment, "python", None), "conda_dependencies", None)
    if conda is not None:
        for name in list(conda.pip_packages) + [p for p in conda.conda_packages if not p.startswith("python")]:
            if re.split(r"[=<>~ ]", name)[0] not in ("azureml-defaults", "pip"):
                packages.append(name if "==" in name or "=" not in name else name.replace("=", "==", 1))
    return packages


def package(workspace: Any, models: list, inference_config: Any, generate_dockerfile: bool, image_name: Any,
            image_label: Any) -> ModelPackage:
    if inference_config is None or getattr(inference_config, "environment", None) is None:
        raise WebserviceException("Error, model packaging requires an InferenceConfig containing an Environment "
                                  "object.")
    if not generate_dockerfile:
        raise WebserviceException("Model.package builds a Docker image in the workspace's container registry; "
                                  "azureml-local has no registry or Docker engine. Use "
                                  "Model.package(..., generate_dockerfile=True) and save() the build context, or "
                                  "Model.deploy(...) for a local scoring service.")
    inference_config.validate_configuration()
    result = ModelPackage(workspace, "package-{}".format(os.urandom(4).hex()), inference_config.environment)
    result._models = [{"name": m.name, "version": m.version, "id": m.id} for m in models]
    result._inference = inference_config
    return result
