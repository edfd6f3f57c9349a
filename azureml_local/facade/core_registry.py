"""Facade table for environments, run configuration, compute targets, models and authentication.

Kept apart from ``core.py`` so this area's entries never collide with others' edits.
"""

_ENV = "azureml_local.environment"
_SEC = "azureml_local.environment_sections"
_RC = "azureml_local.runconfig"
_CD = "azureml_local.conda_dependencies:CondaDependencies"

_ENVIRONMENT_NAMES = {
    "Environment": f"{_ENV}:Environment",
    "EnvironmentReference": f"{_ENV}:EnvironmentReference",
    "ImageBuildDetails": f"{_ENV}:ImageBuildDetails",
    "DockerImageDetails": f"{_ENV}:DockerImageDetails",
    "CondaDependencies": _CD,
    "DEFAULT_CPU_IMAGE": f"{_SEC}:DEFAULT_CPU_IMAGE",
    "DEFAULT_GPU_IMAGE": f"{_SEC}:DEFAULT_GPU_IMAGE",
    **{n: f"{_SEC}:{n}" for n in (
        "PythonSection", "PythonEnvironment", "DockerSection", "DockerEnvironment", "DockerBuildContext",
        "DockerImagePlatform", "SparkSection", "SparkEnvironment", "SparkPackage", "RSection", "RCranPackage",
        "RGitHubPackage", "ContainerRegistry", "DatabricksSection")},
}

_RUNCONFIG_NAMES = {
    "RunConfiguration": f"{_RC}:RunConfiguration",
    "CondaDependencies": _CD,
    "Environment": f"{_ENV}:Environment",
    **{n: f"{_RC}:{n}" for n in (
        "DEFAULT_CPU_IMAGE", "DEFAULT_GPU_IMAGE", "MPI_CPU_IMAGE", "MPI_GPU_IMAGE", "LOCAL_RUNCONFIG_NAME",
        "SUPPORTED_DATAREF_MODES", "SUPPORTED_DELIVERY_MECHANISM", "SUPPORTED_PYTORCH_BACKENDS",
        "ContainerRegistry", "AzureContainerRegistry", "HdiConfiguration", "TensorflowConfiguration",
        "MpiConfiguration", "PyTorchConfiguration", "ApplicationEndpointConfiguration", "ParallelTaskConfiguration",
        "AmlComputeConfiguration", "KubernetesComputeConfiguration", "EnvironmentDefinition", "SparkConfiguration",
        "HistoryConfiguration", "DataReferenceConfiguration", "DockerConfiguration", "DataPath", "Dataset", "Uri",
        "DataLocation", "Data", "DatacacheConfiguration", "DatasetRegistrationOptions", "RegistrationOptions",
        "GlobsOptions", "UploadOptions", "MountOptions", "OutputOptions", "OutputData", "PythonSection",
        "PythonEnvironment", "DockerSection", "DockerEnvironment", "SparkSection", "SparkEnvironment",
        "MavenLibrary", "PyPiLibrary", "RCranLibrary", "JarLibrary", "EggLibrary")},
}

_CT = "azureml_local.compute.compute_target"
_AML = "azureml_local.compute.amlcompute"
_C = "azureml_local.compute"
_LEG = "azureml_local.compute.legacy"

_ATTACHED_MODULES = {  # SDK module -> (our module, names)
    "aks": ("kubernetes", ("AksCompute", "AksProvisioningConfiguration", "AksAttachConfiguration",
                           "AksUpdateConfiguration")),
    "adla": ("services", ("AdlaCompute", "DataLakeAnalyticsAttachConfiguration")),
    "batch": ("services", ("BatchCompute", "BatchAttachConfiguration")),
    "computeinstance": ("instance", ("ComputeInstance", "ComputeInstanceProvisioningConfiguration",
                                     "ComputeInstanceStatus")),
    "databricks": ("services", ("DatabricksCompute", "DatabricksAttachConfiguration")),
    "datafactory": ("services", ("DataFactoryCompute", "DataFactoryProvisioningConfiguration",
                                 "DataFactoryAttachConfiguration")),
    "dsvm": ("attached", ("DsvmCompute", "DsvmProvisioningConfiguration")),
    "hdinsight": ("services", ("HDInsightCompute", "HDInsightAttachConfiguration")),
    "kubernetescompute": ("kubernetes", ("KubernetesCompute", "KubernetesComputeAttachConfiguration")),
    "kusto": ("services", ("KustoCompute", "KustoAttachConfiguration")),
    "remote": ("attached", ("RemoteCompute", "RemoteComputeAttachConfiguration")),
    "synapse": ("services", ("SynapseCompute", "SynapseAttachConfiguration")),
}
_COMPUTE_BASE = {n: f"{_CT}:{n}" for n in (
    "ComputeTarget", "ComputeTargetProvisioningConfiguration", "ComputeTargetAttachConfiguration",
    "ComputeTargetUpdateConfiguration")}
_AML_NAMES = {n: f"{_AML}:{n}" for n in (
    "AmlCompute", "AmlComputeProvisioningConfiguration", "ScaleSettings", "AmlComputeStatus",
    "AmlComputeNodeStateCounts")}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.core": {
        "Environment": f"{_ENV}:Environment",
        "RunConfiguration": f"{_RC}:RunConfiguration",
        "ComputeTarget": f"{_CT}:ComputeTarget",
        "Model": "azureml_local.model:Model",
        **{n: f"{_LEG}:{n}" for n in ("prepare_compute_target", "is_compute_target_prepared",
                                      "attach_legacy_compute_target", "remove_legacy_compute_target")},
    },
    "azureml.core.authentication": {n: f"azureml_local.authentication:{n}" for n in (
        "AbstractAuthentication", "InteractiveLoginAuthentication", "AzureCliAuthentication",
        "ServicePrincipalAuthentication", "MsiAuthentication", "TokenAuthentication", "AzureMLTokenAuthentication",
        "ArmTokenAuthentication", "Audience", "_ArcadiaAuthentication")},
    "azureml.core.model": {
        **{n: f"azureml_local.model:{n}" for n in ("Model", "ModelNotFoundException", "MODELS_DIR")},
        **{n: f"azureml_local.model_config:{n}" for n in ("InferenceConfig", "ResourceConfiguration")}},
    "azureml.core.resource_configuration": {
        "ResourceConfiguration": "azureml_local.model_config:ResourceConfiguration"},
    "azureml.core.compute": {
        "ComputeTarget": f"{_CT}:ComputeTarget",
        "AmlCompute": f"{_AML}:AmlCompute",
        **{names[0]: f"{_C}.{ours}:{names[0]}" for ours, names in _ATTACHED_MODULES.values()},
    },
    "azureml.core.compute.compute": _COMPUTE_BASE,
    "azureml.core.compute.amlcompute": _AML_NAMES,
    **{f"azureml.core.compute.{module}": {n: f"{_C}.{ours}:{n}" for n in names}
       for module, (ours, names) in _ATTACHED_MODULES.items()},
    "azureml.core.compute_target": {
        "ComputeTargetException": "azureml_local.exceptions:ComputeTargetException",
        "UserErrorException": "azureml_local.exceptions:UserErrorException",
        **{n: f"{_LEG}:{n}" for n in ("AbstractComputeTarget", "LocalTarget", "prepare_compute_target",
                                      "is_compute_target_prepared", "attach_legacy_compute_target",
                                      "remove_legacy_compute_target")},
    },
    "azureml.core.environment": _ENVIRONMENT_NAMES,
    "azureml.core.conda_dependencies": {"CondaDependencies": _CD, **{n: f"azureml_local.conda_dependencies:{n}" for n in (
        "BASE_PROJECT_MODULE", "BASE_PROJECT_FILE_RELATIVE_PATH", "DEFAULT_SDK_ORIGIN", "CONDA_FILE_NAME", "CHANNELS",
        "PACKAGES", "PIP", "PYTHON_PREFIX", "VERSION_REGEX", "CNTK_DEFAULT_VERSION", "PYTHON_DEFAULT_VERSION",
        "LINUX_PLATFORM", "WINDOWS_PLATFORM", "TENSORFLOW_DEFAULT_VERSION", "PYTORCH_DEFAULT_VERSION",
        "TORCHVISION_DEFAULT_VERSION", "HOROVOD_DEFAULT_VERSION", "DEFAULT_CHAINER_VERSION", "CUPY_DEFAULT_VERSION",
        "CPU", "GPU", "CNTK_PACKAGE_PREFIX", "TENSORFLOW_PACKAGE_PREFIX", "PYTORCH_PACKAGE_PREFIX",
        "TORCHVISION_PACKAGE_PREFIX", "CHAINER_PACKAGE_PREFIX", "INVALID_PATHON_MESSAGE")}},
    "azureml.core.runconfig": _RUNCONFIG_NAMES,
    "azureml.core.container_registry": {
        "ContainerRegistry": f"{_SEC}:ContainerRegistry",
        "RegistryIdentity": f"{_SEC}:RegistryIdentity",
    },
    "azureml.core.databricks": {n: f"{_SEC}:{n}" for n in (
        "MavenLibrary", "PyPiLibrary", "RCranLibrary", "JarLibrary", "EggLibrary", "DatabricksCluster",
        "DatabricksSection")},
}
