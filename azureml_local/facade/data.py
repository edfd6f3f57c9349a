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
    "azureml.data": {
        "DataType": f"{_D}.definition:DataType",
        "FileDataset": f"{_D}.file_dataset:FileDataset",
        "TabularDataset": f"{_D}.tabular_dataset:TabularDataset",
        "OutputFileDatasetConfig": f"{_D}.output_dataset_config:OutputFileDatasetConfig",
        "HDFSOutputDatasetConfig": f"{_D}.output_dataset_config:HDFSOutputDatasetConfig",
        "LinkFileOutputDatasetConfig": f"{_D}.output_dataset_config:LinkFileOutputDatasetConfig",
        "LinkTabularOutputDatasetConfig": f"{_D}.output_dataset_config:LinkTabularOutputDatasetConfig",
    },
    "azureml.data.abstract_dataset": {"AbstractDataset": f"{_D}.abstract_dataset:AbstractDataset"},
    "azureml.data.tabular_dataset": {"TabularDataset": f"{_D}.tabular_dataset:TabularDataset"},
    "azureml.data.file_dataset": {"FileDataset": f"{_D}.file_dataset:FileDataset"},
    "azureml.data.dataset_factory": {
        "TabularDatasetFactory": f"{_D}.dataset_factory:TabularDatasetFactory",
        "FileDatasetFactory": f"{_D}.dataset_factory:FileDatasetFactory",
        "DataType": f"{_D}.definition:DataType",
    },
    "azureml.data.dataset_consumption_config": {
        "DatasetConsumptionConfig": f"{_D}.dataset_consumption_config:DatasetConsumptionConfig",
    },
    "azureml.data.output_dataset_config": {
        name: f"{_D}.output_dataset_config:{name}"
        for name in ("OutputDatasetConfig", "OutputFileDatasetConfig", "OutputTabularDatasetConfig",
                     "HDFSOutputDatasetConfig", "LinkFileOutputDatasetConfig", "LinkTabularOutputDatasetConfig",
                     "RegistrationConfiguration", "UploadOptions", "MountOptions")
    },
    "azureml.data.dataset_type_definitions": {
        name: f"{_D}.dataset_type_definitions:{name}"
        for name in ("PromoteHeadersBehavior", "SkipLinesBehavior", "FileEncoding", "FileType")
    },
    "azureml.data.dataset_error_handling": {
        "DatasetValidationError": f"{_D}.dataset_error_handling:DatasetValidationError",
        "DatasetExecutionError": f"{_D}.dataset_error_handling:DatasetExecutionError",
    },
    "azureml.data.constants": {
        name: f"{_D}.constants:{name}"
        for name in ("_DATASET_ARGUMENT_TEMPLATE", "_DATASET_OUTPUT_ARGUMENT_TEMPLATE", "UPLOAD_MODE",
                     "DOWNLOAD_MODE", "MOUNT_MODE", "DIRECT_MODE", "HDFS_MODE", "LINK_MODE")
    },
}
