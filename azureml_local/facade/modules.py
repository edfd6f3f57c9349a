"""Facade table for Module, ModuleVersion, ModuleStep, InputPortDef/OutputPortDef and Pipeline.load_yaml helpers (azureml.pipeline.core.*, azureml.pipeline.steps.module_step)."""

_P = "azureml_local.pipeline"
_ADLA = {"AdlaStep": f"{_P}.steps.adla_step:AdlaStep"}
_MODULE = {
    "Module": f"{_P}.module:Module",
    "ModuleVersion": f"{_P}.module:ModuleVersion",
    "ModuleVersionDescriptor": f"{_P}.module:ModuleVersionDescriptor",
}
_PORTS = {
    "InputPortDef": f"{_P}.module_ports:InputPortDef",
    "OutputPortDef": f"{_P}.module_ports:OutputPortDef",
    "ParamDef": f"{_P}.module_ports:ParamDef",
}
_MODULE_STEP = {"ModuleStep": f"{_P}.steps.module_step:ModuleStep"}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.steps": dict(_ADLA, **_MODULE_STEP),
    "azureml.pipeline.steps.adla_step": dict(_ADLA),
    "azureml.pipeline.steps.module_step": dict(_MODULE_STEP),
    "azureml.pipeline.core": dict(_MODULE),
    "azureml.pipeline.core.module": dict(_MODULE, **_PORTS),
    "azureml.pipeline.core.graph": dict(_PORTS),
}
