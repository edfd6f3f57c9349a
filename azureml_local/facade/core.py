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
    },
    "azureml.core.datastore": {"Datastore": "azureml_local.data.datastore:Datastore"},
    "azureml.core.workspace": {
        "Workspace": "azureml_local.workspace:Workspace",
    },
    "azureml.exceptions": dict(_EXCEPTIONS, VERSION="azureml_local:SDK_VERSION"),
}
