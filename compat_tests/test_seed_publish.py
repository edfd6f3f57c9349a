"""The seed document's second half, executed unmodified: publish, publish from a run, REST, parameters, schedules.

Each block runs in a namespace holding what the seed's notebook had defined before it (as in
``test_seed_blocks.py``): ``ws``, ``Dataset``, ``experiment``, ``run_config``, and for the
publish block the pipeline it names (``pipeline``). The seed never shows how ``auth_header`` is
made; the namespace holds it as the course it comes from makes it:
``InteractiveLoginAuthentication().get_authentication_header()``. Outcomes are read back from the
workspace: published pipelines, runs followed with ``PipelineRun`` to Finished, step metrics
(the training step logs ``reg_rate``), schedules and the runs they start.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from compat_tests.seed.blocks import block_containing
from compat_tests.test_seed_blocks import BLOCK_PARAMETER, BLOCK_STEPS, SAMPLE, _run, _steps, seed  # noqa: F401

BLOCK_PUBLISH = "published_pipeline = pipeline.publish(name='training_pipeline'"
BLOCK_PUBLISH_FROM_RUN = "run.publish_pipeline(name='training_pipeline'"
BLOCK_ENDPOINT = "rest_endpoint = published_pipeline.endpoint"
BLOCK_REST = 'json={"ExperimentName": "run_training_pipeline"})'
BLOCK_REST_PARAMETER = '"ParameterAssignments": {"reg_rate": 0.1}'
BLOCK_DAILY = "daily = ScheduleRecurrence(frequency='Day', interval=1)"
BLOCK_ON_DATA = "training_datastore = Datastore(workspace=ws, name='blob_data')"
ENDPOINT = re.compile(r"^http://127\.0\.0\.1:\d+/pipelines/v1\.0/subscriptions/sub-compat/resourceGroups/rg-compat/"
                      r"providers/Microsoft\.MachineLearningServices/workspaces/compat/PipelineRuns/PipelineSubmit/"
                      r"(?P<id>[0-9a-f-]{36})$")
# The seed's parameter block builds its training step from 'data_prep.py' with '--in_folder' and '--reg'
# (the seed's slip: its training script is train_model.py, which reads exactly those). The scripts folder
# of the parameter test hands such a call on to train_model.py; the prepare call runs the seed's data_prep.py.
DISPATCH = ('import runpy, sys\n'
            'runpy.run_path("train_model.py" if "--in_folder" in sys.argv else "seed_data_prep.py", '
            'run_name="__main__")\n')


@pytest.fixture
def published(seed):
    """The namespace after the steps block, the seed's pipeline as ``pipeline``, and ``auth_header``."""
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core import Pipeline

    ns = _run(block_containing(BLOCK_STEPS), seed)
    ns["pipeline"] = Pipeline(seed["ws"], steps=[ns["step1"], ns["step2"]])
    ns["auth_header"] = InteractiveLoginAuthentication().get_authentication_header()
    return ns


def _follow(ws, experiment_name: str, run_id: str):
    """``PipelineRun(ws.experiments[name], run_id)`` followed to the end, as a user does after the POST."""
    from azureml.pipeline.core import PipelineRun

    run = PipelineRun(ws.experiments[experiment_name], run_id)
    assert run.wait_for_completion(show_output=False) == "Finished"
    return run


def test_publish_block_and_rest_call(published, capsys):
    from azureml.pipeline.core import PublishedPipeline

    ws = published["ws"]
    ns = _run(block_containing(BLOCK_PUBLISH), published)
    pp = ns["published_pipeline"]
    assert (pp.name, pp.description, pp.version, pp.status) == ("training_pipeline", "Model training pipeline",
                                                                "1.0", "Active")
    assert PublishedPipeline.get(ws, pp.id).name == "training_pipeline"

    ns = _run(block_containing(BLOCK_ENDPOINT), ns)
    match = ENDPOINT.match(ns["rest_endpoint"])
    assert match and match["id"] == pp.id
    assert ns["rest_endpoint"] in capsys.readouterr().out

    # A published pipeline is immutable: editing the source folder afterwards changes nothing it runs.
    Path("scripts/train_model.py").write_text("raise SystemExit('edited after publishing')\n")
    ns = _run(block_containing(BLOCK_REST), ns)
    assert ns["response"].status_code == 200
    assert ns["run_id"] in capsys.readouterr().out
    run = _follow(ws, "run_training_pipeline", ns["run_id"])
    steps = _steps(run)
    assert set(steps) == {"prepare data", "train model"}
    assert steps["train model"].get_metrics()["r2"] > 0.9


def test_publish_pipeline_from_run_block(published):
    ws = published["ws"]
    first = published["experiment"].submit(published["pipeline"])
    assert first.wait_for_completion(show_output=False) == "Finished"

    ns = _run(block_containing(BLOCK_PUBLISH_FROM_RUN), published)
    assert ns["run"].id == first.id  # 'the most recent run of the pipeline'
    pp = ns["published_pipeline"]
    assert (pp.name, pp.description, pp.version) == ("training_pipeline", "Model training pipeline", "1.0")

    ns = _run(block_containing(BLOCK_ENDPOINT), ns)
    ns = _run(block_containing(BLOCK_REST), ns)
    run = _follow(ws, "run_training_pipeline", ns["run_id"])
    assert set(_steps(run)) == {"prepare data", "train model"}


def test_parameter_blocks_over_rest(seed):
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core import Pipeline

    scripts = Path("scripts")
    (scripts / "data_prep.py").rename(scripts / "seed_data_prep.py")
    (scripts / "data_prep.py").write_text(DISPATCH)
    ns = _run(block_containing(BLOCK_STEPS), seed)
    ns = _run(block_containing(BLOCK_PARAMETER), ns)  # step2: the training step with '--reg', reg_param
    ns["pipeline"] = Pipeline(seed["ws"], steps=[ns["step1"], ns["step2"]])
    ns["auth_header"] = InteractiveLoginAuthentication().get_authentication_header()
    ns = _run(block_containing(BLOCK_PUBLISH), ns)
    ns = _run(block_containing(BLOCK_ENDPOINT), ns)

    ns = _run(block_containing(BLOCK_REST), ns)  # no assignment: the default 0.01
    default_run = _follow(seed["ws"], "run_training_pipeline", ns["run_id"])
    ns = _run(block_containing(BLOCK_REST_PARAMETER), ns)
    assert ns["response"].status_code == 200
    assigned_run = _follow(seed["ws"], "run_training_pipeline", ns["response"].json()["Id"])

    assert _steps(default_run)["train model"].get_metrics()["reg_rate"] == 0.01
    assert _steps(assigned_run)["train model"].get_metrics()["reg_rate"] == 0.1


def _wait_for_runs(schedule, count: int, timeout: float = 60.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = schedule.get_pipeline_runs()
        if len(runs) >= count:
            return runs
        time.sleep(0.5)
    raise AssertionError(f"schedule {schedule.name!r} started {len(schedule.get_pipeline_runs())} run(s), "
                         f"expected {count} within {timeout:.0f} s")


@pytest.fixture
def driven_clock(tmp_path, monkeypatch):
    """The schedules' clock, driven through AZUREML_LOCAL_CLOCK_FILE (set before any service starts)."""
    from azureml_local.clock import CLOCK_FILE_ENV, FileClock

    clock = FileClock(tmp_path / "clock")
    clock.set(datetime.now(timezone.utc).replace(microsecond=0))
    monkeypatch.setenv(CLOCK_FILE_ENV, str(clock.path))
    return clock


def test_schedule_blocks(published, driven_clock):
    """The daily schedule fires at creation; the datastore one starts one run per new blob under its path."""
    from azureml.core import Datastore
    from azureml.pipeline.core import Schedule

    ws = published["ws"]
    ns = _run(block_containing(BLOCK_PUBLISH), published)
    ns = _run(block_containing(BLOCK_DAILY), ns)
    daily = ns["pipeline_schedule"]
    assert (daily.name, daily.status, daily.pipeline_id) == ("Daily Training", "Active",
                                                             ns["published_pipeline"].id)
    assert (daily.recurrence.frequency, daily.recurrence.interval) == ("Day", 1)
    # No start_time: the SDK documents that the first run starts at creation.
    (first,) = _wait_for_runs(daily, 1)
    assert first.experiment.name == "Training_Pipeline"
    assert first.wait_for_completion(show_output=False) == "Finished"

    Datastore.register_azure_blob_container(ws, "blob_data", container_name="training-data",
                                            account_name="trainingstorage", account_key="key",
                                            create_if_not_exists=True)
    ns["published_pipeline_id"] = ns["published_pipeline"].id
    ns = _run(block_containing(BLOCK_ON_DATA), ns)
    on_data = ns["pipeline_schedule"]
    assert (on_data.name, on_data.status, on_data.datastore_name, on_data.path_on_datastore,
            on_data.polling_interval) == ("Reactive Training", "Active", "blob_data", "data/training", 5)

    store = Datastore(ws, "blob_data")
    for n, name in enumerate(["week1.csv", "week2.csv"], start=1):
        Path(name).write_text("col1,col2,col3\n1,2,3\n")
        store.upload_files([name], target_path="data/training", overwrite=True, show_progress=False)
        Path("nested").mkdir(exist_ok=True)
        Path("nested", name).write_text("ignored\n")  # a subfolder of the path is not watched
        store.upload_files([str(Path("nested", name))], target_path="data/training/nested", overwrite=True,
                           show_progress=False)
        driven_clock.set(driven_clock.now() + timedelta(minutes=5))  # one polling interval
        runs = _wait_for_runs(on_data, n)
        assert len(runs) == n and runs[0].experiment.name == "Training_Pipeline"
        assert runs[0].wait_for_completion(show_output=False) == "Finished"
    driven_clock.set(driven_clock.now() + timedelta(minutes=5))  # nothing new: no run
    time.sleep(2)
    assert len(on_data.get_pipeline_runs()) == 2 and len(daily.get_pipeline_runs()) == 1

    daily.disable()
    on_data.disable()
    assert {s.name: s.status for s in Schedule.list(ws, active_only=False)} == {
        "Daily Training": "Disabled", "Reactive Training": "Disabled"}
