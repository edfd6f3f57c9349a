"""Facade table for the other pipeline step types (DataTransferStep, DatabricksStep, AdlaStep, the import-only steps) and their step runs (azureml.pipeline.steps.*)."""

_S = "azureml_local.pipeline.steps"

_MINE = {
    "DataTransferStep": ("data_transfer_step", f"{_S}.data_transfer_step:DataTransferStep"),
    "DatabricksStep": ("databricks_step", f"{_S}.databricks_step:DatabricksStep"),
    "AutoMLStep": ("automl_step", f"{_S}.automl_step:AutoMLStep"),
    "AutoMLStepRun": ("automl_step", f"{_S}.automl_step:AutoMLStepRun"),
    "AzureBatchStep": ("azurebatch_step", f"{_S}.azurebatch_step:AzureBatchStep"),
    "KustoStep": ("kusto_step", f"{_S}.kusto_step:KustoStep"),
    "SynapseSparkStep": ("synapse_spark_step", f"{_S}.synapse_spark_step:SynapseSparkStep"),
    "MpiStep": ("mpi_step", f"{_S}.mpi_step:MpiStep"),
    "RScriptStep": ("r_script_step", f"{_S}.r_script_step:RScriptStep"),
    "_HDInsightStep": ("_hdinsight_step", f"{_S}.hdinsight_step:_HDInsightStep"),
}

SURFACE: dict[str, dict[str, str]] = {"azureml.pipeline.steps": {name: target for name, (_, target) in _MINE.items()}}
for _name, (_module, _target) in _MINE.items():
    SURFACE.setdefault(f"azureml.pipeline.steps.{_module}", {})[_name] = _target
