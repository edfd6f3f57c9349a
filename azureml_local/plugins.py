"""The one plugin table: what executes, submits and represents each kind of run.

Four lookups used to live in four places (the runner's handler registry, ``Experiment``'s
submit registry, ``Run``'s run-type map, the pipeline step-kind map). They are one table here, in
four sections:

* ``handlers``: run type -> ``handler(ctx, run_id)`` executing a queued run in the
  workspace service;
* ``submitters``: config class -> ``submit(config, workspace, experiment_name, **kw)``
  (what ``Experiment.submit`` calls);
* ``run_classes``: run type -> the ``Run`` class rehydrating runs of that type;
* ``executors``: pipeline step kind (``step["kind"]``, the SDK step class name) -> the
  ``StepExecutor`` that runs a step of that kind (``pipeline/execution/executors.py``).

Built-in entries are ``"module:attribute"`` strings, imported on first use: the service is
another process (a callable registered in a user's process would never reach it), and naming
instead of importing keeps ``import azureml.core`` light and this module free of imports of the
layers it names. The SDK's own registration APIs (``experiment_method``,
``Run.add_type_provider``) add callables to the same sections at run time.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any, Callable, Union

Target = Union[str, Callable[..., Any], type]

_BUILTIN: dict[str, dict[str, str]] = {
    "handlers": {
        "azureml.scriptrun": "azureml_local.jobs.runner:handle_script_run",
        "azureml.PipelineRun": "azureml_local.pipeline.execution.orchestrator:handle_pipeline_run",
        "hyperdrive": "azureml_local.hyperdrive.controller:handle_hyperdrive_run",
    },
    # keyed by "module:QualifiedName" of the config class (a user class of the same name never matches)
    "submitters": {
        "azureml_local.script_run_config:ScriptRunConfig": "azureml_local.script_run_config:submit",
        "azureml_local.pipeline.steps.estimator:MMLBaseEstimator":
            "azureml_local.script_run_config:submit_estimator",
        "azureml_local.pipeline.pipeline:Pipeline": "azureml_local.pipeline.pipeline:_submit_pipeline",
        "azureml_local.pipeline.published_pipeline:PublishedPipeline":
            "azureml_local.pipeline.published_pipeline:_submit_published_pipeline",
        "azureml_local.pipeline.pipeline_endpoint:PipelineEndpoint":
            "azureml_local.pipeline.pipeline_endpoint:_submit_pipeline_endpoint",
        "azureml_local.pipeline.pipeline_draft:PipelineDraft": "azureml_local.pipeline.pipeline_draft:_submit_draft",
        "azureml_local.hyperdrive.config:HyperDriveConfig": "azureml_local.hyperdrive.submit:search",
    },
    "run_classes": {
        "azureml.scriptrun": "azureml_local.script_run:ScriptRun",
        "azureml.PipelineRun": "azureml_local.pipeline.pipeline_run:PipelineRun",
        "azureml.StepRun": "azureml_local.pipeline.step_run:StepRun",
        "azureml.ReusedStepRun": "azureml_local.pipeline.step_run:StepRun",
        "hyperdrive": "azureml_local.hyperdrive.run:HyperDriveRun",
    },
    "executors": {
        **{kind: "azureml_local.pipeline.execution.script_step:run_script_step"
           for kind in ("PythonScriptStep", "CommandStep", "EstimatorStep")},
        "ParallelRunStep": "azureml_local.pipeline.parallel.executor:run_parallel_step",
        "AdlaStep": "azureml_local.pipeline.execution.usql_step:run_usql_step",
        "ModuleStep": "azureml_local.pipeline.execution.module_step:run_module_step",
        "HyperDriveStep": "azureml_local.hyperdrive.step_executor:run_hyperdrive_step",
        "DataTransferStep": "azureml_local.pipeline.execution.data_transfer:run_data_transfer",
        "DatabricksStep": "azureml_local.pipeline.execution.databricks:run_databricks_step",
        "MpiStep": "azureml_local.pipeline.execution.mpi:run_mpi_step",
        "RScriptStep": "azureml_local.pipeline.execution.script_step:run_script_step",
        # import-only kinds: refused at submit (pipeline/start.py); the executor only fails a stray step
        **{kind: "azureml_local.pipeline.execution.unsupported:run_unsupported_step"
           for kind in ("AutoMLStep", "AzureBatchStep", "KustoStep", "SynapseSparkStep", "HDInsightStep")},
    },
}
_registered: dict[str, dict[Any, Target]] = {section: {} for section in _BUILTIN}
_lock = threading.Lock()


def resolve(target: Target) -> Any:
    """The object a ``"module:attribute"`` string names (callables and classes pass through)."""
    if not isinstance(target, str):
        return target
    module, sep, attribute = target.partition(":")
    if not sep or not module or not attribute:
        raise ValueError(f"'{target}' is not a plugin name: write it as 'package.module:attribute'.")
    obj: Any = importlib.import_module(module)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


def class_key(klass: type) -> str:
    """How a class is named in the table: ``"module:QualifiedName"``."""
    return f"{klass.__module__}:{klass.__qualname__}"


def lookup(section: str, key: Any) -> Target | None:
    """The entry for ``key`` (registered first, then built in), unresolved; None when there is none."""
    entry = _registered[section].get(key)
    if entry is None and isinstance(key, str):
        entry = _BUILTIN[section].get(key)
    return entry


def get(section: str, key: Any) -> Any | None:
    """The resolved entry for ``key``, or None."""
    entry = lookup(section, key)
    return None if entry is None else resolve(entry)


def register(section: str, key: Any, target: Target) -> Target | None:
    """Add ``key -> target`` unless ``key`` already names something else; returns the entry in conflict.

    Registering the same target again is a no-op (an ``experiment_method`` decorator runs at every
    construction); on a conflict nothing is written and the existing entry is returned, so each SDK
    registration API can raise its own message.
    """
    with _lock:
        existing = lookup(section, key)
        if existing is None:
            _registered[section][key] = target
            return None
        if existing is target or _same(existing, target):
            return None
        return existing


def unregister(section: str, key: Any) -> None:
    """Drop a run-time registration (tests; built-in entries stay)."""
    with _lock:
        _registered[section].pop(key, None)


def _same(existing: Target, target: Target) -> bool:
    try:
        return resolve(existing) is resolve(target)
    except (ImportError, AttributeError, ValueError):
        return False


# -- the sections, as their callers use them ------------------------------------------------
def run_handler(run_type: str, queued: str | None = None) -> Callable[[Any, str], None]:
    """How a queued run executes: the queue row's own ``"module:function"`` (if any), else the table's."""
    entry = queued or lookup("handlers", run_type)
    if entry is None:
        raise LookupError(f"No handler is registered for run type '{run_type}'. Add one to the plugin table "
                          "(azureml_local.plugins.register('handlers', run_type, 'module:function')) or name it "
                          "in the queue row.")
    return resolve(entry)


def submitter(config_class: type) -> Callable[..., Any] | None:
    """The submit function for a config class (or the nearest base class that has one)."""
    for klass in config_class.__mro__:
        entry = lookup("submitters", klass) or lookup("submitters", class_key(klass))
        if entry is not None:
            return resolve(entry)
    return None


def run_class(run_type: str) -> Any | None:
    """The ``Run`` subclass (or factory registered with ``Run.add_type_provider``) of a run type."""
    return get("run_classes", run_type)


def known(section: str) -> list[str]:
    """Every string key of a section (built in and registered), sorted: for messages."""
    return sorted({*_BUILTIN[section], *(k for k in _registered[section] if isinstance(k, str))})
