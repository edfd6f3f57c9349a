"""Facade table for the other pipeline step types (DataTransferStep, DatabricksStep, AdlaStep, the import-only steps) and their step runs (azureml.pipeline.steps.*)."""

SURFACE: dict[str, dict[str, str]] = {}
