"""The run engine: executes one script job as one run (see docs/engine.md).

Stable API for other layers (pipelines reuse it for every step)::

    from azureml_local.engine import ScriptJob, execute_script_job
    from azureml_local.engine.snapshot import hash_directory, snapshot
"""
from azureml_local.engine.execute import execute_script_job, log_paths, run_folder
from azureml_local.engine.job import ScriptJob

__all__ = ["ScriptJob", "execute_script_job", "log_paths", "run_folder"]
