"""azureml-local: a fully local implementation of the Azure ML SDK v1.

The public surface lives under the real SDK's import paths (``azureml.core``,
``azureml.data``, ``azureml.pipeline``...); those modules are thin facades that
resolve names lazily from this package through the tables in
:mod:`azureml_local.facade`. Nothing heavy is imported here.
"""

__version__ = "0.1.0"

#: The SDK version this package mirrors (``azureml.core.VERSION``).
SDK_VERSION = "1.62.0"
