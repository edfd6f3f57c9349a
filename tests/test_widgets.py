"""RunDetails: text summary in scripts, HTML otherwise available."""
from __future__ import annotations

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
