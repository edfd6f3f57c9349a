"""Official v1 pipeline notebooks (Azure/MachineLearningNotebooks), executed as notebooks.

Each test copies the vendored notebook folder (``compat_tests/notebooks/official``) into a
fresh folder with a local workspace's ``config.json``, runs every cell with nbclient on a
kernel of this project's interpreter (``compat_tests/notebooks/harness.py``), then reads
back from the workspace what the notebook should have left behind. No cell is edited;
what the harness provides beforehand is listed in docs/compat-pipeline-notebooks.md.
The SDK names a test reads back with are imported after the notebook ran, so a name the
project lacks shows up as the notebook's failing cell, not as an import error of the test.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest

from compat_tests.notebooks.harness import NOTEBOOKS, OFFICIAL, execute, prepare_folder

TITANIC = "PassengerId,Survived,Pclass,Name,Sex,Age\n1,0,3,\"Braund, Mr. Owen Harris\",male,22\n" \
          "2,1,1,\"Cumings, Mrs. John Bradley\",female,38\n"


@pytest.fixture
def notebook_folder(tmp_path: Path, local_home: Path):
    """(folder, ws): the notebook folder copy and the workspace its config.json names."""
    return prepare_folder(tmp_path / "notebook")


def _finished(run) -> None:
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")


def test_vendored_files_are_unedited():
    """Every vendored file has the git blob id the README records for the upstream commit."""
    readme = (OFFICIAL / "README.md").read_text()
    recorded = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{40})` \|$", readme, re.M))
    present = {p.relative_to(NOTEBOOKS).as_posix(): p for p in NOTEBOOKS.rglob("*") if p.is_file()}
    assert sorted(present) == sorted(recorded)
    for name, path in present.items():
        data = path.read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == recorded[name], name


def test_data_dependency_steps(notebook_folder):
    """DataReference -> PipelineData chain -> DataPath parameter; outputs downloaded by the last cell."""
    from azureml.core import Experiment

    folder, ws = notebook_folder
    source = Path("Titanic.csv")
    source.write_text(TITANIC)
    ws.get_default_datastore().upload_files([str(source)], target_path="titanic", overwrite=True,
                                            show_progress=False)

    result = execute("aml-pipelines-with-data-dependency-steps.ipynb", folder)

    (run,) = Experiment(ws, "Data_dependency_sample").get_runs()
    assert run.get_status() == "Finished"
    steps = {s.name: s.get_status() for s in run.get_steps()}
    assert steps == {"train.py": "Finished", "extract.py": "Finished", "compare.py": "Finished"}
    text = result.text()
    assert "/test_data/Titanic.csv" in text  # train.py printed the mounted DataReference file
    for name in ("processed_data1", "processed_data2", "processed_data3"):  # the get_outputs() cell
        assert f"\tname: {name}\n\tdatastore: workspaceblobstore\n" in text


def _runs(ws, experiment: str) -> list:
    from azureml.core import Experiment

    return list(Experiment(ws, experiment).get_runs())


def _schedules(ws) -> dict:
    from azureml.pipeline.core import Schedule

    return {s.name: s for s in Schedule.list(ws, active_only=False)}


def test_datapath_and_pipelineparameter(notebook_folder):
    """DataPath parameter from the SDK and over REST (DataPathAssignments), then a datastore schedule."""
    folder, ws = notebook_folder
    text = execute("aml-pipelines-showcasing-datapath-and-pipelineparameter.ipynb", folder).text()
    from azureml.pipeline.core import PublishedPipeline

    # three runs of train_with_datapath.py: defaults, SDK parameters, REST assignments (all waited for)
    runs = _runs(ws, "showcasing-datapath")[::-1] + _runs(ws, "MyRestPipeline")
    assert [r.get_status() for r in runs] == ["Finished"] * 3
    assert [json.loads(r.get_properties()["azureml.parameters"]) for r in runs] == [
        {}, {"input_string": "sample_string2", "input_datapath": {"datastore": "workspaceblobstore",
                                                                  "path": "sample_datapath2"}},
        {"input_string": "sample_string3", "input_datapath": {"datastore": "workspaceblobstore",
                                                              "path": "sample_datapath3"}}]
    for n in (1, 2, 3):  # the step's own output, streamed by wait_for_completion()
        assert f"Sample string argument  : sample_string{n}" in text
    (published,) = [p for p in PublishedPipeline.list(ws) if p.name == "DataPath_Pipeline"]
    assert published.continue_on_step_failure is True
    schedule = _schedules(ws)["Datastore_trigger_schedule"]
    assert (schedule.status, schedule.pipeline_id, schedule.datastore_name, schedule.path_on_datastore,
            schedule.data_path_parameter_name) == ("Disabled", published.id, "workspaceblobstore",
                                                   "sample_datapath_for_folder", "input_datapath")


def _train_failed_without_input(run) -> None:
    """publish_run_train/train.py needs --input_data (upstream opens os.path.join(None)): the step fails,
    on Azure as here; these notebooks never wait for their runs, so the notebook itself passes."""
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"
    (step,) = run.get_steps()
    assert "TypeError" in step.get_details_with_logs()["error"]["error"]["message"]


def test_pipeline_drafts(notebook_folder):
    folder, ws = notebook_folder
    execute("aml-pipelines-how-to-use-pipeline-drafts.ipynb", folder)
    from azureml.pipeline.core import PipelineDraft, PublishedPipeline

    (draft,) = PipelineDraft.list(ws)
    assert (draft.name, draft.description, draft.tags, draft.properties) == (
        "UpdatedPipelineDraft", "has updated train step", {"dev": "true"}, {"train": "value"})
    (run,) = _runs(ws, "pipeline_draft_sample")
    assert draft.last_submitted_pipeline_run_id == run.id
    _train_failed_without_input(run)
    assert [s.name for s in run.get_steps()] == ["New_Training_Step"]  # the updated pipeline ran
    assert [p.name for p in PublishedPipeline.list(ws)] == ["UpdatedPipelineDraft"]


def test_versioned_pipeline_endpoints(notebook_folder):
    """Endpoint published from a Pipeline, a second version added and made default, renamed, then
    submitted over REST by name and version, by submit() with and without a version, by Experiment.submit."""
    folder, ws = notebook_folder
    execute("aml-pipelines-setup-versioned-pipeline-endpoints.ipynb", folder)
    from azureml.pipeline.core import PipelineEndpoint

    endpoint = PipelineEndpoint.get(workspace=ws, name="NewName")
    versions = {v.version: v.pipeline.id for v in endpoint.list_versions()}
    assert sorted(versions) == ["0", "1"] and endpoint.get_default_version() == "1"
    runs = {name: _runs(ws, name) for name in ("default_pipeline", "NewName", "submit_endpoint_sample")}
    assert [len(r) for r in runs.values()] == [1, 2, 1]
    assert runs["submit_endpoint_sample"][0].get_tags()["endpoint_tag"] == "1"
    # which version each submission ran: REST by name + version 0, submit(version "0") then submit()
    # (the default, "1"; get_runs lists the newest first), Experiment.submit(..., pipeline_version="0")
    ran = [r.get_properties()["azureml.pipelineid"] for r in sum(runs.values(), [])]
    assert ran == [versions["0"], versions["1"], versions["0"], versions["0"]]
    for run in sum(runs.values(), []):
        _train_failed_without_input(run)


def _wait_for(listing, timeout: float = 30.0) -> list:
    """``listing()`` once it is not empty (a schedule fires from the service, a moment after creation)."""
    deadline = time.monotonic() + timeout
    while not (found := listing()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_schedule_for_published_pipeline(notebook_folder):
    """Recurrence, datastore and pipeline-endpoint schedules; disabled, re-enabled, updated, listed."""
    folder, ws = notebook_folder
    execute("aml-pipelines-setup-schedule-for-a-published-pipeline.ipynb", folder)
    from azureml.pipeline.core import PipelineEndpoint, PublishedPipeline

    endpoint = PipelineEndpoint.get(workspace=ws, name="ScheduledPipelineEndpoint")
    published = {p.id for p in PublishedPipeline.list(ws)}
    assert len(published) == 2 and endpoint.get_pipeline().id in published
    schedules = _schedules(ws)
    assert sorted(schedules) == ["My_Endpoint_Schedule", "My_Schedule", "My_Updated_Schedule"]
    updated, on_data, on_endpoint = (schedules[n] for n in ("My_Updated_Schedule", "My_Schedule",
                                                            "My_Endpoint_Schedule"))
    assert (updated.status, updated.recurrence.frequency, updated.recurrence.interval,
            updated.description) == ("Disabled", "Hour", 2, "Updated_Schedule_Run")
    assert (on_data.status, on_data.datastore_name, on_data.polling_interval) == ("Disabled", "workspaceblobstore", 5)
    # the notebook leaves the endpoint schedule active (its last cell disables the recurrence one again);
    # created without a start_time, it starts its first run at creation, on the endpoint's default version
    assert (on_endpoint.status, on_endpoint.pipeline_endpoint_id) == ("Active", endpoint.id)
    (fired,) = _wait_for(on_endpoint.get_pipeline_runs)
    assert fired.experiment.name == "Schedule-run-sample"
    assert fired.get_properties()["azureml.pipelineid"] == endpoint.get_pipeline().id
    on_endpoint.disable(wait_for_provisioning=True)
    _train_failed_without_input(fired)


def test_publish_and_run_using_rest_endpoint(notebook_folder):
    """Publish from a Pipeline and from a PipelineRun, then POST with a parameter; the Titanic URL
    dataset is served from a local file through <home>/url_map.json (no network in CI)."""
    folder, ws = notebook_folder
    titanic = folder.parent / "Titanic.csv"
    titanic.write_text(TITANIC)
    home = Path(os.environ["AZUREML_LOCAL_HOME"])
    (home / "url_map.json").write_text(json.dumps({"https://dprepdata.blob.core.windows.net/demo/Titanic.csv":
                                                   str(titanic)}))
    execute("aml-pipelines-publish-and-run-using-rest-endpoint.ipynb", folder)
    from azureml.core import Dataset
    from azureml.pipeline.core import PublishedPipeline

    pipelines = {p.name: p for p in PublishedPipeline.list(ws)}
    assert sorted(pipelines) == ["My_New_Pipeline", "My_New_Pipeline2"]
    assert (pipelines["My_New_Pipeline2"].version, pipelines["My_New_Pipeline2"].continue_on_step_failure) == (
        "0.1", True)
    (sdk_run,) = _runs(ws, "Pipeline_experiment_sample")
    (rest_run,) = _runs(ws, "My_Pipeline1")
    for run in (sdk_run, rest_run):
        _finished(run)
    assert rest_run.get_properties()["azureml.pipelineid"] == pipelines["My_New_Pipeline"].id
    # processed_data3.register_on_complete("compare_result"): one version per finished compare step
    assert Dataset.get_by_name(ws, "compare_result").version == 2
    compare = next(s for s in rest_run.get_steps() if s.name == "compare.py")
    assert "Argument 4: 45" in compare.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
