"""Facade table for Module, ModuleVersion, ModuleStep, InputPortDef/OutputPortDef and Pipeline.load_yaml helpers (azureml.pipeline.core.*, azureml.pipeline.steps.module_step)."""

_P = "azureml_local.pipeline"
_ADLA = {"AdlaStep": f"{_P}.steps.adla_step:AdlaStep"}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.steps": dict(_ADLA),
    "azureml.pipeline.steps.adla_step": dict(_ADLA),
}
