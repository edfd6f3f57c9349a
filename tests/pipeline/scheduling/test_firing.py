"""Firing below the service: one scheduler pass at a given instant, claims, outcomes, catch-up, blobs.

Schedules are made with ``manage.create_schedule`` (no service is started: each test calls the pass
itself); "now" is a driven clock file, as the service would read it.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from azureml_local.clock import CLOCK_FILE_ENV, FileClock
from azureml_local.context import WorkspaceContext
from azureml_local.pipeline.scheduling import firing, manage, report
from azureml_local.pipeline.scheduling.recurrence import next_instant

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(tmp_path, monkeypatch) -> FileClock:
    path = tmp_path / "clock.txt"
    monkeypatch.setenv(CLOCK_FILE_ENV, str(path))
    clock = FileClock(path)
    clock.set(T0)
    return clock


def _hourly(ctx, pipeline_id: str, **extra) -> dict:
    recurrence = {"frequency": "Hour", "interval": 1, "start_time": "2026-03-02T12:30:00", "time_zone": "UTC",
                  "hours": None, "minutes": None, "week_days": None}
    return manage.create_schedule(ctx, name="hourly", experiment_name="sched", pipeline_id=pipeline_id,
                                  recurrence=recurrence, **extra)


def _params(ctx, run_id: str) -> dict:
    return json.loads(ctx.runs.properties(run_id)["azureml.parameters"])


def test_a_due_fire_starts_one_run_with_the_schedules_parameters(ws, published, clock):
    ctx = ws._context
    schedule = _hourly(ctx, published.id, submission={"parameter_assignments": {"rate": 0.25}})
    started, wake = firing.run_pass(ctx, T0)
    assert started == [] and wake == T0 + timedelta(minutes=30)
    started, wake = firing.run_pass(ctx, T0 + timedelta(minutes=30))
    assert len(started) == 1 and wake == T0 + timedelta(minutes=90)
    props = ctx.runs.properties(started[0])
    assert props["azureml.scheduleId"] == schedule["id"] and props["azureml.pipelineid"] == published.id
    assert _params(ctx, started[0]) == {"rate": 0.25}
    assert ctx.runs.run(started[0])["experiment_name"] == "sched"
    assert firing.run_pass(ctx, T0 + timedelta(minutes=31))[0] == []  # the same instant never fires twice
    from azureml.pipeline.core import Schedule

    assert [r.id for r in Schedule.get(ws, schedule["id"]).get_pipeline_runs()] == started
    assert Schedule.get(ws, schedule["id"]).get_last_pipeline_run().id == started[0]


def test_missed_fires_are_made_up_up_to_the_limit_and_the_rest_recorded_skipped(ws, published, clock):
    ctx = ws._context
    schedule = _hourly(ctx, published.id)
    started, _ = firing.run_pass(ctx, T0 + timedelta(hours=10))  # 10 instants came due while nothing ran
    assert len(started) == firing.MISSED_FIRES_LIMIT == 3
    history = ctx.schedules.history(schedule["id"])
    assert [f["state"] for f in history] == ["Submitted"] * 3 + ["Skipped"]
    assert [f["due_utc"][:16] for f in history[:3]] == ["2026-03-02T21:30", "2026-03-02T20:30", "2026-03-02T19:30"]
    assert history[3]["error"].startswith("7 fire(s) due from 2026-03-02T12:30:00.000000Z to "
                                          "2026-03-02T18:30:00.000000Z were missed")


def test_a_refused_submit_is_recorded_with_its_reason(ws, published, clock):
    ctx = ws._context
    schedule = _hourly(ctx, published.id)
    published.disable()
    started, _ = firing.run_pass(ctx, T0 + timedelta(minutes=30))
    assert started == []
    [fire] = ctx.schedules.history(schedule["id"])
    assert fire["state"] == "Failed" and fire["error"].startswith("PipelineNotActive: Published pipeline 'scheduled'")
    text = report.format_history(ctx, schedule["id"])
    assert "2026-03-02T12:30:00.000000Z  time  Failed  PipelineNotActive" in text
    assert "Failed 1" in report.format_list(ctx)


def test_two_schedulers_at_once_fire_each_instant_once(ws, published, clock):
    schedule = _hourly(ws._context, published.id)
    results: list[list[str]] = []

    def scheduler():
        ctx = WorkspaceContext.for_folder(ws._context.folder)  # as a second service process would see it
        results.append(firing.run_pass(ctx, T0 + timedelta(hours=2))[0])

    threads = [threading.Thread(target=scheduler) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r) for r in results)[-1] >= 1 and sum(len(r) for r in results) == 2
    runs = ws._context.runs.list_runs(properties={"azureml.scheduleId": schedule["id"]})
    assert len(runs) == 2


def test_a_claim_left_by_a_stopped_scheduler_is_submitted_once_by_the_next(ws, published, clock):
    ctx = ws._context
    schedule = _hourly(ctx, published.id)
    due = "2026-03-02T12:30:00.000000Z"
    [claimed] = ctx.schedules.claim_time_fires(schedule["id"], schedule["fired_through_utc"], due, [due])
    # ... the scheduler stopped here, before submitting; the next one finds the claim
    started = firing.submit_claimed(ctx)
    assert len(started) == 1 and firing.submit_claimed(ctx) == []
    assert ctx.schedules.history(schedule["id"])[0]["run_id"] == started[0]


def test_no_start_time_fires_at_creation_and_disabled_time_is_not_made_up(ws, published, clock):
    ctx = ws._context
    recurrence = {"frequency": "Day", "interval": 1, "start_time": None, "time_zone": None, "hours": None,
                  "minutes": None, "week_days": None}
    schedule = manage.create_schedule(ctx, name="daily", experiment_name="sched", pipeline_id=published.id,
                                      recurrence=recurrence)
    assert len(firing.run_pass(ctx, T0)[0]) == 1  # created at T0: the first run starts now
    manage.update_schedule(ctx, schedule["id"], status="Disabled")
    assert firing.run_pass(ctx, T0 + timedelta(days=3))[0] == []
    clock.set(T0 + timedelta(days=3, hours=1))
    manage.update_schedule(ctx, schedule["id"], status="Active")
    row = ctx.schedules.get(schedule["id"])
    assert next_instant(row["recurrence"], T0, datetime.fromisoformat(row["fired_through_utc"].replace("Z", "+00:00"))) \
        == T0 + timedelta(days=4)


def test_datastore_schedule_fires_once_per_new_or_changed_blob_directly_under_its_path(ws, landing_pipeline,
                                                                                       clock):
    ctx = ws._context
    store = ws.get_default_datastore()
    blobs, container = ctx.blobs, store.container_name
    blobs.create_container(container)
    blobs.upload_bytes(container, "landing/before.csv", b"old")
    schedule = manage.create_schedule(ctx, name="on-data", experiment_name="sched", pipeline_id=landing_pipeline.id,
                                      datastore_name="workspaceblobstore", polling_interval=5,
                                      path_on_datastore="landing", data_path_parameter_name="input_path")
    blobs.upload_bytes(container, "landing/a.csv", b"a")
    blobs.upload_bytes(container, "landing/sub/deep.csv", b"deep")  # a subfolder: not watched
    blobs.upload_bytes(container, "elsewhere.csv", b"x")
    assert firing.run_pass(ctx, T0 + timedelta(minutes=4))[0] == []  # not polled before the interval
    started, wake = firing.run_pass(ctx, T0 + timedelta(minutes=5))
    assert wake == T0 + timedelta(minutes=10)
    assert [_params(ctx, r)["input_path"] for r in started] == [{"datastore": "workspaceblobstore",
                                                                 "path": "landing/a.csv"}]
    assert firing.run_pass(ctx, T0 + timedelta(minutes=10))[0] == []
    blobs.upload_bytes(container, "landing/a.csv", b"a2")  # changed
    blobs.upload_bytes(container, "landing/b.csv", b"b")
    started, _ = firing.run_pass(ctx, T0 + timedelta(minutes=15))
    assert sorted(_params(ctx, r)["input_path"]["path"] for r in started) == ["landing/a.csv", "landing/b.csv"]
    history = ctx.schedules.history(schedule["id"])
    assert sorted((f["blob_name"], f["state"]) for f in history) == [
        ("landing/a.csv", "Submitted"), ("landing/a.csv", "Submitted"), ("landing/b.csv", "Submitted")]


def test_an_endpoint_schedule_starts_the_endpoints_default_version(ws, published, clock):
    from azureml.pipeline.core import PipelineEndpoint, Schedule

    endpoint = PipelineEndpoint.publish(ws, name="scheduled-endpoint", description="d", pipeline=published)
    ctx = ws._context
    recurrence = {"frequency": "Day", "interval": 1, "start_time": "2026-03-02T13:00:00", "time_zone": None,
                  "hours": None, "minutes": None, "week_days": None}
    schedule = manage.create_schedule(ctx, name="via-endpoint", experiment_name="sched",
                                      pipeline_endpoint_id=endpoint.id, recurrence=recurrence,
                                      submission={"parameter_assignments": {"rate": 2.0}})
    [run_id] = firing.run_pass(ctx, T0 + timedelta(hours=1))[0]
    props = ctx.runs.properties(run_id)
    assert props["azureml.pipelineEndpointId"] == endpoint.id and props["azureml.pipelineEndpointVersion"] == "0"
    assert props["azureml.scheduleId"] == schedule["id"] and _params(ctx, run_id) == {"rate": 2.0}
    assert [s.id for s in Schedule.get_schedules_for_pipeline_endpoint_id(ws, endpoint.id)] == [schedule["id"]]
    assert [s.id for s in Schedule.list(ws, pipeline_endpoint_id=endpoint.id)] == [schedule["id"]]
    endpoint.disable()
    firing.run_pass(ctx, T0 + timedelta(days=1, hours=1))
    assert ctx.schedules.history(schedule["id"])[0]["error"].startswith("PipelineEndpointNotActive")
