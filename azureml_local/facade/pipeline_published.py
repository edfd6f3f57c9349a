"""Facade table for published pipelines, pipeline endpoints and drafts (``azureml.pipeline.core.*``)."""

SURFACE: dict[str, dict[str, str]] = {}
