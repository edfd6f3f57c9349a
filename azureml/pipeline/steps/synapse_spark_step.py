"""Facade for the SDK path ``azureml.pipeline.steps.synapse_spark_step``; names resolve lazily to azureml_local."""
from azureml_local._facade import bind

__all__, __getattr__, __dir__ = bind(__name__)
