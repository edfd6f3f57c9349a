"""MLflow tracking into the run history: an in-process MLflow plugin (``docs/mlflow.md``).

``uri`` is light (no mlflow import: the engine uses it for the job environment); the
stores and the artifact repository import mlflow and are loaded by MLflow through the
entry points declared in ``pyproject.toml``, never by ``import azureml.core``.
"""
