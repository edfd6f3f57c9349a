"""Facade table for published pipelines, pipeline endpoints and drafts (``azureml.pipeline.core.*``)."""

_P = "azureml_local.pipeline"
_PUBLISHED = f"{_P}.published_pipeline:PublishedPipeline"
_ENDPOINT = f"{_P}.pipeline_endpoint:PipelineEndpoint"
_DRAFT = f"{_P}.pipeline_draft:PipelineDraft"

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.core": {"PublishedPipeline": _PUBLISHED, "PipelineEndpoint": _ENDPOINT, "PipelineDraft": _DRAFT},
    "azureml.pipeline.core.graph": {"PublishedPipeline": _PUBLISHED},
    "azureml.pipeline.core.pipeline_endpoint": {
        "PipelineEndpoint": _ENDPOINT,
        "PipelineVersion": f"{_P}.pipeline_endpoint:PipelineVersion",
        "PipelineIdVersion": f"{_P}.pipeline_endpoint:PipelineIdVersion",
        "PublishedPipeline": _PUBLISHED,
    },
    "azureml.pipeline.core.pipeline_draft": {"PipelineDraft": _DRAFT},
}
