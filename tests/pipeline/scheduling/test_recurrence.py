"""When time schedules fire: UTC instants of daily, hourly, weekly and monthly recurrences, DST included."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import islice

from azureml.pipeline.core import ScheduleRecurrence, TimeZone

from azureml_local.pipeline.scheduling.recurrence import instants_after, next_instant

UTC = timezone.utc


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _fires(recurrence: ScheduleRecurrence, created: datetime, count: int, after: datetime | None = None):
    rec = recurrence._to_dict()
    return list(islice(instants_after(rec, created, created if after is None else after), count))


def test_weekly_time_of_day_in_pacific_time_across_both_dst_changes():
    rec = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="10:30",
                             time_zone=TimeZone.PacificStandardTime, start_time=datetime(2026, 2, 1))
    spring = _fires(rec, _utc(2026, 2, 25), 3)
    # 2026-03-08: clocks go forward; Monday 10:30 stays 10:30 local: 18:30 UTC (PST) then 17:30 UTC (PDT)
    assert spring == [_utc(2026, 3, 2, 18, 30), _utc(2026, 3, 9, 17, 30), _utc(2026, 3, 16, 17, 30)]
    autumn = _fires(rec, _utc(2026, 10, 20), 3)
    # 2026-11-01: clocks go back
    assert autumn == [_utc(2026, 10, 26, 17, 30), _utc(2026, 11, 2, 18, 30), _utc(2026, 11, 9, 18, 30)]


def test_daily_at_hours_and_minutes_in_a_zone():
    rec = ScheduleRecurrence(frequency="Day", interval=1, hours=[6, 18], minutes=[0, 30],
                             time_zone=TimeZone.WEuropeStandardTime, start_time="2026-03-28T00:00:00")
    # Berlin switches to summer time on 2026-03-29 (UTC+1 -> UTC+2)
    assert _fires(rec, _utc(2026, 3, 27), 6) == [
        _utc(2026, 3, 28, 5, 0), _utc(2026, 3, 28, 5, 30), _utc(2026, 3, 28, 17, 0), _utc(2026, 3, 28, 17, 30),
        _utc(2026, 3, 29, 4, 0), _utc(2026, 3, 29, 4, 30)]


def test_daily_without_times_fires_at_the_start_time_of_day():
    rec = ScheduleRecurrence(frequency="Day", interval=2, start_time="2026-11-01T01:30:00",
                             time_zone=TimeZone.PacificStandardTime)
    # 01:30 on 2026-11-01 is ambiguous: its first occurrence (PDT) fires
    assert _fires(rec, _utc(2026, 10, 1), 3) == [_utc(2026, 11, 1, 8, 30), _utc(2026, 11, 3, 9, 30),
                                                 _utc(2026, 11, 5, 9, 30)]


def test_spring_forward_gap_fires_once_an_hour_later_in_local_terms():
    rec = ScheduleRecurrence(frequency="Day", interval=1, time_of_day="2:30", time_zone=TimeZone.PacificStandardTime,
                             start_time="2026-03-06T00:00:00")
    # 02:30 does not exist on 2026-03-08; it fires at 10:30 UTC (03:30 PDT), as the standard offset gives
    assert _fires(rec, _utc(2026, 3, 7), 3) == [_utc(2026, 3, 7, 10, 30), _utc(2026, 3, 8, 10, 30),
                                                _utc(2026, 3, 9, 9, 30)]


def test_hourly_steps_in_absolute_time_across_dst():
    rec = ScheduleRecurrence(frequency="Hour", interval=1, start_time="2026-03-08T00:30:00",
                             time_zone=TimeZone.PacificStandardTime)
    fires = _fires(rec, _utc(2026, 3, 8, 8), 4)
    assert fires == [_utc(2026, 3, 8, 8, 30), _utc(2026, 3, 8, 9, 30), _utc(2026, 3, 8, 10, 30),
                     _utc(2026, 3, 8, 11, 30)]


def test_no_start_time_fires_at_creation_then_every_interval():
    created = _utc(2026, 5, 4, 12, 7, 30)
    rec = ScheduleRecurrence(frequency="Minute", interval=15)
    assert _fires(rec, created, 3, after=created - timedelta(microseconds=1)) == [
        created, created + timedelta(minutes=15), created + timedelta(minutes=30)]
    # a year later the next fire is still on the same 15-minute grid (found without iterating a year)
    later = _utc(2027, 5, 4, 12, 0)
    assert next_instant(rec._to_dict(), created, later) == _utc(2027, 5, 4, 12, 7, 30)


def test_start_time_in_the_past_fires_at_the_next_instant_after_creation():
    rec = ScheduleRecurrence(frequency="Day", interval=1, start_time="2020-01-01T09:00:00")
    assert _fires(rec, _utc(2026, 6, 1, 10), 2) == [_utc(2026, 6, 2, 9), _utc(2026, 6, 3, 9)]


def test_start_time_matching_the_schedule_is_not_a_fire():
    # SDK docstring: when start_time matches week_days and time_of_day, the first run is the next one
    rec = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="10:30",
                             start_time="2026-03-02T10:30:00")
    assert _fires(rec, _utc(2026, 3, 1), 1) == [_utc(2026, 3, 9, 10, 30)]
    plain = ScheduleRecurrence(frequency="Day", interval=1, start_time="2026-03-02T10:30:00")
    assert _fires(plain, _utc(2026, 3, 1), 1) == [_utc(2026, 3, 2, 10, 30)]


def test_weekly_with_interval_and_several_days():
    rec = ScheduleRecurrence(frequency="Week", interval=2, week_days=["Monday", "Friday"], hours=[9],
                             start_time="2026-01-05T00:00:00")
    assert _fires(rec, _utc(2026, 1, 1), 4) == [_utc(2026, 1, 5, 9), _utc(2026, 1, 9, 9), _utc(2026, 1, 19, 9),
                                                _utc(2026, 1, 23, 9)]


def test_monthly_skips_months_without_the_day():
    rec = ScheduleRecurrence(frequency="Month", interval=1, start_time="2026-01-31T08:00:00")
    assert _fires(rec, _utc(2026, 1, 1), 3) == [_utc(2026, 1, 31, 8), _utc(2026, 3, 31, 8), _utc(2026, 5, 31, 8)]
