"""The schedules' clock: the system's, or an instant in a file that another process rewrites."""
from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from azureml_local.clock import CLOCK_FILE_ENV, FileClock, SystemClock, current_clock, parse_instant, utc_now

UTC = timezone.utc
T0 = datetime(2026, 3, 8, 9, 59, tzinfo=UTC)


def test_current_clock_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(CLOCK_FILE_ENV, raising=False)
    assert isinstance(current_clock(), SystemClock)
    assert abs(utc_now() - datetime.now(UTC)) < timedelta(seconds=5) and utc_now().tzinfo is not None
    monkeypatch.setenv(CLOCK_FILE_ENV, str(tmp_path / "now.txt"))
    with pytest.raises(RuntimeError, match="does not exist: write an ISO-8601 instant"):
        utc_now()
    (tmp_path / "now.txt").write_text("2026-03-08T01:59:00-08:00\n")
    assert utc_now() == T0
    assert parse_instant("2026-03-08T09:59:00") == T0 == parse_instant("2026-03-08T09:59:00Z")


def test_file_clock_sleep_ends_when_time_is_moved_or_reaches_the_instant(tmp_path):
    clock = FileClock(tmp_path / "now.txt")
    clock.set(T0)

    async def sleep(until):
        started = time.monotonic()
        await clock.sleep_until(until, asyncio.Event(), max_seconds=5)
        return time.monotonic() - started

    def move_later(instant):
        time.sleep(0.2)
        clock.set(instant)

    threading.Thread(target=move_later, args=(T0 + timedelta(seconds=1),)).start()
    assert 0.15 < asyncio.run(sleep(T0 + timedelta(days=7))) < 0.5  # any change ends the sleep: re-plan
    assert asyncio.run(sleep(T0)) < 0.1  # already due
    assert 0.25 < asyncio.run(clock_only_waits(clock, 0.3)) < 0.6  # nothing moves: until max_seconds


async def clock_only_waits(clock, seconds: float) -> float:
    started = time.monotonic()
    await clock.sleep_until(None, asyncio.Event(), max_seconds=seconds)
    return time.monotonic() - started


def test_a_wake_ends_either_clocks_sleep(tmp_path):
    file_clock = FileClock(tmp_path / "now.txt")
    file_clock.set(T0)

    async def woken(clock):
        event = asyncio.Event()
        asyncio.get_running_loop().call_later(0.1, event.set)
        started = time.monotonic()
        await clock.sleep_until(None, event, max_seconds=5)
        return time.monotonic() - started

    assert asyncio.run(woken(file_clock)) < 0.4
    assert asyncio.run(woken(SystemClock())) < 0.4
