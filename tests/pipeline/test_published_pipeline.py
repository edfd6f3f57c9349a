"""Pipeline.publish / PipelineRun.publish_pipeline / PublishedPipeline: stored, immutable, runnable.

The pipeline really runs through the workspace service; parameter values are read back from
the step's own output (its argv as printed by the script).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import ServiceException
from azureml.pipeline.core import Pipeline, PipelineParameter, PipelineRun, PublishedPipeline
from azureml.pipeline.steps import PythonScriptStep


def _argv_of(run) -> str:
    [step] = list(run.get_steps())
    return step.get_stdout_log()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "show.py").write_text("import sys\nprint('VERSION one ARGV', sys.argv[1:])\n")
    return folder


@pytest.fixture
def pipeline(ws, folder: Path) -> Pipeline:
    rate = PipelineParameter("rate", default_value=0.5)
    count = PipelineParameter("count", default_value=3)
    flag = PipelineParameter("flag", default_value=False)
    step = PythonScriptStep("show.py", name="show", source_directory=str(folder), compute_target="local",
                            arguments=["--rate", rate, "--count", count, "--flag", flag], allow_reuse=False)
    return Pipeline(ws, steps=[step], description="demo pipeline")


def test_publish_then_submit_runs_the_snapshot_with_parameters(ws, pipeline, folder, capsys):
    published = pipeline.publish(name="demo", description="the demo", version="1.0", continue_on_step_failure=True)
    printed = capsys.readouterr().out
    assert re.search(r"^Created step show \[[0-9a-f]{8}\]", printed, re.M)  # publish finalizes, as in the SDK
    assert (published.name, published.description, published.version, published.status) == \
        ("demo", "the demo", "1.0", "Active")
    assert published.total_run_steps == 1 and published.continue_on_step_failure is True
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/pipelines/v1\.0/subscriptions/sub-1/resourceGroups/rg-1/providers/"
                        r"Microsoft\.MachineLearningServices/workspaces/ws1/PipelineRuns/PipelineSubmit/"
                        + re.escape(published.id), published.endpoint)
    assert str(published) == (f"Pipeline(Name: demo,\nId: {published.id},\nStatus: Active,\n"
                              f"Endpoint: {published.endpoint})")
    assert published.get_step_names() == ["show"]

    (folder / "show.py").write_text("import sys\nprint('VERSION two ARGV', sys.argv[1:])\n")  # edit after publishing

    again = PublishedPipeline.get(ws, published.id)
    run = again.submit(ws, "published-exp", pipeline_parameters={"rate": 0.1, "count": 7, "flag": True})
    printed = capsys.readouterr().out
    assert printed.startswith(f"Submitted PipelineRun {run.id}\nLink to Azure Machine Learning Portal: ")
    assert run.wait_for_completion(show_output=False) == "Finished"
    out = _argv_of(run)
    assert "VERSION one" in out  # the published snapshot, not the edited folder
    assert "['--rate', '0.1', '--count', '7', '--flag', 'True']" in out
    assert [r.id for r in PipelineRun.get_pipeline_runs(ws, published.id)] == [run.id]
    assert run.get_properties()["azureml.pipelineid"] == published.id

    # Experiment.submit(published_pipeline): defaults when no parameters are given; deprecated pipeline_params
    run2 = Experiment(ws, "published-exp").submit(published, tags={"k": "v"})
    assert run2.wait_for_completion(show_output=False) == "Finished"
    assert "['--rate', '0.5', '--count', '3', '--flag', 'False']" in _argv_of(run2)
    assert run2.get_tags()["k"] == "v"


def test_experiment_submit_kwargs_and_deprecated_pipeline_params(ws, pipeline, caplog):
    published = pipeline.publish(name="demo")
    with caplog.at_level(logging.WARNING):
        run = Experiment(ws, "exp").submit(published, pipeline_params={"count": 9}, continue_on_step_failure=True)
    assert "The 'pipeline_params' argument is deprecated. Please use 'pipeline_parameters' instead." in caplog.text
    assert run.wait_for_completion(show_output=False) == "Finished"
    assert "'--count', '9'" in _argv_of(run)
    assert ws._context.pipeline_runs.get(run.id)["continue_on_step_failure"] == 1


def test_publish_pipeline_from_a_finished_run(ws, pipeline):
    run = Experiment(ws, "exp").submit(pipeline, pipeline_parameters={"count": 5})
    assert run.wait_for_completion(show_output=False) == "Finished"
    published = run.publish_pipeline(name="from-run", description="published from a run", version="2")
    assert (published.name, published.version, published.continue_on_step_failure) == ("from-run", "2", None)
    assert published.get_graph()["steps"][0]["name"] == "show"
    second = published.submit(ws, "exp2", pipeline_parameters={"rate": "0.25"})
    assert second.wait_for_completion(show_output=False) == "Finished"
    assert "['--rate', '0.25', '--count', '3', '--flag', 'False']" in _argv_of(second)
    with pytest.raises(ValueError, match="parameter bogus is not recognized for method PipelineRun.publish_pipeline"):
        run.publish_pipeline(name="x", description="y", version="1", bogus=1)


def test_disable_enable_list_and_errors(ws, pipeline, caplog):
    published = pipeline.publish(name="demo")
    other = pipeline.publish(name="other")
    assert [p.id for p in PublishedPipeline.list(ws)] == [published.id, other.id]
    published.disable()
    assert published.status == "Disabled" and PublishedPipeline.get(ws, published.id).status == "Disabled"
    assert [p.id for p in PublishedPipeline.list(ws)] == [other.id]
    assert [p.id for p in PublishedPipeline.list(ws, active_only=False)] == [published.id, other.id]
    with caplog.at_level(logging.WARNING):
        assert [p.id for p in PublishedPipeline.get_all(ws)] == [other.id]
    assert "PublishedPipeline.get_all(workspace) is being deprecated. Use PublishedPipeline.list(workspace) " \
        "instead." in caplog.text

    runs_before = ws._store.query_one("SELECT COUNT(*) FROM runs")[0]
    with pytest.raises(ServiceException, match="is Disabled") as info:
        published.submit(ws, "exp")
    assert info.value.status_code == 409
    with pytest.raises(ServiceException, match="cannot be converted to int") as info:
        other.submit(ws, "exp", pipeline_parameters={"count": 0.5})
    assert info.value.status_code == 400
    with pytest.raises(ServiceException, match="no parameter named 'nope'"):
        other.submit(ws, "exp", pipeline_parameters={"nope": 1})
    with pytest.raises(Exception, match=r"^Invalid parameter type <class 'list'>$"):
        other.submit(ws, "exp", pipeline_parameters={"count": [1]})
    from azureml.exceptions import UserErrorException
    with pytest.raises(UserErrorException):
        other.submit(ws, "bad name!")
    assert ws._store.query_one("SELECT COUNT(*) FROM runs")[0] == runs_before

    published.enable()
    assert published.status == "Active"
    with pytest.raises(ServiceException, match="No published pipeline with id 'missing'") as info:
        PublishedPipeline.get(ws, "missing")
    assert info.value.status_code == 404


def test_save_writes_the_definition(ws, pipeline, tmp_path):
    published = pipeline.publish(name="demo")
    published.save(str(tmp_path))
    assert '"name": "show"' in (tmp_path / "demo.yml").read_text()


def test_reading_the_endpoint_starts_the_service(ws, pipeline):
    import time

    from azureml_local.service import control as service_control, urls

    published = pipeline.publish(name="demo")
    service_control.stop_service(ws)
    assert service_control.service_info(ws) is None
    url = PublishedPipeline.get(ws, published.id).endpoint  # e.g. after a reboot: the URL must answer again
    deadline = time.monotonic() + 30
    while service_control.service_info(ws) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert service_control.service_info(ws) is not None  # (the service binding the URL's port is i8-rest's part)
    assert url.startswith(urls.base_url(ws) + "/pipelines/v1.0/")
