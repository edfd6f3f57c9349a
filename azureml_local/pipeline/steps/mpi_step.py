"""``MpiStep`` (deprecated in the SDK): an MPI job as a pipeline step, run locally as one process.

Constructor checks are the SDK's (every required parameter, an AmlCompute or Kubernetes target).
``mpirun`` is not used here: the script runs once, as a PythonScriptStep, with the MPI rank
variables of a one-process world (``OMPI_COMM_WORLD_RANK=0``, ``..._SIZE=1``); the step log says so
(``pipeline/execution/mpi.py``). ``node_count`` / ``process_count_per_node`` are recorded in the
run configuration (and may be PipelineParameters, as in the SDK).
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.pipeline.steps.python_script_step import PythonScriptStep
from azureml_local.runconfig import RunConfiguration

_log = logging.getLogger(__name__)
_SUPPORTED_TARGETS = ("batchai", "amlcompute", "kubernetes")


class MpiStep(PythonScriptStep):
    """Run an MPI script (locally: one process, see the module docstring)."""

    def __init__(self, name: str | None = None, source_directory: str | None = None, script_name: str | None = None,
                 arguments: list | None = None, compute_target: Any = None, node_count: Any = None,
                 process_count_per_node: Any = None, inputs: list | None = None, outputs: list | None = None,
                 allow_reuse: bool = True, version: str | None = None, hash_paths: list | None = None,
                 **kwargs: Any):
        _log.warning("'MpiStep' is deprecated. Please use 'CommandStep' from 'azureml.pipeline.steps.CommandStep' "
                     "instead. For an example see https://github.com/Azure/MachineLearningNotebooks/blob/master/"
                     "how-to-use-azureml/machine-learning-pipelines/intro-to-pipelines/"
                     "aml-pipelines-with-commandstep.ipynb.")
        if None in [name, source_directory, script_name, arguments, compute_target, node_count,
                    process_count_per_node]:
            raise ValueError("One of the requirement parameters (name, source_directory, script_name, arguments, "
                             "compute_target, node_count, process_count_per_node) is not set")
        runconfig_pipeline_params = {}
        if isinstance(node_count, PipelineParameter):
            runconfig_pipeline_params["NodeCount"] = node_count
            node_count = node_count.default_value
        if isinstance(process_count_per_node, PipelineParameter):
            runconfig_pipeline_params["MpiProcessCountPerNode"] = process_count_per_node
            process_count_per_node = process_count_per_node.default_value
        target_type = str(getattr(compute_target, "type", "") or "").lower()
        if target_type not in _SUPPORTED_TARGETS:
            raise Exception("Compute compute_target {0} is not supported in MpiStep. AmlCompute and "
                            "KubernetesCompute are the only supported compute_targets.".format(compute_target))
        runconfig = RunConfiguration(script=script_name, framework="Python", communicator="IntelMpi")
        runconfig.node_count = node_count
        runconfig.mpi.process_count_per_node = process_count_per_node
        runconfig.target = compute_target.name
        environment_variables = kwargs.get("environment_variables")
        if environment_variables:
            runconfig.environment_variables = dict(environment_variables)
        super().__init__(name=name, source_directory=source_directory, script_name=script_name, arguments=arguments,
                         runconfig=runconfig, runconfig_pipeline_params=runconfig_pipeline_params,
                         params=environment_variables, compute_target=compute_target, inputs=inputs, outputs=outputs,
                         allow_reuse=allow_reuse, version=version, hash_paths=hash_paths)
