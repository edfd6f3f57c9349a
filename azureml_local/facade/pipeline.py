"""Facade table for ``azureml.pipeline.core.*`` and ``azureml.pipeline.steps.*``."""

SURFACE: dict[str, dict[str, str]] = {}
