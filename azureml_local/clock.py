"""The scheduler's clock: real time, or an instant written in a file that tests drive.

Schedules fire at wall-clock instants (a weekly schedule at 10:30 Pacific time). To test one
through the real service without waiting a week, every process of a workspace reads "now" from
the same clock: ``AZUREML_LOCAL_CLOCK_FILE=<path>`` names a file holding an ISO-8601 instant
(``2026-03-02T18:30:00+00:00``; no offset means UTC). Whoever rewrites the file moves time for
the SDK (``Schedule.create`` records its creation instant) and for the service's scheduler, which
re-reads the file every ``FILE_POLL_SECONDS`` and recomputes its next fire at once when it
changed. Without the variable the clock is the system's. Nothing else in the scheduler is a test
hook (docs/schedules.md).
"""
from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

CLOCK_FILE_ENV = "AZUREML_LOCAL_CLOCK_FILE"
FILE_POLL_SECONDS = 0.05


class Clock(Protocol):
    """What the scheduler needs of time."""

    def now(self) -> datetime:
        """The current instant (timezone-aware, UTC)."""

    async def sleep_until(self, instant: datetime | None, wake: asyncio.Event, max_seconds: float) -> None:
        """Return at ``instant`` (None: no deadline), when ``wake`` is set, after ``max_seconds`` of real
        time, or (driven clocks) when time was moved: the caller re-reads ``now()`` and re-plans."""


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    async def sleep_until(self, instant: datetime | None, wake: asyncio.Event, max_seconds: float) -> None:
        seconds = max_seconds
        if instant is not None:
            seconds = min(seconds, max(0.0, (instant - self.now()).total_seconds()))
        try:
            await asyncio.wait_for(wake.wait(), seconds)
        except TimeoutError:
            pass


class FileClock:
    """The instant written in ``path`` (rewritten from outside the process, e.g. by a test)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    def now(self) -> datetime:
        return parse_instant(self._read())

    def _read(self) -> str:
        try:
            return self.path.read_text().strip()
        except FileNotFoundError:
            raise RuntimeError(f"{CLOCK_FILE_ENV} names {self.path}, which does not exist: write an ISO-8601 "
                               "instant into it (or unset the variable to use the system clock).") from None

    async def sleep_until(self, instant: datetime | None, wake: asyncio.Event, max_seconds: float) -> None:
        start, seen = time.monotonic(), self._read()
        while not wake.is_set() and time.monotonic() - start < max_seconds:
            try:
                await asyncio.wait_for(wake.wait(), FILE_POLL_SECONDS)
            except TimeoutError:
                pass
            text = self._read()
            if text != seen:
                return  # time moved: the caller re-plans (also when it moved backwards)
            if instant is not None and parse_instant(text) >= instant:
                return

    def set(self, instant: datetime) -> None:
        """Move time (what a test does; atomic, so a reader never sees a half-written instant)."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(to_utc(instant).isoformat())
        os.replace(tmp, self.path)


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant as an aware UTC datetime (naive means UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return to_utc(value)


def to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def current_clock() -> Clock:
    """The clock of this process: ``FileClock`` when ``AZUREML_LOCAL_CLOCK_FILE`` is set, else the system's."""
    path = os.environ.get(CLOCK_FILE_ENV)
    return FileClock(path) if path else SystemClock()


def utc_now() -> datetime:
    """``current_clock().now()``: what "now" is for schedules in this process."""
    return current_clock().now()
