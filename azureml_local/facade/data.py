"""Facade table for ``azureml.data.*`` (and ``azureml.core.dataset``/``datastore``)."""

_D = "azureml_local.data"

SURFACE: dict[str, dict[str, str]] = {
    "azureml.data.abstract_datastore": {"AbstractDatastore": f"{_D}.abstract_datastore:AbstractDatastore"},
    "azureml.data.azure_storage_datastore": {
        "AbstractAzureStorageDatastore": f"{_D}.azure_storage_datastore:AbstractAzureStorageDatastore",
        "AzureBlobDatastore": f"{_D}.azure_storage_datastore:AzureBlobDatastore",
        "AzureFileDatastore": f"{_D}.azure_storage_datastore:AzureFileDatastore",
    },
    "azureml.data.azure_data_lake_datastore": {
        "AbstractADLSDatastore": f"{_D}.azure_data_lake_datastore:AbstractADLSDatastore",
        "AzureDataLakeDatastore": f"{_D}.azure_data_lake_datastore:AzureDataLakeDatastore",
        "AzureDataLakeGen2Datastore": f"{_D}.azure_data_lake_datastore:AzureDataLakeGen2Datastore",
    },
    "azureml.data.datapath": {
        "DataPath": f"{_D}.datapath:DataPath",
        "DataPathComputeBinding": f"{_D}.datapath:DataPathComputeBinding",
    },
    "azureml.data.data_reference": {"DataReference": f"{_D}.data_reference:DataReference"},
}
