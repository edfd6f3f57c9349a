"""Construction-time errors: the SDK's exception types and messages (reference section g)."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import (
    InputPortBinding, Pipeline, PipelineData, PipelineParameter, StepSequence,
)
from azureml.pipeline.steps import CommandStep, PythonScriptStep


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "a.py").write_text("print('hi')\n")
    return folder


def _step(scripts: Path, **kw):
    kw.setdefault("source_directory", str(scripts))
    kw.setdefault("compute_target", "local")
    return PythonScriptStep(script_name=kw.pop("script_name", "a.py"), **kw)


@pytest.mark.parametrize("name,message", [
    ("", "PipelineData name cannot be empty"),
    ("bad name", r"PipelineData name: \[bad name\] is not a valid, as it may contain only letters, digits, "
                 "and underscores."),
])
def test_pipeline_data_names(name, message):
    with pytest.raises(ValueError, match=message):
        PipelineData(name)


def test_pipeline_data_mode():
    with pytest.raises(ValueError, match=r"Invalid output mode \[copy\]"):
        PipelineData("x", output_mode="copy")
    with pytest.raises(ValueError, match=r"Input \[x\] has an invalid mode \[direct\]"):
        PipelineData("x").create_input_binding(mode="direct")


def test_parameter_default_type():
    with pytest.raises(ValueError, match="Default value is of unsupported type: list"):
        PipelineParameter("p", [1])


def test_script_name_required_and_string(scripts):
    with pytest.raises(ValueError, match="script_name is required"):
        PythonScriptStep(script_name=None, source_directory=str(scripts))
    with pytest.raises(ValueError, match="script_name must be a string"):
        PythonScriptStep(script_name=3, source_directory=str(scripts))


def test_missing_script_raised_at_pipeline_construction(ws, scripts):
    step = _step(scripts, script_name="nope.py", name="prep")
    with pytest.raises(ValueError, match=r"Step \[prep\]: script not found at: .*nope.py. Make sure to specify an "
                                         "appropriate source_directory on the Step or default_source_directory"):
        Pipeline(ws, steps=[step])


def test_default_source_directory_used(ws, scripts):
    step = PythonScriptStep(script_name="a.py", name="s", compute_target="local")
    pipeline = Pipeline(ws, steps=[step], default_source_directory=str(scripts))
    assert pipeline._definition(snapshot=False)["steps"][0]["source_directory"] == str(scripts)


def test_bad_port_names_and_repeats(scripts):
    with pytest.raises(ValueError, match=r"\[in put\] is not a valid input name as it may contain only letters"):
        _step(scripts, inputs=[InputPortBinding("in put", bind_object=PipelineData("d"))])
    d = PipelineData("d")
    with pytest.raises(ValueError, match=r"\[d\] is repeated. Output port names must be unique."):
        _step(scripts, outputs=[d, PipelineData("d")])


def test_input_output_name_collision_is_renamed(ws, scripts):
    upstream = PipelineData("data")
    producer = _step(scripts, name="p", outputs=[upstream], arguments=["--o", upstream])
    same_name_out = PipelineData("data")
    consumer = _step(scripts, name="c", inputs=[upstream], outputs=[same_name_out],
                     arguments=["--i", upstream, "--o", same_name_out])
    steps = {s["name"]: s for s in Pipeline(ws, steps=[producer, consumer])._definition(snapshot=False)["steps"]}
    assert [i["name"] for i in steps["c"]["inputs"]] == ["INPUT_data"]
    assert steps["c"]["arguments"] == [{"literal": "--i"}, {"input": "INPUT_data"},
                                       {"literal": "--o"}, {"output": "data"}]


def test_argument_not_in_inputs(scripts):
    d = PipelineData("d")
    with pytest.raises(ValueError, match="Input/Output d appears in arguments list but is not in the input/output "
                                         "lists"):
        _step(scripts, arguments=["--x", d])
    binding = d.as_download()
    with pytest.raises(ValueError, match="Input d appears in arguments list but is not in the input list"):
        _step(scripts, arguments=["--x", binding])


def test_unexpected_port_types(scripts):
    with pytest.raises(ValueError, match="Unexpected input type: <class 'str'>"):
        _step(scripts, inputs=["data.csv"])
    with pytest.raises(ValueError, match="Unexpected output type: <class 'int'>"):
        _step(scripts, outputs=[3])


def test_unconnected_input(ws, scripts):
    d = PipelineData("orphan")
    consumer = _step(scripts, name="train", inputs=[d], arguments=["--i", d])
    with pytest.raises(ValueError, match="Input orphan on step train is not connected to any previous step"):
        Pipeline(ws, steps=[consumer])


def test_output_of_two_steps(ws, scripts):
    d = PipelineData("shared")
    first = _step(scripts, name="first", outputs=[d])
    second = _step(scripts, name="second", outputs=[d])
    with pytest.raises(ValueError, match="Step output shared can not be used as an output for step first, as it "
                                         "is already an output of step second."):
        Pipeline(ws, steps=[first, second])


def test_unsupported_collection_and_kwargs(ws, scripts):
    with pytest.raises(NotImplementedError, match="Can not add object of type tuple to Pipeline."):
        Pipeline(ws, steps=(_step(scripts),))
    with pytest.raises(ValueError, match="parameter colour is not recognized for Pipeline "):
        Pipeline(ws, steps=[_step(scripts)], colour="red")


def test_pipeline_data_without_producer_as_steps(ws):
    with pytest.raises(ValueError, match=r"Cannot build graph as step output \[lonely\] does not have a producer"):
        Pipeline(ws, steps=PipelineData("lonely"))


def test_pipeline_parameter_conflicts(ws, scripts):
    a = _step(scripts, name="a", arguments=[PipelineParameter("p", 1)])
    b = _step(scripts, name="b", arguments=[PipelineParameter("p", 2)])
    with pytest.raises(Exception, match="Pipeline parameters with same name p but different values 1, 2 used"):
        Pipeline(ws, steps=StepSequence([a, b]))
    with pytest.raises(Exception, match="Parameter name p is already in use"):
        _step(scripts, params={"p": 5}, arguments=[PipelineParameter("p", 1)])
    with pytest.raises(ValueError, match="Runconfig property name Colour is not valid"):
        _step(scripts, runconfig_pipeline_params={"Colour": PipelineParameter("c", 1)})
    with pytest.raises(ValueError, match="Runconfig property Target is not parameterizable"):
        _step(scripts, runconfig_pipeline_params={"Target": PipelineParameter("t", "x")})
    with pytest.raises(ValueError, match="Invalid type \\(int\\) for parameter NodeCount. Expected type is "
                                         "PipelineParameter"):
        _step(scripts, runconfig_pipeline_params={"NodeCount": 2})
    with pytest.raises(ValueError, match="Duplicate parameter NodeCount in params and runconfig_pipeline_params"):
        _step(scripts, params={"NodeCount": 1}, runconfig_pipeline_params={"NodeCount": PipelineParameter("n", 1)})


def test_submit_parameter_checks(ws, scripts):
    pipeline = Pipeline(ws, steps=[_step(scripts, arguments=[PipelineParameter("reg", 0.1)])])
    with pytest.raises(Exception, match="Pipeline parameter with name nope does not exist"):
        pipeline.submit("exp", pipeline_parameters={"nope": 1})
    with pytest.raises(Exception, match="Expected type of the pipeline parameter reg is float, but the value 1 "
                                        "provided is of type int"):
        pipeline.submit("exp", pipeline_parameters={"reg": 1})
    with pytest.raises(ValueError, match="^parameter colour is not recognized for Pipeline $"):
        pipeline.submit("exp", colour="red")


def test_command_step(ws, scripts):
    with pytest.raises(ValueError, match="command is required either from command directly or runconfig."):
        CommandStep()
    with pytest.raises(ValueError, match="source_directory should be an existing directory"):
        CommandStep("python a.py", source_directory=str(scripts / "missing"))
    d = PipelineData("out")
    step = CommandStep(["python a.py --out", d], outputs=[d], source_directory=str(scripts), compute_target="local")
    assert step.name == "CommandStep_python"
    entry = Pipeline(ws, steps=[step])._definition(snapshot=False)["steps"][0]
    assert entry["command"] == [{"literal": "python"}, {"literal": "a.py"}, {"literal": "--out"}, {"output": "out"}]
    assert entry["arguments"] == [{"literal": "a.py"}, {"literal": "--out"}, {"output": "out"}]


@pytest.mark.parametrize("experiment_name", ["bad name!", None, ""])
def test_bad_experiment_name_fails_before_anything_is_recorded(ws, scripts, capsys, experiment_name):
    from azureml_local.exceptions import UserErrorException

    pipeline = Pipeline(ws, steps=[_step(scripts)])
    with pytest.raises(UserErrorException, match="Experiment name must be between 1 and 255 characters long"):
        pipeline.submit(experiment_name)
    assert "Created step" not in capsys.readouterr().out
    assert ws._store.query("SELECT run_id FROM pipeline_runs") == []


def test_intermediate_dataset_without_producer(ws, scripts):
    lonely = PipelineData("lonely")
    consumer = _step(scripts, name="c", inputs=[lonely.as_dataset().as_named_input("x")])
    with pytest.raises(ValueError, match='^The intermediate data "lonely" does not have any producer step.$'):
        Pipeline(ws, steps=[consumer])


def test_intermediate_dataset_input_needs_a_promoted_output(ws, scripts):
    data = PipelineData("feats")
    producer = _step(scripts, name="p", outputs=[data])
    consumer = _step(scripts, name="c", inputs=[data.as_dataset().as_named_input("x")])
    with pytest.raises(ValueError, match='^Input "x" is expected to be consumed as a dataset but the output "feats" '
                                         'is not promoted to a dataset. Please make sure you\'ve passed the object '
                                         'returned by as_dataset to the outputs parameter of the step.$'):
        Pipeline(ws, steps=[producer, consumer])
    promoted = PipelineData("feats2")
    producer = _step(scripts, name="p", outputs=[promoted.as_dataset()])
    consumer = _step(scripts, name="c", inputs=[promoted.as_dataset().as_named_input("x")])
    Pipeline(ws, steps=[consumer])  # the producer (pulled in by resolve_closure) promotes it
