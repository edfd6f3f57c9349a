"""Fire due schedules exactly once: claim in the database, then submit, then record the outcome.

One scheduler pass (``service/scheduler.py`` runs it in a worker thread) does:

1. **claim**: for each Active time schedule, the recurrence instants in ``(fired_through, now]``
   become ``schedule_fires`` rows (``Claimed``) while ``fired_through`` moves to the last of them,
   by compare-and-set: a second scheduler that raced this one claims nothing. Datastore schedules
   whose poll is due list their path; each new ``(blob, etag)`` becomes a claimed fire (unique
   per schedule, so never twice).
2. **submit**: each ``Claimed`` fire (also those a stopped scheduler left) is submitted in one
   transaction with the fire's ``Submitted`` mark: the run and the mark commit together or not at
   all, so a crash never loses the fire and a retry never doubles it. A refused submit (pipeline
   disabled or gone, bad parameters) marks the fire ``Failed`` with the reason.
3. **plan**: the earliest next instant or poll, for the scheduler to sleep until.

Fires missed while no service ran are made up when the next one starts, at most
``MISSED_FIRES_LIMIT`` per schedule (the most recent ones); the older ones are recorded as one
``Skipped`` entry (docs/schedules.md).
"""
from __future__ import annotations

import traceback
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING

from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest
from azureml_local.pipeline.publishing.submit import SCHEDULE_ID_PROPERTY
from azureml_local.pipeline.scheduling import blobs, targets
from azureml_local.pipeline.scheduling.manage import next_poll
from azureml_local.pipeline.scheduling.recurrence import instants_after, next_instant
from azureml_local.store.schedules import from_iso, iso

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

MISSED_FIRES_LIMIT = 3  # per schedule, fires made up after the service was down
SCAN_LIMIT = 100_000  # instants looked at per schedule and pass (a one-minute schedule: ~70 days)


def run_pass(ctx: "WorkspaceContext", now: datetime) -> tuple[list[str], datetime | None]:
    """Claim what is due at ``now``, submit every claimed fire; returns (run ids started, next wake)."""
    for schedule in ctx.schedules.list(active_only=True):
        try:
            if schedule["schedule_type"] == "Recurrence":
                claim_time_fires(ctx, schedule, now)
            elif from_iso(schedule["next_poll_utc"]) <= now:
                claim_blob_fires(ctx, schedule, now)
        except Exception:  # noqa: BLE001 - one broken schedule (datastore gone...) must not stop the others
            traceback.print_exc()
    return submit_claimed(ctx), next_wake(ctx)


def claim_time_fires(ctx: "WorkspaceContext", schedule: dict, now: datetime) -> list[dict]:
    through = schedule["fired_through_utc"]
    recent: deque[datetime] = deque(maxlen=MISSED_FIRES_LIMIT)
    skipped: list[datetime] = []
    last = None
    for index, instant in enumerate(instants_after(schedule["recurrence"], from_iso(schedule["anchor_utc"]),
                                                   from_iso(through))):
        if instant > now or index >= SCAN_LIMIT:
            break
        if len(recent) == recent.maxlen:
            skipped.append(recent[0])
        recent.append(instant)
        last = instant
    if last is None:
        return []
    skip = None
    if skipped:
        skip = (iso(skipped[0]), f"{len(skipped)} fire(s) due from {iso(skipped[0])} to {iso(skipped[-1])} were "
                                 f"missed while no service ran; only the latest {MISSED_FIRES_LIMIT} were made up.")
    return ctx.schedules.claim_time_fires(schedule["id"], through, iso(last), [iso(i) for i in recent], skip)


def claim_blob_fires(ctx: "WorkspaceContext", schedule: dict, now: datetime) -> list[dict]:
    found = blobs.watched_blobs(ctx, schedule["datastore_name"], schedule["path_on_datastore"])
    return ctx.schedules.claim_blob_fires(schedule["id"], found, iso(now), next_poll(schedule["polling_interval"], now))


def fire_if_due(ctx: "WorkspaceContext", schedule_id: str, now: datetime) -> list[str]:
    """Fire one time schedule's due instants now, in the calling process; returns the runs started.

    ``Schedule.create`` calls it: without a start time the first run starts at creation, as in Azure,
    whether or not a service is up yet (and even if the schedule is disabled a moment later). The claim
    is the same as the scheduler's, so the service never fires that instant again.
    """
    schedule = ctx.schedules.get(schedule_id)
    if schedule is None or schedule["status"] != "Active" or schedule["schedule_type"] != "Recurrence":
        return []
    claim_time_fires(ctx, schedule, now)
    return submit_claimed(ctx, schedule_id)


def submit_claimed(ctx: "WorkspaceContext", schedule_id: str | None = None) -> list[str]:
    """Submit every claimed fire (of one schedule, when given); returns the ids of the runs started."""
    started = []
    for fire in ctx.schedules.claimed():
        if schedule_id is not None and fire["schedule_id"] != schedule_id:
            continue
        schedule = ctx.schedules.get(fire["schedule_id"])
        try:
            with ctx.db.transaction():  # the run and the fire's mark commit together
                if not ctx.schedules.is_claimed(fire["id"]):
                    continue  # another scheduler submitted it
                run_id = targets.submit(ctx, schedule, request_for(schedule, fire))
                ctx.schedules.take(fire["id"], run_id)
            started.append(run_id)
        except SubmissionRejected as exc:
            ctx.schedules.fail(fire["id"], f"{exc.code}: {exc.message}")
        except Exception as exc:  # noqa: BLE001 - recorded in the history (the cloud hides trigger errors)
            ctx.schedules.fail(fire["id"], f"{type(exc).__name__}: {exc}")
    return started


def request_for(schedule: dict, fire: dict) -> SubmitRequest:
    """The submission a fire makes: the schedule's stored parameters, plus the changed blob's path."""
    submission = schedule.get("submission") or {}
    data_paths = dict(submission.get("data_path_assignments") or {})
    if fire["kind"] == "Blob" and schedule["data_path_parameter_name"]:
        data_paths[schedule["data_path_parameter_name"]] = {"DataStoreName": schedule["datastore_name"],
                                                           "RelativePath": fire["blob_name"]}
    return SubmitRequest(experiment_name=schedule["experiment_name"], description=schedule["description"],
                         run_source="Schedule", run_type="Schedule",
                         parameter_assignments=dict(submission.get("parameter_assignments") or {}),
                         data_path_assignments=data_paths,
                         dataset_assignments=dict(submission.get("dataset_assignments") or {}),
                         continue_on_step_failure=schedule["continue_on_step_failure"],
                         properties={SCHEDULE_ID_PROPERTY: schedule["id"]}, schedule_id=schedule["id"])


def next_wake(ctx: "WorkspaceContext") -> datetime | None:
    """The earliest instant a schedule is due next (None: no Active schedule)."""
    wakes = []
    for schedule in ctx.schedules.list(active_only=True):
        try:
            if schedule["schedule_type"] == "Recurrence":
                instant = next_instant(schedule["recurrence"], from_iso(schedule["anchor_utc"]),
                                       from_iso(schedule["fired_through_utc"]))
            else:
                instant = from_iso(schedule["next_poll_utc"])
        except Exception:  # noqa: BLE001 - reported; the other schedules still get planned
            traceback.print_exc()
            continue
        if instant is not None:
            wakes.append(instant)
    return min(wakes, default=None)
