"""Step types (``azureml.pipeline.steps``): one module per step type."""
