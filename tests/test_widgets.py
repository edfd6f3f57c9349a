"""RunDetails: text summary in scripts, HTML otherwise available."""
from __future__ import annotations

import threading
import time

import pytest

from azureml.core import Experiment
from azureml.exceptions import UserErrorException
from azureml.widgets import RunDetails


def test_text_summary_and_html(ws, capsys: pytest.CaptureFixture) -> None:
    run = Experiment(ws, "widget").start_logging(snapshot_directory=None)
    run.log("acc", 0.75)
    run.child_run(name="kid")
    RunDetails(run).show()
    out = capsys.readouterr().out
    assert f"Run Id: {run.id}" in out and "Status: Running" in out and "acc: 0.75" in out
    assert "Child runs:" in out
    html = RunDetails(run).get_html()
    assert "<table>" in html and "acc" in html


def test_rejects_non_runs() -> None:
    with pytest.raises(UserErrorException, match="RunDetails needs a submitted run"):
        RunDetails(object())


def test_the_view_links_the_studio_page_of_the_run(ws, capsys: pytest.CaptureFixture) -> None:
    run = Experiment(ws, "widget").start_logging(snapshot_directory=None)
    RunDetails(run).show()
    out = capsys.readouterr().out
    assert f"Studio: {run.get_portal_url()}" in out and f"/studio/runs/{run.id}?token=" in out
    html = RunDetails(run).get_html()
    assert f'href="{run.get_portal_url()}"' in html and "Open the run in the local Studio" in html
    run.complete()


class _Handle:
    """Stands in for the display handle of a notebook front end (none exists in a test process)."""

    def __init__(self) -> None:
        self.updates: list[str] = []

    def update(self, obj) -> None:
        self.updates.append(obj.data)


def test_the_notebook_view_refreshes_until_the_run_ends(ws) -> None:
    pytest.importorskip("IPython")
    run = Experiment(ws, "widget").start_logging(snapshot_directory=None)
    handle, details = _Handle(), RunDetails(run)
    worker = threading.Thread(target=details._refresh, args=(handle, 0.05))
    worker.start()
    deadline = time.monotonic() + 60
    while not handle.updates and time.monotonic() < deadline:
        time.sleep(0.01)
    run.log("acc", 0.5)
    run.complete()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert "Running" in handle.updates[0] and "Completed" in handle.updates[-1] and "acc" in handle.updates[-1]
