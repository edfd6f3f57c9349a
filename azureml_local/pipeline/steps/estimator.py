"""A small ``azureml.train.estimator.Estimator`` so notebooks using ``EstimatorStep`` construct.

The real class lives in azureml-train-core (not part of this SDK surface); only what
``EstimatorStep`` reads is kept: ``source_directory``, and a ``run_config`` carrying the
entry script, environment variables, pip/conda packages and the run duration limit.
"""
from __future__ import annotations

from typing import Any

from azureml_local.runconfig import RunConfiguration


class MMLBaseEstimator:
    """Base of the Estimator family (``EstimatorStep`` accepts any subclass)."""

    def __init__(self, source_directory: str, *, compute_target: Any, estimator_config: Any = None):
        self._source_directory = source_directory
        self._compute_target = compute_target
        self._estimator_config = estimator_config

    @property
    def source_directory(self) -> str:
        return self._source_directory

    @property
    def run_config(self) -> Any:
        return self._estimator_config

    @property
    def conda_dependencies(self) -> Any:
        return self._estimator_config.environment.python.conda_dependencies


class Estimator(MMLBaseEstimator):
    """A generic estimator: run ``entry_script`` from ``source_directory``."""

    def __init__(self, source_directory: str, *, compute_target: Any = None, vm_size: str | None = None,
                 vm_priority: str | None = None, entry_script: str | None = None, script_params: dict | None = None,
                 node_count: int = 1, process_count_per_node: int = 1, distributed_backend: Any = None,
                 distributed_training: Any = None, use_gpu: bool = False, use_docker: bool = True,
                 custom_docker_base_image: str | None = None, custom_docker_image: str | None = None,
                 image_registry_details: Any = None, user_managed: bool = False, conda_packages: list | None = None,
                 pip_packages: list | None = None, conda_dependencies_file_path: str | None = None,
                 pip_requirements_file_path: str | None = None, conda_dependencies_file: str | None = None,
                 pip_requirements_file: str | None = None, environment_variables: dict | None = None,
                 environment_definition: Any = None, inputs: list | None = None,
                 source_directory_data_store: Any = None, shm_size: str | None = None, resume_from: Any = None,
                 max_run_duration_seconds: int | None = None,
                 _disable_validation: bool = True, _show_lint_warnings: bool = False,
                 _show_package_warnings: bool = False):
        config = RunConfiguration(script=entry_script)
        if environment_definition is not None:
            config.environment = environment_definition
        else:
            env = config.environment
            env.python.user_managed_dependencies = user_managed
            for package in pip_packages or []:
                env.python.conda_dependencies.add_pip_package(package)
            for package in conda_packages or []:
                env.python.conda_dependencies.add_conda_package(package)
        config.arguments = [str(x) for kv in (script_params or {}).items() for x in kv if x != ""]
        if environment_variables:
            config.environment_variables = dict(environment_variables)
        config.node_count = node_count
        config.max_run_duration_seconds = max_run_duration_seconds
        if compute_target is not None:
            config.target = compute_target if isinstance(compute_target, str) else compute_target.name
        if inputs:
            config.data = {getattr(i, "name", str(n)): i for n, i in enumerate(inputs)}
        super().__init__(source_directory, compute_target=compute_target, estimator_config=config)
