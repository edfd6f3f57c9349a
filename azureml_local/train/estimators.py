"""The framework estimators of ``azureml.train.dnn`` / ``azureml.train.sklearn`` and the distributed backends.

Deprecated in the SDK (each logs the SDK's deprecation warning) but still in notebooks: locally each is the
generic ``Estimator`` (``pipeline/steps/estimator.py``: entry script, script_params, environment) with its
framework-only arguments (``framework_version``, ``use_gpu``, worker counts...) accepted and ignored;
``Experiment.submit`` runs it as a script run. The backends only carry their settings.
"""
from __future__ import annotations

import inspect
import logging
from typing import Any

from azureml_local.pipeline.steps.estimator import Estimator

_log = logging.getLogger("azureml.train")
_ESTIMATOR_ARGS = set(inspect.signature(Estimator.__init__).parameters) - {"self", "source_directory"}
_USE_SCRIPT_RUN_CONFIG = ("'{name}' estimator is deprecated. Please use 'ScriptRunConfig' from "
                          "'azureml.core.script_run_config' with your own defined environment or {envs}.")


class _FrameworkBaseEstimator(Estimator):
    """A generic Estimator under a framework's name."""

    _NAME = ""
    _ENVIRONMENTS = ""

    def __init__(self, source_directory: str, **kwargs: Any):
        _log.warning(_USE_SCRIPT_RUN_CONFIG.format(name=self._NAME, envs=self._ENVIRONMENTS))
        backend = kwargs.get("distributed_training") or kwargs.get("distributed_backend")
        self._distributed_training = backend
        super().__init__(source_directory, **{k: v for k, v in kwargs.items() if k in _ESTIMATOR_ARGS})


class _DnnEstimator(_FrameworkBaseEstimator):
    """The arguments PyTorch and Chainer share."""

    def __init__(self, source_directory: str, *, compute_target: Any = None, vm_size: str | None = None,
                 vm_priority: str | None = None, entry_script: str | None = None, script_params: dict | None = None,
                 node_count: int = 1, process_count_per_node: int = 1, distributed_backend: Any = None,
                 distributed_training: Any = None, use_gpu: bool = False, use_docker: bool = True, custom_docker_base_image: str | None = None,
                 custom_docker_image: str | None = None, image_registry_details: Any = None, user_managed: bool = False,
                 conda_packages: list | None = None, pip_packages: list | None = None,
                 conda_dependencies_file_path: str | None = None, pip_requirements_file_path: str | None = None,
                 conda_dependencies_file: str | None = None, pip_requirements_file: str | None = None,
                 environment_variables: dict | None = None, environment_definition: Any = None,
                 inputs: list | None = None, source_directory_data_store: Any = None, shm_size: str | None = None,
                 resume_from: Any = None, max_run_duration_seconds: int | None = None,
                 framework_version: str | None = None, _enable_optimized_mode: bool = False,
                 _disable_validation: bool = True, _show_lint_warnings: bool = False,
                 _show_package_warnings: bool = False):
        super().__init__(source_directory, **_named(locals()))


class PyTorch(_DnnEstimator):
    """DEPRECATED: the PyTorch estimator (a generic Estimator locally)."""

    _NAME = "PyTorch"
    _ENVIRONMENTS = "one of the Azure ML PyTorch curated environments"


class TensorFlow(_FrameworkBaseEstimator):
    """DEPRECATED: the TensorFlow estimator (a generic Estimator locally)."""

    _NAME = "TensorFlow"
    _ENVIRONMENTS = "one of the Azure ML TensorFlow curated environments"

    def __init__(self, source_directory: str, *, compute_target: Any = None, vm_size: str | None = None,
                 vm_priority: str | None = None, entry_script: str | None = None, script_params: dict | None = None,
                 node_count: int = 1, process_count_per_node: int = 1, worker_count: int = 1,
                 parameter_server_count: int = 1, distributed_backend: Any = None, distributed_training: Any = None,
                 use_gpu: bool = False, use_docker: bool = True, custom_docker_base_image: str | None = None,
                 custom_docker_image: str | None = None, image_registry_details: Any = None, user_managed: bool = False,
                 conda_packages: list | None = None, pip_packages: list | None = None,
                 conda_dependencies_file_path: str | None = None, pip_requirements_file_path: str | None = None,
                 conda_dependencies_file: str | None = None, pip_requirements_file: str | None = None,
                 environment_variables: dict | None = None, environment_definition: Any = None,
                 inputs: list | None = None, source_directory_data_store: Any = None, shm_size: str | None = None,
                 resume_from: Any = None, max_run_duration_seconds: int | None = None,
                 framework_version: str | None = None, _enable_optimized_mode: bool = False,
                 _disable_validation: bool = True, _show_lint_warnings: bool = False,
                 _show_package_warnings: bool = False):
        super().__init__(source_directory, **_named(locals()))


class Chainer(_DnnEstimator):
    """DEPRECATED: the Chainer estimator (a generic Estimator locally)."""

    _NAME = "Chainer"
    _ENVIRONMENTS = "one of the Azure ML Chainer curated environments"


class SKLearn(_FrameworkBaseEstimator):
    """DEPRECATED: the Scikit-learn estimator (a generic Estimator locally)."""

    _NAME = "SKLearn"
    _ENVIRONMENTS = "the AzureML-Tutorial curated environment"

    def __init__(self, source_directory: str, *, compute_target: Any = None, vm_size: str | None = None,
                 vm_priority: str | None = None, entry_script: str | None = None, script_params: dict | None = None,
                 use_docker: bool = True, custom_docker_image: str | None = None,
                 image_registry_details: Any = None, user_managed: bool = False, conda_packages: list | None = None,
                 pip_packages: list | None = None, conda_dependencies_file_path: str | None = None,
                 pip_requirements_file_path: str | None = None, conda_dependencies_file: str | None = None,
                 pip_requirements_file: str | None = None, environment_variables: dict | None = None,
                 environment_definition: Any = None, inputs: list | None = None, shm_size: str | None = None,
                 resume_from: Any = None, max_run_duration_seconds: int | None = None,
                 framework_version: str | None = None, _enable_optimized_mode: bool = False,
                 _disable_validation: bool = True, _show_lint_warnings: bool = False,
                 _show_package_warnings: bool = False):
        super().__init__(source_directory, **_named(locals()))


def _named(frame_locals: dict) -> dict:
    return {k: v for k, v in frame_locals.items() if k not in ("self", "source_directory", "__class__")}


# -- distributed backends --------------------------------------------------------------------------------
def _backend_warning(name: str, replacement: str, backend: str | None = None) -> None:
    if backend is None:
        _log.warning(f"'{name}' is deprecated. Please use 'azureml.core.runconfig.{replacement}' with "
                     "'ScriptRunConfig' from 'azureml.core.runconfig'.")
    else:
        _log.warning(f"'{name}' is deprecated. Please use 'azureml.core.runconfig.{replacement}' with "
                     "'ScriptRunConfig' from 'azureml.core.runconfig, and set the 'PyTorchConfiguration' "
                     f"'communication_backend' parameter to '{backend}'.")


class Mpi:
    """DEPRECATED: MPI settings (``MpiConfiguration``)."""

    def __init__(self, process_count_per_node: int = 1):
        _backend_warning("Mpi", "MpiConfiguration")
        self.process_count_per_node = process_count_per_node

    def __str__(self) -> str:
        return "mpi"


class ParameterServer:
    """DEPRECATED: TensorFlow parameter-server settings (``TensorflowConfiguration``)."""

    def __init__(self, worker_count: int = 1, parameter_server_count: int = 1):
        self.worker_count = worker_count
        self.parameter_server_count = parameter_server_count
        _log.warning("'ParameterServer' is deprecated. Use the :class:`azureml.core.runconfig.TensorflowConfiguration` "
                     "class.")

    def __str__(self) -> str:
        return "ps"


class Gloo:
    """DEPRECATED: PyTorch Gloo backend (``PyTorchConfiguration``)."""

    def __init__(self) -> None:
        _backend_warning("Gloo", "PyTorchConfiguration", "Gloo")

    def __str__(self) -> str:
        return "gloo"


class Nccl:
    """DEPRECATED: PyTorch NCCL backend (``PyTorchConfiguration``)."""

    def __init__(self) -> None:
        _backend_warning("Nccl", "PyTorchConfiguration", "Nccl")

    def __str__(self) -> str:
        return "nccl"
