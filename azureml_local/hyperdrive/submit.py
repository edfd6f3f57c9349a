"""``Experiment.submit(HyperDriveConfig)``: record the sweep run and queue it for its controller.

The child script is compiled once here, exactly as ``ScriptRunConfig.submit`` compiles a script run
(``script_run_config.compile_run``: validation, snapshot, the JSON job spec); the sweep run keeps that
template in its definition under ``SWEEP_KEY`` and the SDK's ``_aml_system_`` configuration tags. The
workspace service's ``hyperdrive`` handler (``controller.py``) then samples, launches children and applies
the policy. Returns the ``HyperDriveRun`` at once.
"""
from __future__ import annotations

import copy
import importlib.util
import warnings
from typing import Any

from azureml_local.experiment import Experiment
from azureml_local.hyperdrive.config import HyperDriveConfig
from azureml_local.hyperdrive.exceptions import HyperDriveConfigException, invalid_setting
from azureml_local.hyperdrive.run import HyperDriveRun
from azureml_local.hyperdrive.spec import RUN_TYPE, SWEEP_KEY, new_sweep_id
from azureml_local.script_run_config import SCRIPT_RUN_PROPERTIES, ScriptRunConfig, compile_run
from azureml_local.service import control as service_control



OPTUNA_MISSING = ("Bayesian sampling runs locally on Optuna, which is not installed: install the hyperdrive extra "
                  "(pip install 'azureml-local[hyperdrive]') or pip install optuna.")


def sweep_definition(config: HyperDriveConfig, workspace: Any, experiment_name: str) -> tuple[dict, dict]:
    """``(definition, tags)`` of a sweep run: the compiled child template and the configuration."""
    if config.pipeline is not None:
        raise HyperDriveConfigException("HyperDriveConfig with a pipeline is not supported locally; use a "
                                        "ScriptRunConfig (run_config=...) or an estimator.")
    script_config = config.run_config
    if script_config is None:
        estimator = config.estimator
        run_config = copy.deepcopy(estimator.run_config)
        run_config.arguments = _without_swept(run_config.arguments, config._generator_config["parameter_space"])
        script_config = ScriptRunConfig(estimator.source_directory, run_config=run_config)
    if config._generator_config["name"] == "BayesianOptimization" and importlib.util.find_spec("optuna") is None:
        raise HyperDriveConfigException(OPTUNA_MISSING)
    if not config._generator_config.get("parameter_space"):
        raise invalid_setting("HyperDriveConfig", "hyperparameter_sampling to define at least one parameter")
    compiled = compile_run(script_config, workspace, experiment_name)
    child = {"definition": compiled["definition"], "snapshot_id": compiled["snapshot_id"],
             "target": compiled["target"], "warning": compiled["warning"]}
    config._platform_config = {"ServiceAddress": "local", "SubscriptionId": workspace.subscription_id,
                               "ResourceGroupName": workspace.resource_group, "WorkspaceName": workspace.name,
                               "ExperimentName": experiment_name}
    definition = {SWEEP_KEY: {**config._sweep_settings(), "child": child}, "target": compiled["target"]}
    return definition, config._tags()


def _without_swept(arguments: list | None, parameter_space: dict) -> list:
    """An estimator's script_params minus the ones the sweep sets (the SDK drops them with a warning)."""
    swept = {name.lstrip("-") for name in parameter_space}
    kept, dropped, items = [], [], list(arguments or [])
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, str) and item.startswith("-") and item.lstrip("-") in swept:
            dropped.append(item)
            i += 2 if i + 1 < len(items) and not str(items[i + 1]).startswith("-") else 1
            continue
        kept.append(item)
        i += 1
    if dropped:
        warnings.warn("The same input parameter(s) are specified in estimator/run_config script params and HyperDrive "
                      "parameter space. HyperDrive parameter space definition will override these duplicate entries. "
                      f"{dropped} is the list of overridden parameter(s).", stacklevel=3)
    return kept


def search(hyperdrive_config: HyperDriveConfig, workspace: Any, experiment_name: str, **kwargs: Any) -> HyperDriveRun:
    """Submit a sweep (the SDK's ``azureml.train.hyperdrive._search.search``)."""
    definition, tags = sweep_definition(hyperdrive_config, workspace, experiment_name)
    run_id = hyperdrive_config._custom_run_id or new_sweep_id()
    parent = kwargs.get("_parent_run_id")
    workspace._context.runs.create_run(
        experiment_name, run_id, run_type=RUN_TYPE, status="Queued", parent_run_id=parent,
        target=definition["target"], definition=definition, tags=tags, enqueue_handler="",
        snapshot_id=definition[SWEEP_KEY]["child"]["snapshot_id"],
        properties={**SCRIPT_RUN_PROPERTIES, "azureml.runsource": "hyperdrive", "platform": hyperdrive_config._platform,
                    "primary_metric_config": tags["_aml_system_primary_metric_config"]})
    service_control.wake(workspace)
    experiment = Experiment(workspace, experiment_name, _skip_name_validation=True)
    return HyperDriveRun(experiment, run_id, hyperdrive_config=hyperdrive_config)
