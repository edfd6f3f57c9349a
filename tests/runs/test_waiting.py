"""Waiting on a script run: the status read right after a failed wait is the one the waiter acted on."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml.exceptions import ActivityFailedException


@pytest.mark.parametrize("show_output", [True, False])
def test_status_right_after_a_failed_wait(ws, tmp_path: Path, show_output: bool) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text("raise SystemExit('failed on purpose')\n")
    run = Experiment(ws, "waiting").submit(ScriptRunConfig(str(src), "train.py"))
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=show_output)
    assert run.get_status() == "Failed"
    assert run.get_details()["status"] == "Failed"
