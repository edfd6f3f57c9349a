"""Facade table for model deployment: azureml.core.webservice.* (Webservice, AciWebservice, AksWebservice, LocalWebservice)."""

SURFACE: dict[str, dict[str, str]] = {}
