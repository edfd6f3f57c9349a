"""The SDK's exception types and messages for every HyperDrive constructor."""
from __future__ import annotations

import contextlib
import warnings

import pytest

from azureml.core import ScriptRunConfig
from azureml.train.hyperdrive import (BanditPolicy, BayesianParameterSampling, GridParameterSampling,
                                      HyperDriveConfig, HyperDriveRunConfig, MedianStoppingPolicy, PrimaryMetricGoal,
                                      RandomParameterSampling, TruncationSelectionPolicy, choice, lognormal,
                                      loguniform, normal, qlognormal, qloguniform, qnormal, quniform, randint,
                                      uniform)
from azureml.train.hyperdrive.exceptions import HyperDriveConfigException


@contextlib.contextmanager
def _raises(message: str):
    """The SDK's exception type with exactly the SDK's message."""
    with pytest.raises(HyperDriveConfigException) as caught:
        yield
    assert caught.value.message == message


@pytest.mark.parametrize("call,message", [
    (lambda: choice(), "Please specify an input for choice."),
    (lambda: choice([1], 2), "choice expects non-empty single list, non-empty single range() or a positive number "
                             "of arbitrary comma separated inputs."),
    (lambda: choice([]), "choice expects non-empty single list, non-empty single range() or a positive number of "
                         "arbitrary comma separated inputs."),
    (lambda: randint(0), "randint expects a positive number as input"),
    (lambda: randint(2.5), "randint expects a positive number as input"),
    (lambda: uniform("a", 1), "uniform expects min_value to be a float"),
    (lambda: uniform(0, "b"), "uniform expects max_value to be a float"),
    (lambda: uniform(1, 1), "uniform expects min_value < max_value"),
    (lambda: quniform(0, 1, 0.5), "quniform expects q to be an int"),
    (lambda: quniform(2, 1, 1), "quniform expects min_value < max_value"),
    (lambda: loguniform(2, 1), "loguniform expects min_value <= max_value"),
    (lambda: qloguniform(0, 1, "q"), "qloguniform expects q to be an int"),
    (lambda: normal("m", 1), "normal expects mu to be a float"),
    (lambda: normal(0, -1), "normal expects sigma to be non negative"),
    (lambda: qnormal(0, 1, 0.3), "qnormal expects q to be an int"),
    (lambda: lognormal(0, "s"), "lognormal expects sigma to be a float"),
    (lambda: qlognormal(0, -1, 1), "qlognormal expects sigma to be non negative"),
])
def test_parameter_expressions(call, message):
    with _raises(message):
        call()


def test_expression_forms():
    assert choice(1, 2) == ["choice", [[1, 2]]] and choice([1, 2]) == choice(range(1, 3))
    assert quniform(1, 10, 2.0) == ["quniform", [1, 10, 2.0]] and loguniform(1, 1) == ["loguniform", [1, 1]]


def test_samplings():
    with _raises("This sampling method expects only the following distributions: [choice]"):
        GridParameterSampling({"lr": uniform(0, 1)})
    with _raises("BayesianParameterSampling expects parameter_space to not be None or empty."):
        BayesianParameterSampling(None)
    with pytest.raises(HyperDriveConfigException, match="only the following distributions"):
        BayesianParameterSampling({"lr": normal(0, 1)})
    with _raises("Failed to validate a parameter distribution due to Expected quniform arguments to be int."):
        BayesianParameterSampling({"n": quniform(0.5, 10, 1)})
    with _raises("Failed to validate a parameter distribution due to Either all or none of the 'choice' values "
                 "should be 'str' type."):
        BayesianParameterSampling({"n": choice(1, "a")})
    seeded = RandomParameterSampling({"lr": uniform(0, 1)}, properties={"rngSeed": 3})
    assert seeded.to_json() == {"name": "RANDOM", "parameter_space": {"lr": ["uniform", [0, 1]]},
                                "properties": {"rngSeed": 3}}


def test_policies():
    with _raises("Bandit termination policy expects exactly one of slack factor or slack amount to be set."):
        BanditPolicy()
    with _raises("Bandit termination policy expects exactly one of slack factor or slack amount to be set."):
        BanditPolicy(slack_factor=0.1, slack_amount=0.2)
    with _raises("Expected type int for evaluation_interval but got [Scrubbed]"):
        BanditPolicy(evaluation_interval=1.5, slack_factor=0.1)
    with _raises("Expected type int for delay_evaluation but got [Scrubbed]"):
        MedianStoppingPolicy(delay_evaluation="5")
    with _raises("truncation_percentage expects value to be between 1 and 99."):
        TruncationSelectionPolicy(truncation_percentage=100)
    with _raises("Expected type int for truncation_percentage but got [Scrubbed]"):
        TruncationSelectionPolicy(truncation_percentage=0.5)
    assert BanditPolicy(slack_amount=0.2, evaluation_interval=2).to_json() == {
        "name": "Bandit", "properties": {"evaluation_interval": 2, "delay_evaluation": 0, "slack_amount": 0.2}}
    assert TruncationSelectionPolicy(10).to_json()["properties"]["exclude_finished_jobs"] is False


def test_hyperdrive_config(tmp_path):
    sampling = GridParameterSampling({"a": choice(1, 2)})
    goal = PrimaryMetricGoal.MAXIMIZE
    src = ScriptRunConfig(str(tmp_path), script="train.py")
    with _raises("HyperDriveConfig expects at least one of estimator, run_config, pipeline to be set"):
        HyperDriveConfig(sampling, "acc", goal, 4)
    with _raises("HyperDriveConfig expects only one of estimator, run_config, pipeline to be set"):
        HyperDriveConfig(sampling, "acc", goal, 4, run_config=src, estimator=object())
    with _raises("Expected type ScriptRunConfig for run_config but got [Scrubbed]"):
        HyperDriveConfig(sampling, "acc", goal, 4, run_config="train.py")
    with _raises("HyperDriveConfig expects hyperparameter_sampling to be set"):
        HyperDriveConfig(None, "acc", goal, 4, run_config=src)
    config = HyperDriveConfig(sampling, "acc", PrimaryMetricGoal.MINIMIZE, 4, run_config=src)
    assert config._max_concurrent_runs == 4 and config._policy_config == {"name": "Default"}
    assert config._primary_metric_config == {"name": "acc", "goal": "minimize"}
    assert config.run_config is src and config.source_directory == str(tmp_path)
    with pytest.warns(UserWarning, match="exceeds the service limit of 10080 minutes"):
        HyperDriveConfig(sampling, "acc", goal, 4, run_config=src, max_duration_minutes=20000)
    with pytest.warns(UserWarning, match="Recommendend value:40"):
        HyperDriveConfig(BayesianParameterSampling({"a": choice(1, 2), "b": uniform(0, 1)}), "acc", goal, 4,
                         run_config=src)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        HyperDriveRunConfig(estimator=object(), hyperparameter_sampling=sampling, primary_metric_name="acc",
                            primary_metric_goal=goal, max_total_runs=2)
    assert any("HyperDriveRunConfig is deprecated" in str(w.message) for w in caught)
    assert PrimaryMetricGoal.from_str("maximize") is PrimaryMetricGoal.MAXIMIZE


def test_hyperdrive_step(tmp_path):
    from azureml.pipeline.steps import HyperDriveStep

    (tmp_path / "train.py").write_text("print(1)")
    src = ScriptRunConfig(str(tmp_path), script="train.py", arguments=["--x", 1])
    config = HyperDriveConfig(GridParameterSampling({"a": choice(1, 2)}), "acc", PrimaryMetricGoal.MAXIMIZE, 2,
                              run_config=src)
    with pytest.raises(ValueError, match="^name is required$"):
        HyperDriveStep(None, config)
    with pytest.raises(ValueError, match="^hyperdrive_config is required$"):
        HyperDriveStep("s", None)
    with pytest.raises(ValueError, match="^Unexpected hyperdrive_config type"):
        HyperDriveStep("s", object())
    with pytest.raises(ValueError, match="^estimator_entry_script_arguments expects arguments as a list.$"):
        HyperDriveStep("s", config, estimator_entry_script_arguments="--x")
    with pytest.raises(ValueError, match="^Only one of estimator_entry_script_arguments and ScriptRunConfig"):
        HyperDriveStep("s", config, estimator_entry_script_arguments=["--y"])
    with pytest.raises(ValueError, match="^Unexpected metrics_output type"):
        HyperDriveStep("s", config, metrics_output="metrics")
    step = HyperDriveStep("s", config)
    assert step.name == "s" and step.step_type == "HyperDriveStep"


def test_hyperdrive_step_with_an_estimator(tmp_path):
    from azureml.pipeline.steps import HyperDriveStep
    from azureml.train.estimator import Estimator

    (tmp_path / "train.py").write_text("print(1)")
    sampling = GridParameterSampling({"a": choice(1, 2)})

    def config(estimator):
        return HyperDriveConfig(sampling, "acc", PrimaryMetricGoal.MAXIMIZE, 2, estimator=estimator)

    with_params = Estimator(str(tmp_path), entry_script="train.py", script_params={"--x": 1}, compute_target="local")
    with pytest.raises(ValueError, match="^arguments in Estimator run_config should not be provided"):
        HyperDriveStep("s", config(with_params), estimator_entry_script_arguments=[])
    plain = Estimator(str(tmp_path), entry_script="train.py", compute_target="local")
    with pytest.raises(ValueError, match="^estimator_entry_script_arguments is a required parameter if using Estimator"):
        HyperDriveStep("s", config(plain))
    step = HyperDriveStep("s", config(plain), estimator_entry_script_arguments=["--x", 1])
    assert step._script_name == "train.py" and step._source_directory == str(tmp_path)
