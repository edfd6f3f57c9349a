"""When a time schedule fires: the cloud's recurrence rules on ``dateutil.rrule`` and ``zoneinfo``.

A recurrence is the plain dict a schedule stores (``ScheduleRecurrence`` fields, ``time_zone`` as
the Windows zone id): ``{"frequency", "interval", "start_time", "time_zone", "hours", "minutes",
"week_days"}``. Rules (docs/schedules.md):

* Minute and Hour recurrences step in absolute time (UTC); Day, Week and Month recurrences step
  in the wall-clock time of their zone, so "Monday 10:30 Pacific" stays 10:30 across a daylight
  saving change (its UTC instant moves by an hour). A wall time in the spring-forward gap fires
  at the same instant the standard offset gives (02:30 -> 03:30 daylight time); an ambiguous one
  at its first occurrence.
* Without ``start_time`` the first fire is the schedule's creation instant (the SDK documents
  "the first workload is run instantly"), later fires follow the recurrence from there.
* With ``start_time`` fires follow the recurrence from it; when hours, minutes or week days are
  given the start itself is not a fire unless it matches them, and with them it never is (SDK
  docstring: "the first work load does not run at start_time, but instead runs at the next
  calculated run time"). Fires before the creation instant are not due.
* Hours given without minutes fire at minute 0 (and minutes without hours at hour 0), as the
  SDK's "Recurrence Details" prints them.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator

from dateutil import rrule

from azureml_local.pipeline.scheduling.zones import zone

WEEK_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_FREQ = {"Minute": rrule.MINUTELY, "Hour": rrule.HOURLY, "Day": rrule.DAILY, "Week": rrule.WEEKLY,
         "Month": rrule.MONTHLY}
_ABSOLUTE = {"Minute": timedelta(minutes=1), "Hour": timedelta(hours=1)}  # steps in UTC
_WALL_STEP = {"Day": timedelta(days=1), "Week": timedelta(days=7)}


def parse_start(start_time: str | datetime | None) -> datetime | None:
    """The recurrence's start as a naive wall time of its zone (``YYYY-MM-DDThh:mm:ss``)."""
    if start_time is None:
        return None
    value = start_time if isinstance(start_time, datetime) else datetime.fromisoformat(str(start_time).strip())
    return value.replace(tzinfo=None, microsecond=0) if value.tzinfo is None else value


def _has_schedule(rec: dict) -> bool:
    return any(rec.get(k) is not None for k in ("hours", "minutes", "week_days"))


def _wall(instant: datetime, tz) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def _utc(wall: datetime, tz) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(timezone.utc)


def _rule(rec: dict, dtstart: datetime) -> rrule.rrule:
    kwargs: dict = {"interval": int(rec["interval"]), "dtstart": dtstart}
    if rec.get("hours") is not None or rec.get("minutes") is not None:
        kwargs.update(byhour=list(rec.get("hours") or [0]), byminute=list(rec.get("minutes") or [0]), bysecond=0)
    if rec.get("week_days"):
        kwargs["byweekday"] = [WEEK_DAYS.index(d) for d in rec["week_days"]]
    if rec["frequency"] == "Month":
        kwargs["bymonthday"] = dtstart.day
    return rrule.rrule(_FREQ[rec["frequency"]], **kwargs)


def instants_after(rec: dict, created: datetime, after: datetime) -> Iterator[datetime]:
    """Fire instants (aware UTC, ascending) strictly after ``after``; ``created`` is the schedule's
    creation instant (its first fire when the recurrence has no start time)."""
    tz = zone(rec.get("time_zone"))
    created = created.astimezone(timezone.utc)
    after = after.astimezone(timezone.utc)
    start = parse_start(rec.get("start_time"))
    if start is None:
        if created > after:
            yield created
        origin_utc = created
        skip_start = True  # the creation fire was yielded above (or is past)
    else:
        origin_utc = start.astimezone(timezone.utc) if start.tzinfo else _utc(start, tz)
        skip_start = _has_schedule(rec)
    absolute = rec["frequency"] in _ABSOLUTE
    origin = origin_utc.replace(tzinfo=None) if absolute else _wall(origin_utc, tz)
    floor = max(after, origin_utc)
    # jump close to ``after`` by whole intervals: rrule iterates from dtstart one step at a time
    step = (_ABSOLUTE.get(rec["frequency"]) or _WALL_STEP.get(rec["frequency"]) or timedelta(0)) * int(rec["interval"])
    dtstart = origin
    if step and floor - origin_utc > 2 * step:
        dtstart = origin + step * ((floor - origin_utc) // step - 1)
    previous = None
    for wall in _rule(rec, dtstart):
        if skip_start and wall == origin:
            continue
        instant = wall.replace(tzinfo=timezone.utc) if absolute else _utc(wall, tz)
        if instant <= after or instant == previous or (start is None and instant <= created):
            continue
        previous = instant
        yield instant


def next_instant(rec: dict, created: datetime, after: datetime) -> datetime | None:
    """The first fire instant strictly after ``after`` (None: the recurrence never fires again)."""
    return next(instants_after(rec, created, after), None)
