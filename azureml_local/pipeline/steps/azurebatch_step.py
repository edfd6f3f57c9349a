"""``AzureBatchStep``: importable and validated as in the SDK; refused at submit (no Azure Batch here).

See ``not_emulated.py``: the nearest local alternative is a CommandStep running the executable.
"""
from __future__ import annotations

from typing import Any

from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.steps.arg_checks import required
from azureml_local.pipeline.steps.not_emulated import not_emulated_definition


class AzureBatchStep(PipelineStep):
    """Run an executable on an Azure Batch pool (not emulated: refused at submit)."""

    def __init__(self, name: str, create_pool: bool = False, pool_id: str | None = None,
                 delete_batch_job_after_finish: bool = True, delete_batch_pool_after_finish: bool = False,
                 is_positive_exit_code_failure: bool = True,
                 vm_image_urn: str = "urn:MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter",
                 run_task_as_admin: bool = False, target_compute_nodes: int = 1, vm_size: str = "standard_d1_v2",
                 source_directory: str | None = None, executable: str | None = None, arguments: list | None = None,
                 inputs: list | None = None, outputs: list | None = None, allow_reuse: bool = True,
                 compute_target: Any = None, version: str | None = None):
        required("name", name, str)
        required("compute_target", compute_target)
        required("executable", executable)
        self._compute_target = compute_target
        self._source_directory = source_directory
        self._parameters = {"PoolId": pool_id, "Executable": executable}
        self._settings = {"CreatePool": create_pool, "DeleteBatchJobAfterFinish": delete_batch_job_after_finish,
                          "DeleteBatchPoolAfterFinish": delete_batch_pool_after_finish,
                          "IsPositiveExitCodeFailure": is_positive_exit_code_failure, "VmImageUrn": vm_image_urn,
                          "RunTaskAsAdmin": run_task_as_admin, "TargetComputeNodes": target_compute_nodes,
                          "VmSize": vm_size}
        self._allow_reuse = allow_reuse
        self._version = version
        super().__init__(name, inputs, outputs, arguments)

    def _definition(self, ctx: Any) -> dict:
        name = self._compute_target if isinstance(self._compute_target, str) else self._compute_target.name
        return not_emulated_definition(self, name, params=dict(self._parameters, **self._settings))
