"""Facade table for hyperparameter sweeps and the rest of azureml-train-core: azureml.train.hyperdrive.*, HyperDriveStep."""

_H = "azureml_local.hyperdrive"
_T = "azureml_local.train.estimators"
_E = "azureml_local.pipeline.steps.estimator"

_EXPRESSIONS = {name: f"{_H}.parameter_expressions:{name}" for name in (
    "choice", "randint", "uniform", "quniform", "loguniform", "qloguniform", "normal", "qnormal", "lognormal",
    "qlognormal")}
_SAMPLING = {name: f"{_H}.sampling:{name}" for name in (
    "HyperParameterSampling", "RandomParameterSampling", "GridParameterSampling", "BayesianParameterSampling")}
_POLICY = {name: f"{_H}.policy:{name}" for name in (
    "EarlyTerminationPolicy", "BanditPolicy", "MedianStoppingPolicy", "TruncationSelectionPolicy",
    "NoTerminationPolicy")}
_CONFIG = {name: f"{_H}.config:{name}" for name in ("HyperDriveConfig", "HyperDriveRunConfig", "PrimaryMetricGoal")}
_RUN = {"HyperDriveRun": f"{_H}.run:HyperDriveRun"}
_EXCEPTIONS = {name: f"{_H}.exceptions:{name}" for name in (
    "HyperDriveException", "HyperDriveServiceException", "HyperDriveConfigException",
    "HyperDriveScenarioNotSupportedException", "HyperDriveNotImplementedException", "HyperDriveRehydrateException")}
_BACKENDS = {name: f"{_T}:{name}" for name in ("Mpi", "ParameterServer", "Gloo", "Nccl")}
_STEP = {"HyperDriveStep": f"{_H}.step:HyperDriveStep", "HyperDriveStepRun": f"{_H}.step:HyperDriveStepRun"}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.train.hyperdrive": {**_EXPRESSIONS, **_SAMPLING, **_POLICY, **_CONFIG, **_RUN},
    "azureml.train.hyperdrive.parameter_expressions": dict(_EXPRESSIONS),
    "azureml.train.hyperdrive.sampling": dict(_SAMPLING),
    "azureml.train.hyperdrive.policy": dict(_POLICY),
    "azureml.train.hyperdrive.runconfig": {**_CONFIG, "MAX_DURATION_MINUTES": f"{_H}.config:MAX_DURATION_MINUTES",
                                           "BayesianParameterSampling": _SAMPLING["BayesianParameterSampling"],
                                           "NoTerminationPolicy": _POLICY["NoTerminationPolicy"]},
    # notebooks write `from azureml.train.hyperdrive.run import PrimaryMetricGoal` (it works with the SDK)
    "azureml.train.hyperdrive.run": {**_RUN, "PrimaryMetricGoal": _CONFIG["PrimaryMetricGoal"],
                                     "HyperDriveConfig": _CONFIG["HyperDriveConfig"]},
    "azureml.train.hyperdrive.exceptions": dict(_EXCEPTIONS),
    "azureml.train.estimator": {"Estimator": f"{_E}:Estimator", "MMLBaseEstimator": f"{_E}:MMLBaseEstimator",
                                **_BACKENDS},
    "azureml.train.dnn": {"PyTorch": f"{_T}:PyTorch", "TensorFlow": f"{_T}:TensorFlow",
                          "Chainer": f"{_T}:Chainer", **_BACKENDS},
    "azureml.train.sklearn": {"SKLearn": f"{_T}:SKLearn"},
    "azureml.pipeline.steps": dict(_STEP),
    "azureml.pipeline.steps.hyper_drive_step": dict(_STEP),
}
