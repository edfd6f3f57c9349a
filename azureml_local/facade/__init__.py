"""The whole public surface: real SDK import path -> our implementation.

Each area keeps its own table (core, data, pipeline) so work on one area never
touches another's file. ``tools/sync_facade.py`` writes the two-line facade
module for every path listed here; ``tests/test_facade.py`` checks they agree.
Values are ``"azureml_local.module:Name"``.
"""
from azureml_local.facade.core import SURFACE as _CORE
from azureml_local.facade.data import SURFACE as _DATA
from azureml_local.facade.pipeline import SURFACE as _PIPELINE
from azureml_local.facade.core_registry import SURFACE as _CORE_REGISTRY
from azureml_local.facade.pipeline_published import SURFACE as _PIPELINE_PUBLISHED
from azureml_local.facade.pipeline_schedule import SURFACE as _PIPELINE_SCHEDULE
from azureml_local.facade.steps_more import SURFACE as _STEPS_MORE
from azureml_local.facade.modules import SURFACE as _MODULES
from azureml_local.facade.webservice import SURFACE as _WEBSERVICE
from azureml_local.facade.hyperdrive import SURFACE as _HYPERDRIVE

SURFACE: dict[str, dict[str, str]] = {}
for _table in (_CORE, _DATA, _PIPELINE, _CORE_REGISTRY, _PIPELINE_PUBLISHED, _PIPELINE_SCHEDULE,
               _STEPS_MORE, _MODULES, _WEBSERVICE, _HYPERDRIVE):
    for _path, _names in _table.items():
        SURFACE.setdefault(_path, {}).update(_names)
