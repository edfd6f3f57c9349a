"""``RScriptStep`` (deprecated in the SDK): the R script run with the local ``Rscript``.

Constructor checks are the SDK's (an ``RSection`` in the run configuration, docker enabled, the
image rules). Locally the script runs as ``Rscript <script> <arguments>`` in the step's snapshot;
R packages named in the ``RSection`` are not installed. When ``Rscript`` is not on PATH the
pipeline is refused at submit (nothing runs) with a message saying what to install.
"""
from __future__ import annotations

import logging
import shutil
from typing import Any

from azureml_local.environment_sections import DEFAULT_CPU_IMAGE
from azureml_local.pipeline.steps.python_script_step import _PythonScriptStepBase

_log = logging.getLogger(__name__)
R_DEFAULT_IMAGE_FOR_GPU = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04"
R_DEFAULT_IMAGE_FOR_CPU = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
_DEPRECATED = ("'RScriptStep' is deprecated. Please use 'CommandStep' from 'azureml.pipeline.steps.CommandStep' "
               "instead. For an example see https://github.com/Azure/MachineLearningNotebooks/blob/master/"
               "how-to-use-azureml/machine-learning-pipelines/intro-to-pipelines/aml-pipelines-with-commandstep-r.ipynb.")


class RScriptStep(_PythonScriptStepBase):
    """Run an R script as a pipeline step (locally with ``Rscript``)."""

    def __init__(self, script_name: str, name: str | None = None, arguments: list | None = None,
                 compute_target: Any = None, runconfig: Any = None, runconfig_pipeline_params: dict | None = None,
                 inputs: list | None = None, outputs: list | None = None, params: dict | None = None,
                 source_directory: str | None = None, use_gpu: bool = False, custom_docker_image: str | None = None,
                 cran_packages: list | None = None, github_packages: list | None = None,
                 custom_url_packages: list | None = None, allow_reuse: bool = True, version: str | None = None):
        _log.warning(_DEPRECATED)
        for key, value, replacement in (
                ("custom_docker_image", custom_docker_image, "'base_image' from 'azureml.core.environment.DockerSection'"),
                ("cran_packages", cran_packages, "'cran_packages' from 'azureml.core.environment.RSection'"),
                ("github_packages", github_packages, "'github_packages' from 'azureml.core.environment.RSection'"),
                ("custom_url_packages", custom_url_packages,
                 "'custom_url_packages' from 'azureml.core.environment.RSection'")):
            if value is not None:
                logging.warning(f"'{key}' parameter is deprecated. Please use {replacement} instead.")
        _validate_and_process_config(runconfig, use_gpu)
        runconfig.script = script_name
        runconfig.target = compute_target
        super().__init__(script_name=script_name, name=name, arguments=arguments, compute_target=compute_target,
                         runconfig=runconfig, runconfig_pipeline_params=runconfig_pipeline_params, inputs=inputs,
                         outputs=outputs, params=params, source_directory=source_directory, allow_reuse=allow_reuse,
                         version=version)

    def _definition(self, ctx: Any) -> dict:
        definition = super()._definition(ctx)
        r_section = self._runconfig.environment.r
        rscript = getattr(r_section, "rscript_path", None) or "Rscript"
        definition["command"] = [rscript, self._script_name]
        if shutil.which(rscript) is None:
            definition["not_emulated"] = (
                f"Step '{self.name}' (RScriptStep) runs with the local Rscript: "
                f"{rscript} was not found on PATH. Install R on this machine (e.g. apt-get install r-base-core) and submit again, or use a "
                "CommandStep that runs your script with an interpreter you have. Nothing was submitted.")
        return definition


def _validate_and_process_config(runconfig: Any, use_gpu: bool) -> None:
    environment = getattr(runconfig, "environment", None)
    if environment is None or getattr(environment, "r", None) is None:
        raise ValueError("RunConfiguration.Environment.RSection is required for r script.")
    docker = environment.docker
    if not docker.enabled:
        raise ValueError("Environment.DockerSection.enabled needs to be set True for r script.")
    base_image, base_dockerfile = docker.base_image, docker.base_dockerfile
    if (not base_image and not base_dockerfile) or base_image in (DEFAULT_CPU_IMAGE, R_DEFAULT_IMAGE_FOR_CPU,
                                                                    R_DEFAULT_IMAGE_FOR_GPU):
        docker.base_image = R_DEFAULT_IMAGE_FOR_GPU if use_gpu else R_DEFAULT_IMAGE_FOR_CPU
        print("Default docker image will be used:", docker.base_image)
    else:
        if not environment.r.user_managed:
            raise ValueError("RSection.user_managed should be true when custom image is used.")
        if not environment.python.user_managed_dependencies:
            environment.python.user_managed_dependencies = True
