"""Facade table for hyperparameter sweeps and the rest of azureml-train-core: azureml.train.hyperdrive.*, HyperDriveStep."""

SURFACE: dict[str, dict[str, str]] = {}
