"""Facade table for the other pipeline step types (DataTransferStep, DatabricksStep, AdlaStep, the import-only steps) and their step runs (azureml.pipeline.steps.*)."""

_S = "azureml_local.pipeline.steps"

_MINE = {
    "DataTransferStep": ("data_transfer_step", f"{_S}.data_transfer_step:DataTransferStep"),
    "DatabricksStep": ("databricks_step", f"{_S}.databricks_step:DatabricksStep"),
}

SURFACE: dict[str, dict[str, str]] = {"azureml.pipeline.steps": {name: target for name, (_, target) in _MINE.items()}}
for _name, (_module, _target) in _MINE.items():
    SURFACE.setdefault(f"azureml.pipeline.steps.{_module}", {})[_name] = _target
