"""Facade table for ``azureml.data.*`` (and ``azureml.core.dataset``/``datastore``)."""

SURFACE: dict[str, dict[str, str]] = {}
