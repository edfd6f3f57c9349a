"""Facade table for ``azureml`` (core), ``azureml.core.*``, ``azureml.exceptions``, ``azureml.widgets``."""

_EXC = "azureml_local.exceptions"

_EXCEPTIONS = {
    name: f"{_EXC}:{name}"
    for name in (
        "ActivityFailedException", "AuthenticationException", "AzureMLException",
        "AzureMLAggregatedException", "ComputeTargetException", "DatasetTimestampMissingError",
        "DiscoveryUrlNotFoundException", "ExperimentExecutionException", "ModelNotFoundException",
        "ModelPathNotFoundException", "ParallelRunException", "ProjectSystemException",
        "RunConfigurationException", "RunEnvironmentException", "ServiceException",
        "SnapshotException", "TrainingException", "UserErrorException", "WebserviceException",
        "WorkspaceException", "WorkspacePrivateEndpointException",
    )
}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.core": {
        "VERSION": "azureml_local:SDK_VERSION",
        "Workspace": "azureml_local.workspace:Workspace",
        "Datastore": "azureml_local.data.datastore:Datastore",
        "Dataset": "azureml_local.data.dataset:Dataset",
        # runs area (experiments, runs, script runs)
        "Experiment": "azureml_local.experiment:Experiment",
        "Run": "azureml_local.run:Run",
        "get_run": "azureml_local.run:get_run",
        "ScriptRun": "azureml_local.script_run:ScriptRun",
        "ScriptRunConfig": "azureml_local.script_run_config:ScriptRunConfig",
        "Keyvault": "azureml_local.keyvault:Keyvault",
    },
    "azureml.core.keyvault": {
        "Keyvault": "azureml_local.keyvault:Keyvault",
        "KeyVaultContentType": "azureml_local.keyvault:KeyVaultContentType",
    },
    "azureml.core.experiment": {
        "Experiment": "azureml_local.experiment:Experiment",
        "ViewType": "azureml_local.experiment:ViewType",
    },
    "azureml.core.run": {
        "Run": "azureml_local.run:Run",
        "get_run": "azureml_local.run:get_run",
        "_OfflineRun": "azureml_local.runs.offline:_OfflineRun",
        "_SubmittedRun": "azureml_local.runs.context:_SubmittedRun",
        "InputDatasets": "azureml_local.runs.context:InputDatasets",
        "OutputDatasets": "azureml_local.runs.context:OutputDatasets",
        "RUNNING_STATES": "azureml_local.run:RUNNING_STATES",
        "POST_PROCESSING_STATES": "azureml_local.run:POST_PROCESSING_STATES",
    },
    "azureml.core.script_run": {"ScriptRun": "azureml_local.script_run:ScriptRun"},
    "azureml.core.script_run_config": {
        "ScriptRunConfig": "azureml_local.script_run_config:ScriptRunConfig",
        "get_run_config_from_script_run": "azureml_local.script_run_config:get_run_config_from_script_run",
        "submit": "azureml_local.script_run_config:submit",
    },
    "azureml.core._experiment_method": {
        "experiment_method": "azureml_local.experiment:experiment_method",
    },
    "azureml.widgets": {"RunDetails": "azureml_local.widgets:RunDetails"},
    "azureml.core.datastore": {"Datastore": "azureml_local.data.datastore:Datastore"},
    "azureml.core.dataset": {"Dataset": "azureml_local.data.dataset:Dataset"},
    "azureml.core.workspace": {
        "Workspace": "azureml_local.workspace:Workspace",
    },
    "azureml.exceptions": dict(_EXCEPTIONS, VERSION="azureml_local:SDK_VERSION"),
}
