"""The scheduler inside the real service process: wakes, a driven clock, restarts, keeping the service up.

Time is driven through ``AZUREML_LOCAL_CLOCK_FILE`` (docs/schedules.md), which the service inherits
from the test process when ``Schedule.create`` starts it.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from azureml.pipeline.core import Schedule, ScheduleRecurrence

from azureml_local.clock import CLOCK_FILE_ENV, FileClock
from azureml_local.service import control
from service_helpers import wait_gone

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(tmp_path, monkeypatch) -> FileClock:
    monkeypatch.setenv(CLOCK_FILE_ENV, str(tmp_path / "clock.txt"))
    clock = FileClock(tmp_path / "clock.txt")
    clock.set(T0)
    return clock


def _runs(schedule, count: int, timeout: float = 15.0) -> list:
    deadline = time.monotonic() + timeout
    runs = schedule.get_pipeline_runs()
    while len(runs) < count and time.monotonic() < deadline:
        time.sleep(0.02)
        runs = schedule.get_pipeline_runs()
    return runs


def _hourly(ws, published) -> Schedule:
    return Schedule.create(ws, name="hourly", pipeline_id=published.id, experiment_name="sched",
                           recurrence=ScheduleRecurrence(frequency="Hour", interval=1, start_time="2026-03-02T12:30:00"))


def test_moving_the_driven_clock_fires_at_once(ws, published, clock):
    schedule = _hourly(ws, published)
    control.ensure_service(ws, wait=True)
    time.sleep(0.5)  # the scheduler is asleep, waiting for 12:30
    assert schedule.get_pipeline_runs() == []
    clock.set(T0 + timedelta(minutes=29, seconds=59))
    time.sleep(0.3)
    assert schedule.get_pipeline_runs() == []  # one second early: nothing
    moved = time.monotonic()
    clock.set(T0 + timedelta(minutes=30))
    assert len(_runs(schedule, 1)) == 1
    assert time.monotonic() - moved < 3.0  # file re-read every 0.05 s, then one pass: no 5 s rescan wait
    [fire] = ws._context.schedules.history(schedule.id)
    assert (fire["due_utc"], fire["state"]) == ("2026-03-02T12:30:00.000000Z", "Submitted")


def test_a_new_schedule_reaches_the_running_service_by_its_wake(ws, published, clock):
    control.ensure_service(ws, wait=True)
    time.sleep(0.3)
    created = time.monotonic()
    schedule = Schedule.create(ws, name="now", pipeline_id=published.id, experiment_name="sched",
                               recurrence=ScheduleRecurrence(frequency="Day", interval=1))  # first run: at creation
    assert len(_runs(schedule, 1)) == 1
    assert time.monotonic() - created < 4.0  # POST /wake re-plans at once (the rescan is 5 s)


def test_a_fire_missed_while_the_service_was_stopped_happens_once_after_restart(ws, published, clock):
    schedule = _hourly(ws, published)
    clock.set(T0 + timedelta(minutes=30))
    assert len(_runs(schedule, 1)) == 1
    assert control.stop_service(ws) is True
    clock.set(T0 + timedelta(minutes=100))  # 13:30 comes due while no service runs
    control.start_service(ws)
    runs = _runs(schedule, 2)
    assert len(runs) == 2
    control.stop_service(ws)
    control.start_service(ws)  # a second restart at the same instant: nothing more
    time.sleep(1.0)
    assert len(schedule.get_pipeline_runs()) == 2
    assert [f["due_utc"][11:16] for f in ws._context.schedules.history(schedule.id)] == ["13:30", "12:30"]


def test_an_active_schedule_keeps_the_service_up_until_disabled(ws, published, clock, monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "0.5")
    published.disable()  # an active published pipeline keeps the service up too: only the schedule counts here
    schedule = Schedule.create(ws, name="later", pipeline_id=published.id, experiment_name="sched",
                               recurrence=ScheduleRecurrence(frequency="Week", interval=1, start_time="2026-04-01"))
    info = control.ensure_service(ws, wait=True)
    time.sleep(2.0)
    assert control.service_info(ws) is not None  # idle, but a schedule is Active
    schedule.disable()
    assert wait_gone(info["pid"], timeout=10)
