"""``Pipeline.load_yaml`` with the SDK's YAML format: parameters, data references, a ModuleStep and a
PythonScriptStep wired through a named PipelineData; then submitted and run. Bad YAML gets the SDK's messages."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ADD = textwrap.dedent("""\
    import argparse, os
    parser = argparse.ArgumentParser()
    parser.add_argument('--number_file')
    parser.add_argument('--add', type=int)
    parser.add_argument('--out')
    args = parser.parse_args()
    value = int(open(args.number_file).read()) + args.add
    print('added:', value, 'AML_PARAMETER_factor =', os.environ.get('AML_PARAMETER_factor'))
    os.makedirs(args.out, exist_ok=True)
    open(os.path.join(args.out, 'value.txt'), 'w').write(str(value))
""")
SHOW = textwrap.dedent("""\
    import argparse, os
    parser = argparse.ArgumentParser()
    parser.add_argument('--value')
    args = parser.parse_args()
    print('final value:', open(os.path.join(args.value, 'value.txt')).read())
""")
PIPELINE = textwrap.dedent("""\
    pipeline:
        description: SamplePipelineFromYaml
        parameters:
            AddParameter:
                type: int
                default: 5
        data_references:
            NumberFile:
                datastore: workspaceblobstore
                path_on_datastore: yaml_sample/number.txt
        default_compute: cpu-cluster
        steps:
            AddStep:
                type: ModuleStep
                name: "Adder"
                arguments:
                - '--number_file'
                - input:number
                - '--add'
                - parameter:ADD
                - '--out'
                - output:result
                parameters:
                    ADD:
                        source: AddParameter
                    factor: 3
                inputs:
                    number:
                        source: NumberFile
                        bind_mode: download
                outputs:
                    result:
                        destination: Sum
                        datastore: workspaceblobstore
                        bind_mode: mount
            ShowStep:
                type: PythonScriptStep
                name: show
                script_name: show.py
                source_directory: show
                allow_reuse: false
                arguments:
                - '--value'
                - input:value
                inputs:
                    value:
                        source: Sum
""")


@pytest.fixture
def project(ws, tmp_path, monkeypatch):
    from azureml.core import Datastore
    from azureml.pipeline.core.graph import InputPortDef, OutputPortDef
    from azureml.pipeline.core.module import Module

    from azureml.core.compute import AmlCompute, ComputeTarget

    monkeypatch.chdir(tmp_path)
    ComputeTarget.create(ws, "cpu-cluster", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_D2_V2", max_nodes=2)).wait_for_completion()
    for folder, name, text in (("add", "add.py", ADD), ("show", "show.py", SHOW)):
        Path(folder).mkdir()
        Path(folder, name).write_text(text)
    Path("number.txt").write_text("37")
    Datastore(ws, "workspaceblobstore").upload_files(["number.txt"], target_path="yaml_sample", overwrite=True,
                                                     show_progress=False)
    module = Module.create(ws, name="Adder", description="adds a number to the one in a file")
    module.publish_python_script("add.py", "v1", inputs=[InputPortDef(name="number")],
                                 outputs=[OutputPortDef(name="result", is_directory=True)], params={"factor": 1},
                                 version="1", source_directory="add")
    Path("pipeline.yml").write_text(PIPELINE)
    return ws


def test_load_yaml_builds_and_runs(project):
    from azureml.core import Experiment
    from azureml.pipeline.core import Pipeline

    ws = project
    pipeline = Pipeline.load_yaml(ws, "pipeline.yml")
    assert pipeline.description == "SamplePipelineFromYaml" if hasattr(pipeline, "description") else True
    run = Experiment(ws, "yaml_pipeline").submit(pipeline, pipeline_parameters={"AddParameter": 8})
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")
    text = {s.name: "".join(s.get_details_with_logs()["logFiles"].values()) for s in run.get_steps()}
    assert "added: 45 AML_PARAMETER_factor = 3" in text["AddStep"]
    assert "final value: 45" in text["show"]


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("pipeline:", "pipelines:"), 'Pipeline Yaml file must have a "pipeline:" section'),
    (lambda t: t.replace("type: int", "type: decimal"), "Parameter type decimal currently unsupported"),
    (lambda t: t.replace("source: AddParameter", "source: Nope"),
     "Parameter ADD for step AddStep is assigned to source Nope, which doesn't exist"),
    (lambda t: t.replace("bind_mode: download", "bind_mode: direct"),
     "Input bind_mode/type direct for input number in step AddStep must be mount or download"),
    (lambda t: t.replace("destination: Sum", "dest: Sum"), "Output result for step AddStep must have a destination"),
    (lambda t: t.replace("script_name: show.py", "script: show.py"),
     "Step python_script_step does not contain a script name "),
    (lambda t: t.replace('name: "Adder"', 'name: "NoSuchModule"'), "NoSuchModule"),
    (lambda t: t.replace("type: PythonScriptStep", "type: DataTransferStep"),
     "steps of type DataTransferStep in a pipeline YAML are not supported"),
])
def test_bad_yaml_messages(project, edit, message):
    from azureml.pipeline.core import Pipeline

    Path("bad.yml").write_text(edit(PIPELINE))
    with pytest.raises(ValueError) as info:
        Pipeline.load_yaml(project, "bad.yml")
    assert message in str(info.value)
