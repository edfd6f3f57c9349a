"""How the Studio and the CLI show times, durations and statuses (one place, same text everywhere)."""
from __future__ import annotations

from datetime import datetime, timezone

from azureml_local import status as states

# status -> colour of its badge and graph node (CSS class names in static/studio.css)
STATUS_CLASS = {"Completed": "ok", "Finished": "ok", "Failed": "bad", "Canceled": "off", "CancelRequested": "off",
                "Running": "run", "Finalizing": "run", "Starting": "run", "Preparing": "run",
                "Provisioning": "run", "Queued": "wait", "NotStarted": "wait"}
STATUS_FILL = {"ok": "#d7f2dc", "bad": "#fadadd", "off": "#e6e6e6", "run": "#d8e8fb", "wait": "#fff3cd"}
STATUS_STROKE = {"ok": "#2e8540", "bad": "#c62828", "off": "#777777", "run": "#1565c0", "wait": "#b28704"}


def parse_utc(text: str | None) -> datetime | None:
    """A run-history time (ISO-8601, ``Z``) as an aware datetime; None when absent or unreadable."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def short_time(text: str | None) -> str:
    """``2026-12-03 11:47:29`` (UTC), or an empty string."""
    moment = parse_utc(text)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def duration_seconds(start: str | None, end: str | None) -> float | None:
    """Seconds from start to end (to now while running); None before the run starts."""
    begin = parse_utc(start)
    if begin is None:
        return None
    finish = parse_utc(end) or datetime.now(timezone.utc)
    return max(0.0, (finish - begin).total_seconds())


def duration_text(seconds: float | None) -> str:
    """``1h 02m 03s`` / ``4m 05s`` / ``6.2s``, or an empty string."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes}m {secs:02d}s"


def status_class(status: str | None) -> str:
    return STATUS_CLASS.get(status or "", "wait")


def is_active(status: str | None) -> bool:
    """True while the run may still change (its page refreshes, its log is followed)."""
    return (status or "") in states.ACTIVE_STATES


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def run_summary(row: dict, tags: dict | None = None) -> dict:
    """The listing fields of one run row (Studio table, ``runs list``)."""
    seconds = duration_seconds(row.get("start_time_utc"), row.get("end_time_utc"))
    return {"run_id": row["run_id"], "experiment": row.get("experiment_name"), "number": row.get("run_number"),
            "display_name": row.get("display_name") or row["run_id"], "status": row.get("status"),
            "status_class": status_class(row.get("status")), "run_type": row.get("run_type"),
            "submitted": row.get("created_utc"), "submitted_text": short_time(row.get("created_utc")),
            "started": row.get("start_time_utc"), "ended": row.get("end_time_utc"),
            "duration_seconds": seconds, "duration": duration_text(seconds), "target": row.get("target"),
            "parent_run_id": row.get("parent_run_id"), "tags": tags or {}}
