"""Schedules as a user writes them with the SDK, fired by the real workspace service.

* a weekly schedule at a time of day in Pacific time fires at the right UTC instants across both
  daylight-saving changes of 2026, under a driven clock (``AZUREML_LOCAL_CLOCK_FILE``: a file holding
  "now", docs/schedules.md), so weeks pass in milliseconds;
* a one-minute schedule fires in real time (slow on purpose: about 65 s);
* a datastore schedule starts one run per new blob directly under its path, with that blob's path;
* a fire that came due while the service was stopped happens once after it starts again.

The fire instants are read with ``azureml-local schedule history`` (the CLI shows what the cloud hides).
"""
from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import pytest

from azureml_local.cli import main as cli
from azureml_local.clock import CLOCK_FILE_ENV, FileClock
from azureml_local.service import control


@pytest.fixture
def clock(tmp_path, monkeypatch) -> FileClock:
    """Drive "now" for this process and for the service it starts (the service inherits the variable)."""
    monkeypatch.setenv(CLOCK_FILE_ENV, str(tmp_path / "now.txt"))
    clock = FileClock(tmp_path / "now.txt")
    clock.set(datetime.datetime(2026, 2, 25, tzinfo=datetime.timezone.utc))
    return clock


@pytest.fixture
def published_pipeline(ws):
    from azureml.data.datapath import DataPath, DataPathComputeBinding
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    Path("scripts").mkdir()
    Path("scripts/train.py").write_text("import sys\nprint('training on', open(sys.argv[2]).read())\n")
    datastore = ws.get_default_datastore()
    Path("seed.csv").write_text("seed")
    datastore.upload_files(["seed.csv"], target_path="incoming", overwrite=True, show_progress=False)
    input_path = PipelineParameter(name="input_path", default_value=DataPath(datastore, "incoming/seed.csv"))
    data_input = (input_path, DataPathComputeBinding(mode="download"))
    step = PythonScriptStep(name="train", script_name="train.py", source_directory="scripts", compute_target="local",
                            arguments=["--data", data_input], inputs=[data_input], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name="training", description="scheduled training")


def _wait_runs(schedule, count: int, timeout: float = 20.0) -> list:
    deadline = time.monotonic() + timeout
    runs = schedule.get_pipeline_runs()
    while len(runs) < count and time.monotonic() < deadline:
        time.sleep(0.05)
        runs = schedule.get_pipeline_runs()
    return runs


def _fired_instants(schedule_id: str, capsys) -> list[str]:
    capsys.readouterr()
    cli(["schedule", "history", schedule_id])
    return sorted(re.findall(r"^\s+(\S+Z)\s+time\s+Submitted", capsys.readouterr().out, re.M))


def test_weekly_schedule_in_pacific_time_fires_at_the_right_instants_across_dst(ws, published_pipeline, clock,
                                                                                 capsys):
    from azureml.pipeline.core import Schedule, ScheduleRecurrence, TimeZone

    recurrence = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="10:30",
                                    time_zone=TimeZone.PacificStandardTime,
                                    start_time=datetime.datetime(2026, 2, 23))
    schedule = Schedule.create(ws, name="weekly-training", pipeline_id=published_pipeline.id,
                               experiment_name="weekly-training", recurrence=recurrence)
    assert str(schedule).endswith("Recurrence Details: Runs at 10:30 on Monday every Week)")

    utc = datetime.timezone.utc
    clock.set(datetime.datetime(2026, 3, 2, 18, 29, 59, tzinfo=utc))  # 10:29:59 PST
    time.sleep(0.5)
    assert schedule.get_pipeline_runs() == []
    clock.set(datetime.datetime(2026, 3, 2, 18, 30, tzinfo=utc))  # Monday 10:30 PST
    assert len(_wait_runs(schedule, 1)) == 1
    # clocks go forward on Sunday 2026-03-08: the next Monday 10:30 is 17:30 UTC, an hour earlier
    clock.set(datetime.datetime(2026, 3, 9, 17, 30, tzinfo=utc))
    runs = _wait_runs(schedule, 2)
    assert len(runs) == 2
    clock.set(datetime.datetime(2026, 3, 9, 18, 31, tzinfo=utc))  # the old UTC hour: no extra fire
    time.sleep(0.5)
    assert len(schedule.get_pipeline_runs()) == 2
    assert runs[0].wait_for_completion(show_output=False) == "Finished"
    assert _fired_instants(schedule.id, capsys) == ["2026-03-02T18:30:00.000000Z", "2026-03-09T17:30:00.000000Z"]

    schedule.disable()  # jump to autumn without making up the weeks between
    autumn = Schedule.create(ws, name="weekly-autumn", pipeline_id=published_pipeline.id,
                             experiment_name="weekly-training",
                             recurrence=ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"],
                                                           time_of_day="10:30",
                                                           time_zone=TimeZone.PacificStandardTime,
                                                           start_time=datetime.datetime(2026, 10, 20)))
    clock.set(datetime.datetime(2026, 10, 26, 17, 30, tzinfo=utc))  # 10:30 PDT
    assert len(_wait_runs(autumn, 1)) == 1
    # clocks go back on Sunday 2026-11-01: Monday 10:30 PST is 18:30 UTC
    clock.set(datetime.datetime(2026, 11, 2, 17, 30, tzinfo=utc))
    time.sleep(0.5)
    assert len(autumn.get_pipeline_runs()) == 1
    clock.set(datetime.datetime(2026, 11, 2, 18, 30, tzinfo=utc))
    assert len(_wait_runs(autumn, 2)) == 2
    assert _fired_instants(autumn.id, capsys) == ["2026-10-26T17:30:00.000000Z", "2026-11-02T18:30:00.000000Z"]
    assert len(schedule.get_pipeline_runs()) == 2  # the disabled one stayed quiet
    autumn.disable()


@pytest.mark.slow(reason="a one-minute schedule in real time: waits for its second fire, about 65 s")
def test_one_minute_schedule_fires_in_real_time(ws, published_pipeline):
    from azureml.pipeline.core import Schedule, ScheduleRecurrence

    created = time.monotonic()
    schedule = Schedule.create(ws, name="every-minute", pipeline_id=published_pipeline.id,
                               experiment_name="every-minute",
                               recurrence=ScheduleRecurrence(frequency="Minute", interval=1))
    first = _wait_runs(schedule, 1, timeout=15)
    assert len(first) == 1 and time.monotonic() - created < 15  # no start_time: the first run starts at once
    runs = _wait_runs(schedule, 2, timeout=80)
    assert len(runs) == 2
    assert 55 < time.monotonic() - created < 80
    assert runs[0].wait_for_completion(show_output=False) == "Finished"
    schedule.disable()
    assert schedule.get_last_pipeline_run().id == runs[0].id


def test_datastore_schedule_fires_once_per_new_blob_with_its_path(ws, published_pipeline, clock, tmp_path):
    from azureml.core import Datastore
    from azureml.pipeline.core import Schedule

    datastore = Datastore(workspace=ws, name="workspaceblobstore")
    schedule = Schedule.create(ws, name="on-new-data", pipeline_id=published_pipeline.id,
                               experiment_name="on-new-data", datastore=datastore, polling_interval=5,
                               path_on_datastore="incoming", data_path_parameter_name="input_path")
    for name, text in (("day1.csv", "first day"), ("day2.csv", "second day")):
        (tmp_path / name).write_text(text)
    datastore.upload_files([str(tmp_path / "day1.csv"), str(tmp_path / "day2.csv")], target_path="incoming",
                           overwrite=True, show_progress=False)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.csv").write_text("in a subfolder")
    datastore.upload_files([str(tmp_path / "archive" / "old.csv")], target_path="incoming/archive",
                           overwrite=True, show_progress=False)

    clock.set(datetime.datetime(2026, 2, 25, 0, 5, tzinfo=datetime.timezone.utc))  # the first poll
    runs = _wait_runs(schedule, 2)
    assert len(runs) == 2
    logs = {run.find_step_run("train")[0].get_stdout_log().strip().splitlines()[-1] for run in runs
            if run.wait_for_completion(show_output=False) == "Finished"}
    assert logs == {"training on first day", "training on second day"}  # each run got its blob's path
    clock.set(datetime.datetime(2026, 2, 25, 0, 10, tzinfo=datetime.timezone.utc))  # next poll: nothing new
    time.sleep(0.5)
    assert len(schedule.get_pipeline_runs()) == 2  # seed.csv was there before; archive/old.csv is a subfolder
    schedule.disable()


def test_fire_missed_while_the_service_was_stopped_happens_once(ws, published_pipeline, clock):
    from azureml.pipeline.core import Schedule, ScheduleRecurrence

    schedule = Schedule.create(ws, name="daily", pipeline_id=published_pipeline.id, experiment_name="daily",
                               recurrence=ScheduleRecurrence(frequency="Day", interval=1,
                                                             start_time="2026-02-25T06:00:00"))
    clock.set(datetime.datetime(2026, 2, 25, 6, 0, tzinfo=datetime.timezone.utc))
    assert len(_wait_runs(schedule, 1)) == 1
    cli(["service", "stop"])
    clock.set(datetime.datetime(2026, 2, 26, 7, 0, tzinfo=datetime.timezone.utc))  # 02-26 06:00 passes unserved
    cli(["service", "start"])
    assert len(_wait_runs(schedule, 2)) == 2
    cli(["service", "stop"])
    cli(["service", "start"])
    time.sleep(1.0)
    assert len(schedule.get_pipeline_runs()) == 2  # none doubled
    schedule.disable()
    control.stop_service(ws)
