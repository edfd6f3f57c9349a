"""``azureml-local schedule list|history``: schedules, next fires, and each fire's run or error."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from azureml_local.cli import main
from azureml_local.clock import CLOCK_FILE_ENV, FileClock
from azureml_local.pipeline.scheduling import firing, manage

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def test_cli_lists_schedules_and_prints_the_history(ws, published, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(CLOCK_FILE_ENV, str(tmp_path / "now.txt"))
    FileClock(tmp_path / "now.txt").set(T0)
    assert main(["schedule", "list"]) == 0
    assert capsys.readouterr().out.strip() == "No schedules in this workspace."
    ctx = ws._context
    schedule = manage.create_schedule(ctx, name="daily", experiment_name="sched", pipeline_id=published.id,
                                      recurrence={"frequency": "Day", "interval": 1, "start_time":
                                                  "2026-03-02T06:00:00", "time_zone": "W. Europe Standard Time",
                                                  "hours": None, "minutes": None, "week_days": None})
    [run_id] = firing.run_pass(ctx, T0 + timedelta(days=1))[0]
    published.disable()
    firing.run_pass(ctx, T0 + timedelta(days=2))
    assert main(["schedule", "list"]) == 0
    listing = capsys.readouterr().out
    assert f"{schedule['id']}  daily  [Active]" in listing
    assert "next: 2026-03-05T05:00:00.000000Z" in listing and "fires: Failed 1, Submitted 1" in listing
    assert main(["schedule", "history", schedule["id"]]) == 0
    history = capsys.readouterr().out.splitlines()
    assert history[1].startswith("    2026-03-04T05:00:00.000000Z  time  Failed  PipelineNotActive: ")
    assert history[2] == f"    2026-03-03T05:00:00.000000Z  time  Submitted  {run_id}"
    assert main(["schedule", "history"]) == 2
    assert "needs a SCHEDULE_ID" in capsys.readouterr().err
