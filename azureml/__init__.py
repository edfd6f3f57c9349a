"""azureml namespace (azureml-local). Other ``azureml-*`` add-ons may extend it."""
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
