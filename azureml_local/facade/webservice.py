"""Facade table for model deployment: azureml.core.webservice.* (Webservice, AciWebservice, AksWebservice, LocalWebservice)."""

_W = "azureml_local.webservice"
_EXC = "azureml_local.exceptions:WebserviceException"
_RECORDS = ("AutoScaler", "ContainerResourceRequirements", "DataCollection", "LivenessProbeRequirements",
            "WebServiceAccessToken", "WebserviceDeploymentConfiguration")

SURFACE: dict[str, dict[str, str]] = {
    "azureml.core": {"Webservice": f"{_W}.webservice:Webservice"},
    "azureml.core.model": {"ModelPackage": f"{_W}.package:ModelPackage"},
    "azureml.core.webservice": {
        "Webservice": f"{_W}.webservice:Webservice",
        "AciWebservice": f"{_W}.aci:AciWebservice",
        "AksWebservice": f"{_W}.aks:AksWebservice",
        "LocalWebservice": f"{_W}.local:LocalWebservice",
        "UnknownWebservice": f"{_W}.unknown:UnknownWebservice",
    },
    "azureml.core.webservice.webservice": {
        "Webservice": f"{_W}.webservice:Webservice",
        "WebserviceException": _EXC,
        **{n: f"{_W}.configs:{n}" for n in _RECORDS},
        **{n: f"{_W}.webservice:{n}" for n in (
            "ACI_WEBSERVICE_TYPE", "AKS_WEBSERVICE_TYPE", "LOCAL_WEBSERVICE_TYPE", "UNKNOWN_WEBSERVICE_TYPE",
            "AKS_ENDPOINT_TYPE", "ALL_WEBSERVICE_TYPES", "module_logger")},
    },
    "azureml.core.webservice.aci": {
        **{n: f"{_W}.aci:{n}" for n in (
            "AciWebservice", "AciServiceDeploymentConfiguration", "ContainerResourceRequirements",
            "EncryptionProperties", "VnetConfiguration", "ACI_WEBSERVICE_TYPE", "module_logger")},
        "Webservice": f"{_W}.webservice:Webservice",
        "WebserviceDeploymentConfiguration": f"{_W}.configs:WebserviceDeploymentConfiguration",
        "WebserviceException": _EXC,
    },
    "azureml.core.webservice.aks": {
        **{n: f"{_W}.aks:{n}" for n in (
            "AksWebservice", "AksServiceDeploymentConfiguration", "AksServiceAccessToken", "AKS_WEBSERVICE_TYPE",
            "NAMESPACE_REGEX", "module_logger")},
        **{n: f"{_W}.configs:{n}" for n in _RECORDS},
        "Webservice": f"{_W}.webservice:Webservice",
        "WebserviceException": _EXC,
    },
    "azureml.core.webservice.local": {
        **{n: f"{_W}.local:{n}" for n in ("LocalWebservice", "LocalWebserviceDeploymentConfiguration",
                                          "module_logger")},
        "Webservice": f"{_W}.webservice:Webservice",
        "WebserviceDeploymentConfiguration": f"{_W}.configs:WebserviceDeploymentConfiguration",
        "WebserviceException": _EXC,
        "InferenceConfig": "azureml_local.model_config:InferenceConfig",
    },
    "azureml.core.webservice.unknown_webservice": {
        "UnknownWebservice": f"{_W}.unknown:UnknownWebservice",
        "Webservice": f"{_W}.webservice:Webservice",
    },
    "azureml.core.webservice.container_resource_requirements": {
        "ContainerResourceRequirements": f"{_W}.configs:ContainerResourceRequirements",
        "WebserviceException": _EXC,
    },
}
