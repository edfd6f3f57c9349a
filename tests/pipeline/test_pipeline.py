"""Pipeline.submit / Experiment.submit: what is printed, what reaches the runner, reuse eligibility."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import PythonScriptStep


@pytest.fixture
def pipeline(ws, tmp_path: Path):
    from azureml.data.data_reference import DataReference

    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "a.py").write_text("import sys, os\nos.makedirs(sys.argv[-1], exist_ok=True)\n")
    ref = DataReference(ws.get_default_datastore(), data_reference_name="raw", path_on_datastore="raw/")
    out = PipelineData("o")
    step = PythonScriptStep("a.py", name="only", source_directory=str(folder), compute_target="local",
                            inputs=[ref], outputs=[out], arguments=["--i", ref, "--o", out])
    return Pipeline(ws, steps=[step], description="demo")


def test_submit_prints_sdk_lines_and_reuse_eligibility(ws, pipeline, capsys):
    from azureml.core import Experiment

    run = Experiment(ws, "demo").submit(pipeline, tags={"k": "v"})
    printed = capsys.readouterr().out
    assert re.search(r"^Created step only \[[0-9a-f]{8}\]\[[0-9a-f-]{36}\], \(This step will run and generate new "
                     r"outputs\)$", printed, re.M)
    assert re.search(r"^Created data reference raw for StepId \[[0-9a-f]{8}\]\[[0-9a-f-]{36}\], \(Consumers of this "
                     r"data will generate new runs\.\)$", printed, re.M)
    assert f"Submitted PipelineRun {run.id}\nLink to Azure Machine Learning Portal: " in printed
    assert run.wait_for_completion(show_output=False) == "Finished"
    assert run.get_tags()["k"] == "v"
    capsys.readouterr()

    # The SDK finalizes a Pipeline once: submitting the same object again prints no step lines.
    again = pipeline.submit("demo")
    printed = capsys.readouterr().out
    assert "Created step" not in printed and "data reference" not in printed
    assert printed.startswith(f"Submitted PipelineRun {again.id}\n")
    assert again.wait_for_completion(show_output=False) == "Finished"
    capsys.readouterr()

    steps = [node.step for node in pipeline.graph.nodes.values()]
    second = Pipeline(ws, steps=steps, description="demo").submit("demo")  # a new object is finalized anew
    printed = capsys.readouterr().out
    assert "(This step is eligible to reuse a previous run's output)" in printed
    assert "Using data reference raw for StepId" in printed
    assert second.wait_for_completion(show_output=False) == "Finished"
    capsys.readouterr()

    pipeline.submit("demo", regenerate_outputs=True).wait_for_completion(show_output=False)
    printed = capsys.readouterr().out
    assert "(This step will run and generate new outputs)" in printed
    assert "data reference" not in printed


def test_regenerate_outputs_creates_data_references_anew(ws, pipeline, capsys):
    pipeline.submit("demo").wait_for_completion(show_output=False)
    steps = [node.step for node in pipeline.graph.nodes.values()]
    capsys.readouterr()
    Pipeline(ws, steps=steps).submit("demo", regenerate_outputs=True).wait_for_completion(show_output=False)
    printed = capsys.readouterr().out
    assert "(This step will run and generate new outputs)" in printed
    assert re.search(r"^Created data reference raw for StepId \[[0-9a-f]{8}\]\[[0-9a-f-]{36}\], \(Consumers of "
                     r"this data will generate new runs\.\)$", printed, re.M)
    assert "Using data reference" not in printed


def test_validate_after_submit_prints_nothing(pipeline, capsys):
    pipeline.submit("demo").wait_for_completion(show_output=False)
    capsys.readouterr()
    assert pipeline.validate() == []
    assert capsys.readouterr().out == ""


def test_validate_dry_run(pipeline, capsys):
    assert pipeline.validate() == []
    printed = capsys.readouterr().out
    assert re.search(r"^Step only is ready to be created \[[0-9a-f]{8}\]$", printed, re.M)
    assert "Data reference raw is ready to be created" in printed


def test_definition_reaches_the_run(ws, pipeline):
    run = pipeline.submit("demo", continue_on_step_failure=True)
    run.wait_for_completion(show_output=False)
    row = ws._store.query_one("SELECT definition, continue_on_step_failure FROM pipeline_runs WHERE run_id = ?",
                              (run.id,))
    assert row["continue_on_step_failure"] == 1
    assert '"description": "demo"' in row["definition"]


def test_output_of_a_previous_run_as_input(ws, tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "write.py").write_text("import os, sys\nos.makedirs(sys.argv[1], exist_ok=True)\n"
                                     "open(os.path.join(sys.argv[1], 'x.txt'), 'w').write('hello')\n")
    (folder / "read.py").write_text("import os, sys\nassert open(os.path.join(sys.argv[1], 'x.txt')).read() == 'hello'\n")
    out = PipelineData("result")
    writer = PythonScriptStep("write.py", name="writer", source_directory=str(folder), compute_target="local",
                              outputs=[out], arguments=[out])
    first = Pipeline(ws, steps=[writer]).submit("chain")
    assert first.wait_for_completion(show_output=False) == "Finished"
    previous = first.find_step_run("writer")[0].get_output_data("result")  # a PortDataReference
    reader = PythonScriptStep("read.py", name="reader", source_directory=str(folder), compute_target="local",
                              inputs=[previous], arguments=[previous])
    pipeline = Pipeline(ws, steps=[reader])
    (inp,) = pipeline._definition(snapshot=False)["steps"][0]["inputs"]
    assert inp["kind"] == "datastore_path" and inp["path"] == previous.path_on_datastore
    assert pipeline.submit("chain").wait_for_completion(show_output=False) == "Finished"
