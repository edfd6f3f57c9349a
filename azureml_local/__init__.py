"""azureml-local: a fully local implementation of the Azure ML SDK v1.

The public surface lives under the real SDK's import paths (``azureml.core``,
``azureml.data``, ``azureml.pipeline``...); those modules are thin facades that
resolve names lazily from this package through the tables in
:mod:`azureml_local.facade`. Nothing heavy is imported here.
"""

__version__ = "0.1.0"

#: The SDK version this package mirrors (``azureml.core.VERSION``).
SDK_VERSION = "1.62.0"

#: ``azureml_local.testing.mock.mock_workspace`` (declared for readers and type checkers; loaded by __getattr__)
mock_workspace: "type"


def __getattr__(name: str):
    """``azureml_local.mock_workspace`` (docs/testing.md), imported on first use only."""
    if name == "mock_workspace":
        from azureml_local.testing.mock import mock_workspace  # light: keeps `import azureml.core` lean

        return mock_workspace
    raise AttributeError(f"module 'azureml_local' has no attribute {name!r}")
