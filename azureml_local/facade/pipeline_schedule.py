"""Facade table for schedules (``azureml.pipeline.core.schedule``: Schedule, ScheduleRecurrence, TimeZone)."""

SURFACE: dict[str, dict[str, str]] = {}
