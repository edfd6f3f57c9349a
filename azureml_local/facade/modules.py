"""Facade table for Module, ModuleVersion, ModuleStep, InputPortDef/OutputPortDef and Pipeline.load_yaml helpers (azureml.pipeline.core.*, azureml.pipeline.steps.module_step)."""

SURFACE: dict[str, dict[str, str]] = {}
