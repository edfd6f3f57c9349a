"""ScheduleRecurrence and TimeZone: every constructor and validate() rule with the SDK's message."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from azureml.pipeline.core import ScheduleRecurrence, TimeZone


@pytest.mark.parametrize("kwargs, message", [
    (dict(start_time=datetime(2026, 1, 1, tzinfo=timezone.utc)),
     "Can not specify tzinfo for start_time, use time_zone instead."),
    (dict(time_of_day="10:30", hours=[1]), "Can not specify time_of_day and hours or minutes."),
    (dict(time_of_day="10:30", minutes=[1]), "Can not specify time_of_day and hours or minutes."),
    (dict(time_of_day="1030"), "time_of_day should be in the format hh:mm."),
    (dict(time_of_day="10:3"), "time_of_day should be in the format hh:mm."),
    (dict(time_of_day="24:00"), "Time of day hour value must be between 0 and 23."),
    (dict(time_of_day="23:60"), "Time of day minute value must be between 0 and 59."),
])
def test_constructor_rules(kwargs, message):
    with pytest.raises(ValueError) as info:
        ScheduleRecurrence(frequency="Week", interval=1, **kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("kwargs, message", [
    (dict(frequency="Year", interval=1), "Invalid value for frequency, only one of Minute, Hour, Day, Week, or Month "
                                         "accepted"),
    (dict(frequency="Day", interval=0), "Interval must be an integer greater than 0."),
    (dict(frequency="Hour", interval=1, hours=[1]), "Can only specify hours if frequency is Week or Day."),
    (dict(frequency="Month", interval=1, time_of_day="10:30"), "Can only specify hours if frequency is Week or Day."),
    (dict(frequency="Minute", interval=1, minutes=[1]), "Can only specify minutes if frequency is Week or Day."),
    (dict(frequency="Day", interval=1, week_days=["Monday"]), "Can only specify week days if frequency is Week."),
    (dict(frequency="Day", interval=1, hours=[24]), "Hours must be between 0 and 23."),
    (dict(frequency="Day", interval=1, hours=[-1]), "Hours must be between 0 and 23."),
    (dict(frequency="Week", interval=1, minutes=[60]), "Minutes must be between 0 and 59."),
    (dict(frequency="Week", interval=1, week_days=["Mon"]),
     "Week days must be a list of str, accepted values: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, "
     "Sunday."),
    (dict(frequency="Day", interval=1, time_zone="Pacific Standard Time"), "Time zone is not a valid TimeZone enum."),
])
def test_validate_rules(kwargs, message):
    recurrence = ScheduleRecurrence(**kwargs)  # the SDK checks these only in validate()
    with pytest.raises(ValueError) as info:
        recurrence.validate()
    assert str(info.value) == message


def test_start_time_without_time_zone_message():
    recurrence = ScheduleRecurrence(frequency="Day", interval=1, start_time="2026-01-01T00:00:00")
    recurrence.time_zone = None  # the constructor defaults it to UTC; only a later change can clear it
    with pytest.raises(ValueError, match="^Must specify time_zone if start_time is provided.$"):
        recurrence.validate()


def test_constructor_normalises_like_the_sdk():
    recurrence = ScheduleRecurrence(frequency="Week", interval=2, start_time=datetime(2026, 3, 2, 9, 5),
                                    week_days=["Monday"], time_of_day="7:05")
    assert recurrence.start_time == "2026-03-02T09:05:00"
    assert recurrence.time_zone is TimeZone.UTC  # start_time without a zone means UTC
    assert (recurrence.hours, recurrence.minutes) == ([7], [5])
    recurrence.validate()
    assert ScheduleRecurrence(frequency="Day", interval=1).time_zone is None
    assert ScheduleRecurrence(frequency="Day", interval=1, start_time="2026-01-01T00:00:00").start_time == \
        "2026-01-01T00:00:00"


def test_time_zone_enum_is_the_sdks():
    assert len(TimeZone) == 131
    assert TimeZone.PacificStandardTime.value == "Pacific Standard Time"
    assert TimeZone.UTC12.value == "UTC+12" and TimeZone.UTC11.value == "UTC-11"
    assert TimeZone("W. Europe Standard Time") is TimeZone.WEuropeStandardTime
