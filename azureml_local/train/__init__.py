"""Shims for the rest of ``azureml-train-core`` (``azureml.train.dnn``, ``azureml.train.sklearn``)."""
