"""Facade table for published pipelines, pipeline endpoints and drafts (``azureml.pipeline.core.*``)."""

_P = "azureml_local.pipeline"
_PUBLISHED = f"{_P}.published_pipeline:PublishedPipeline"

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.core": {"PublishedPipeline": _PUBLISHED},
    "azureml.pipeline.core.graph": {"PublishedPipeline": _PUBLISHED},
}
