"""``_HDInsightStep``: importable and validated as in the SDK; refused at submit (no HDInsight cluster here)."""
from __future__ import annotations

from typing import Any

from azureml_local.compute.compute_target import ComputeTarget
from azureml_local.compute.legacy import AbstractComputeTarget
from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.steps.arg_checks import required, typed
from azureml_local.pipeline.steps.not_emulated import not_emulated_definition


class _HDInsightStep(PipelineStep):
    """Submit a Spark job to an HDInsight cluster through Livy (not emulated: refused at submit)."""

    def __init__(self, file: str, compute_target: Any, class_name: str | None = None, args: list | None = None,
                 name: str | None = None, inputs: list | None = None, outputs: list | None = None,
                 app_name: str | None = None, driver_memory: str | None = None, driver_cores: int | None = None,
                 executor_memory: str | None = None, executor_cores: int | None = None,
                 num_executors: int | None = None, conf: dict | None = None, jars: list | None = None,
                 py_files: list | None = None, files: list | None = None, archives: list | None = None,
                 source_directory: str | None = None, queue: str = "default", allow_reuse: bool = True,
                 version: str | None = None):
        args = [] if args is None else args
        name = file if name is None else name
        required("file", file, str)
        required("compute_target", compute_target)
        if isinstance(compute_target, str):
            compute_name = compute_target
        elif isinstance(compute_target, (ComputeTarget, AbstractComputeTarget)):
            compute_name = compute_target.name
        else:
            raise ValueError("compute_target must be a string or a AbstractComputeTarget")
        typed("class_name", class_name, str)
        for key, value in (("files", files), ("archives", archives), ("jars", jars), ("py_files", py_files)):
            typed(key, value, list, "a list")
        for key, value, kind, text in (
                ("queue", queue, str, "a string"), ("driver_memory", driver_memory, str, "a string"),
                ("driver_cores", driver_cores, int, "an int"), ("executor_memory", executor_memory, str, "a str"),
                ("executor_cores", executor_cores, int, "an int"), ("num_executors", num_executors, int, "an int"),
                ("conf", conf, dict, "a dictionary"), ("app_name", app_name, str, "a string")):
            typed(key, value, kind, text)
        self._script_file = file
        self._compute_name = compute_name
        self._source_directory = source_directory
        self._allow_reuse = allow_reuse
        self._version = version
        self._spark = {"class_name": class_name, "queue": queue, "driver_memory": driver_memory,
                       "driver_cores": driver_cores, "executor_memory": executor_memory,
                       "executor_cores": executor_cores, "num_executors": num_executors, "conf": conf,
                       "app_name": app_name, "jars": jars or [], "py_files": py_files or [], "files": files or [],
                       "archives": archives or []}
        super().__init__(name, inputs, outputs, args)

    def _definition(self, ctx: Any) -> dict:
        return not_emulated_definition(self, self._compute_name, script_name=self._script_file,
                                       spark=dict(self._spark))
