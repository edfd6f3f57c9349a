"""argv and environment of a step (pure functions of jobs/arguments.py)."""
from __future__ import annotations

from azureml_local.jobs.arguments import (
    Bindings, build_argv, build_env, parameter_env_name, step_param_env,
)


def _bindings():
    b = Bindings(parameters={"rate": 0.5, "my-param": "x"}, inputs={"i": "/in"}, outputs={"o": "/out"},
                 input_modes={"i": "mount"}, dataset_inputs={"i"}, file_dataset_outputs={"o"})
    b.step_params = step_param_env({"params": {"k": "v", "r": {"parameter": "rate"}}}, b)
    return b


def test_annotated_and_textual_placeholders():
    argv = build_argv([{"literal": "--in"}, {"input": "i"}, {"output": "o"}, {"parameter": "rate"},
                       "--k=$AML_PARAMETER_k", "$AML_PARAMETER_my_param", "$AZUREML_DATAREFERENCE_i",
                       "DatasetConsumptionConfig:i", "DatasetOutputConfig:o", "$AML_PARAMETER_unknown"], _bindings())
    assert argv == ["--in", "/in", "/out", "0.5", "--k=v", "x", "/in", "/in", "/out", "$AML_PARAMETER_unknown"]


def test_environment_follows_the_cloud_runtime():
    step = {"params": {"k": "v", "r": {"parameter": "rate"}}, "environment_variables": {"E": 1},
            "runconfig": {"environment_variables": {"R": "2"}}}
    env = build_env(step, _bindings())
    assert env["AML_PARAMETER_rate"] == "0.5" and env["AML_PARAMETER_my_param"] == "x"
    assert env["AML_PARAMETER_k"] == "v" and env["AML_PARAMETER_r"] == "0.5"
    assert env["i"] == env["AZUREML_DATAREFERENCE_i"] == env["AZURE_ML_INPUT_i"] == "/in"
    assert env["o"] == env["AZURE_ML_OUTPUT_o"] == "/out"
    assert env["AZUREML_DATASET_ENVIRONMENT_VARS"] == "i:mount"
    assert env["AZUREML_DATASET_FILE_OUTPUTS"] == "o"
    assert env["E"] == "1" and env["R"] == "2"
    assert parameter_env_name("a.b~c") == "AML_PARAMETER_a_b_c"
