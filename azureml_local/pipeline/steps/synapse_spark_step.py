"""``SynapseSparkStep``: importable and validated as in the SDK; refused at submit (no Synapse pool here)."""
from __future__ import annotations

from typing import Any

from azureml_local.compute.services import SynapseCompute
from azureml_local.data.constants import DIRECT_MODE, HDFS_MODE
from azureml_local.data.dataset_consumption_config import DatasetConsumptionConfig
from azureml_local.data.output_dataset_config import HDFSOutputDatasetConfig
from azureml_local.environment import Environment
from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.steps.arg_checks import required
from azureml_local.pipeline.steps.not_emulated import not_emulated_definition

_LIST_CONF = {"py_files": "spark.submit.pyFiles", "jars": "spark.yarn.dist.jars", "files": "spark.files"}


class SynapseSparkStep(PipelineStep):
    """Run a PySpark script on a Synapse Spark pool (not emulated: refused at submit)."""

    def __init__(self, file: str, source_directory: str, compute_target: Any, driver_memory: str,
                 driver_cores: int, executor_memory: str, executor_cores: int, num_executors: int,
                 name: str | None = None, app_name: str | None = None, environment: Any = None,
                 arguments: list | None = None, inputs: list | None = None, outputs: list | None = None,
                 conf: dict | None = None, py_files: Any = None, jars: Any = None, files: Any = None,
                 allow_reuse: bool = True, version: str | None = None):
        _check_io(inputs, outputs)
        required("file", file, str)
        name = file if name is None else name
        app_name = name if app_name is None else app_name
        required("source_directory", source_directory, str)
        required("compute_target", compute_target, (str, SynapseCompute), "a str or SynapseCompute")
        if compute_target == "local":
            raise ValueError("SynapseSparkStep doesn't support local compute")
        spark: dict[str, Any] = {"spark.app.name": app_name}
        for key, value, kind, conf_key in (
                ("driver_memory", driver_memory, str, "spark.driver.memory"),
                ("driver_cores", driver_cores, int, "spark.driver.cores"),
                ("executor_memory", executor_memory, str, "spark.executor.memory"),
                ("executor_cores", executor_cores, int, "spark.executor.cores"),
                ("num_executors", num_executors, int, "spark.executor.instances")):
            required(key, value, kind, "a string" if kind is str else "a integer")
            spark[conf_key] = value
        for key, value in (("py_files", py_files), ("jars", jars), ("files", files)):
            if value:
                if isinstance(value, str):
                    value = [value]
                elif not isinstance(value, list):
                    raise ValueError(f"{key} should be str of [str]")
                spark[_LIST_CONF[key]] = ",".join(value)
        if environment:
            if not isinstance(environment, Environment):
                raise ValueError("environment should be a valid object of Environment")
            print("only conda_dependencies specified in environment will be used in Synapse Spark run.")
        if conf:
            if not isinstance(conf, dict):
                raise ValueError("conf should be dict")
            for key, value in conf.items():
                current = spark.get(key)
                if current is None or key == "spark.yarn.maxAppAttempts":
                    spark[key] = value
                elif current != value:
                    if key not in _LIST_CONF.values():
                        raise ValueError("The values of the paramater {} have conflict".format(key))
                    spark[key] = f"{current},{value}"
        self._file = file
        self._source_directory = source_directory
        self._compute_target = compute_target
        self._spark_configuration = spark
        self._allow_reuse = allow_reuse
        self._version = version
        super().__init__(name, inputs, outputs, arguments, fix_port_name_collisions=True)

    def _definition(self, ctx: Any) -> dict:
        name = self._compute_target if isinstance(self._compute_target, str) else self._compute_target.name
        return not_emulated_definition(self, name, script_name=self._file, spark=dict(self._spark_configuration))


def _check_io(inputs: Any, outputs: Any) -> None:
    if inputs:
        if not isinstance(inputs, list) or any(not isinstance(i, DatasetConsumptionConfig) for i in inputs):
            raise ValueError("inputs should be an array of DatasetConsumptionConfig.")
        if any(i.mode not in (DIRECT_MODE, HDFS_MODE) for i in inputs):
            raise ValueError("Currently only DIRECT_MODE or HDFS_MODE of DatasetConsumptionConfig is supported "
                             "for SynapseSparkStep.")
    if outputs:
        if not isinstance(outputs, list) or any(not isinstance(o, HDFSOutputDatasetConfig) for o in outputs):
            raise ValueError("outputs should be an array of HDFSOutputDatasetConfig")
