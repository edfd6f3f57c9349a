"""Facade table for schedules (``azureml.pipeline.core.schedule``: Schedule, ScheduleRecurrence, TimeZone)."""

_NAMES = {
    "Schedule": "azureml_local.pipeline.schedule:Schedule",
    "ScheduleRecurrence": "azureml_local.pipeline.schedule_recurrence:ScheduleRecurrence",
    "TimeZone": "azureml_local.pipeline.schedule_recurrence:TimeZone",
}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.core": dict(_NAMES),
    "azureml.pipeline.core.schedule": dict(_NAMES),
}
