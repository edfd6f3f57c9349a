"""Schedules below the SDK classes (a ``WorkspaceContext`` and plain values, no SDK class).

``recurrence.py`` computes when a time schedule fires (``dateutil.rrule`` in the schedule's
time zone, ``zones.py``); ``manage.py`` validates and records schedules for the SDK's
``Schedule``; ``firing.py`` claims due fires and starts their runs, ``blobs.py`` watches a
datastore path. The workspace service's scheduler (``service/scheduler.py``) drives them.
docs/schedules.md describes the behaviour.
"""
