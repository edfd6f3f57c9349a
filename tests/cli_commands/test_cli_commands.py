"""``azureml-local studio|runs|pipelines|endpoints|schedules``, in text and ``--json``, on real stores."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from azureml_local.cli import main
from azureml_local.runs import artifacts


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def history(ws):
    """Two experiments' runs: one failed with a log and an output, one child, one queued."""
    ctx = ws._context
    ctx.runs.create_run("cli-a", "a-1", status="Completed")
    ctx.runs.create_run("cli-a", "a-2", status="Failed", tags={"team": "vision"})
    ctx.runs.set_status("a-2", "Failed", error={"error": {"code": "UserError", "message": "ValueError: boom"}})
    ctx.runs.log_metric("a-2", "loss", "scalar", "0.5")
    artifacts.upload_bytes(ctx, "a-2", "outputs/model.txt", b"w")
    artifacts.upload_bytes(ctx, "a-2", "user_logs/std_log.txt", b"hello\nTraceback: boom\n")
    ctx.runs.create_run("cli-a", "a-2-child", parent_run_id="a-2", run_type="azureml.StepRun", status="Completed")
    ctx.runs.create_run("cli-b", "b-1", status="Queued", enqueue_handler="")
    return ctx


def test_runs_list_text_and_json(capsys, history) -> None:
    code, out, _ = _run(capsys, "runs", "list", "--experiment", "cli-a")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["RUN", "ID", "EXPERIMENT", "STATUS", "TYPE", "SUBMITTED", "DURATION"]
    assert [line.split()[0] for line in lines[1:3]] == ["a-2", "a-1"] and "a-2-child" not in out
    assert lines[-1] == "2 of 2 run(s), page 1 of 1"
    code, out, _ = _run(capsys, "runs", "list", "--json", "--all", "--status", "Completed")
    data = json.loads(out)
    assert code == 0 and data["total"] == 2 and {r["run_id"] for r in data["runs"]} == {"a-1", "a-2-child"}
    code, out, _ = _run(capsys, "runs", "list", "--json", "--tag", "team=vision")
    assert [r["run_id"] for r in json.loads(out)["runs"]] == ["a-2"]


def test_runs_list_refuses_an_unknown_status_saying_which_exist(capsys, history) -> None:
    code, _, err = _run(capsys, "runs", "list", "--status", "Done")
    assert code == 2 and "Unknown run status 'Done'" in err and "Completed" in err


def test_runs_show_text_and_json(capsys, history) -> None:
    code, out, _ = _run(capsys, "runs", "show", "a-2")
    assert code == 0 and out.startswith("Run a-2  [Failed]")
    assert "ValueError: boom" in out and "loss: 0.5" in out and "outputs/model.txt" in out and "a-2-child" in out
    assert "Studio: http://127.0.0.1:" in out and "/studio/runs/a-2?token=" in out
    code, out, _ = _run(capsys, "runs", "show", "a-2", "--json")
    shown = json.loads(out)
    assert shown["metrics"] == {"loss": 0.5} and shown["error"]["message"] == "ValueError: boom"
    assert shown["children"][0]["run_id"] == "a-2-child" and shown["tags"] == {"team": "vision"}
    code, _, err = _run(capsys, "runs", "show", "nope")
    assert code == 2 and "Run with id nope was not found" in err


def test_runs_logs_text_and_json(capsys, history) -> None:
    code, out, _ = _run(capsys, "runs", "logs", "a-2")
    assert (code, out) == (0, "hello\nTraceback: boom\n")
    code, out, _ = _run(capsys, "runs", "logs", "a-2", "--json")
    assert json.loads(out) == {"run_id": "a-2", "name": "user_logs/std_log.txt", "text": "hello\nTraceback: boom\n"}
    code, out, err = _run(capsys, "runs", "logs", "a-2", "--follow")
    assert code == 0 and out == "hello\nTraceback: boom\n" and "[run a-2: Failed]" in err
    code, out, _ = _run(capsys, "runs", "logs", "a-1")
    assert out.strip() == "Run a-1 has no log yet."


def test_runs_cancel_text_and_json(capsys, history) -> None:
    code, out, _ = _run(capsys, "runs", "cancel", "b-1")
    assert (code, out.strip()) == (0, "Run b-1: Queued -> Canceled")
    assert not history.runs.is_queued("b-1")
    code, out, _ = _run(capsys, "runs", "cancel", "b-1", "--json")
    assert json.loads(out) == {"run_id": "b-1", "before": "Canceled", "status": "Canceled"}


def test_pipelines_endpoints_and_schedules_lists(capsys, ws, published) -> None:
    from azureml.pipeline.core import PipelineEndpoint
    from azureml.pipeline.core.schedule import Schedule, ScheduleRecurrence

    endpoint = PipelineEndpoint.publish(ws, "cli-endpoint", "for the CLI", published)
    schedule = Schedule.create(ws, "hourly", published.id, "cli-sched",
                               recurrence=ScheduleRecurrence(frequency="Hour", interval=1,
                                                                   start_time="2099-01-01T00:00:00"))
    capsys.readouterr()  # what publishing printed
    code, out, _ = _run(capsys, "pipelines", "list")
    assert code == 0 and out.splitlines()[0].split()[:4] == ["ID", "NAME", "VERSION", "STATUS"]
    assert published.id in out and published.endpoint in out
    code, out, _ = _run(capsys, "pipelines", "list", "--json")
    rows = json.loads(out)
    assert rows[0]["id"] == published.id and rows[0]["parameters"] == {"rate": 0.5}
    code, out, _ = _run(capsys, "endpoints", "list")
    assert "cli-endpoint" in out and endpoint.endpoint in out
    code, out, _ = _run(capsys, "endpoints", "list", "--json")
    assert json.loads(out)[0]["default_pipeline_id"] == published.id
    for command in ("schedules", "schedule"):
        code, out, _ = _run(capsys, command, "list")
        assert code == 0 and schedule.id in out and "every 1 Hour" in out
    code, out, _ = _run(capsys, "schedules", "list", "--json")
    listed = json.loads(out)[0]
    assert (listed["id"], listed["status"]) == (schedule.id, "Active")
    assert listed["trigger"].startswith("every 1 Hour") and listed["next"].startswith("2099-01-01T00:00:00")
    code, out, _ = _run(capsys, "schedules", "history", schedule.id)
    assert code == 0 and "no fires yet" in out
    code, out, _ = _run(capsys, "schedules", "history", schedule.id, "--json")
    assert json.loads(out) == {"schedule": listed, "fires": []}
    schedule.disable(wait_for_provisioning=True)


def test_studio_prints_a_working_link_text_and_json(capsys, ws) -> None:
    code, out, err = _run(capsys, "studio")
    assert code == 0 and out.startswith("Studio: http://127.0.0.1:") and "/studio?token=" in out
    assert "Starting the workspace service" in err
    code, out, _ = _run(capsys, "studio", "--json")
    shown = json.loads(out)
    assert shown["url"].split("?")[0].endswith("/studio") and shown["service"]["pid"] > 0


def test_the_console_script_runs_the_same_commands(ws, history) -> None:
    done = subprocess.run([sys.executable, "-m", "azureml_local.cli", "runs", "list", "--json", "-e", "cli-b"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert [r["run_id"] for r in json.loads(done.stdout)["runs"]] == ["b-1"]
