"""PipelineRun/StepRun status right after waiting: a reader never sees a state older than the waiter's."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.exceptions import ActivityFailedException
from azureml_local.pipeline.submission import start_pipeline_run


@pytest.fixture
def runner_ws(ws):
    yield ws
    from azureml_local.service import control as service_control

    service_control.stop_service(ws)


def _failing_pipeline(ws, tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad.py").write_text("raise SystemExit('step failed on purpose')\n")
    (src / "slow.py").write_text("import time\ntime.sleep(60)\n")  # stopped when 'bad' fails the pipeline

    def step(node_id: str, name: str) -> dict:
        return {"node_id": node_id, "name": name, "kind": "PythonScriptStep", "compute_target": "local",
                "source_directory": str(src), "script_name": f"{name}.py", "arguments": [], "inputs": [],
                "outputs": [], "allow_reuse": False, "fingerprint": f"fp-{name}", "fingerprint_parts": {"name": name}}

    definition = {"version": 1, "parameters": {}, "steps": [step("n1", "bad"), step("n2", "slow")]}
    return start_pipeline_run(ws, "exp", definition, None, False, False)


@pytest.mark.parametrize("show_output", [True, False])
def test_status_right_after_a_failed_wait(runner_ws, tmp_path: Path, show_output: bool) -> None:
    run = _failing_pipeline(runner_ws, tmp_path)
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=show_output)
    assert run.get_status() == "Failed"  # not Running: the waiter saw the failure
    steps = {child.name: child for child in run.get_children()}
    assert steps["bad"].get_status() == "Failed" and steps["slow"].get_status() == "Canceled"
    assert "step failed on purpose" in run.get_details()["error"]["error"]["message"]


def test_step_run_status_right_after_its_failed_wait(runner_ws, tmp_path: Path) -> None:
    run = _failing_pipeline(runner_ws, tmp_path)
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=False)
    step = next(child for child in run.get_children() if child.name == "bad")
    with pytest.raises(ActivityFailedException):
        step.wait_for_completion(show_output=True)
    assert step.get_status() == "Failed"
