"""Bad things during execution: a killed step, a full disk while uploading outputs, bad definitions."""
from __future__ import annotations

import errno

import pytest

from azureml_local.exceptions import ActivityFailedException
from azureml_local.pipeline import reuse
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import consume, definition, out, step


def test_step_killed_by_a_signal_fails_the_pipeline(runner_ws, src):
    (src / "die.py").write_text("import os, signal\nprint('about to die', flush=True)\nos.kill(os.getpid(), signal.SIGKILL)\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "die", "die.py", src)), None, False, False)
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=False)
    child = next(run.get_children())
    assert child.get_status() == "Failed"
    assert "about to die" in child.get_job_log()


def test_disk_full_during_output_upload_fails_and_records_no_reuse(ws, src, monkeypatch):
    """In-process orchestration so the upload can be made to fail like a full disk."""
    from azureml_local.data import stores
    from azureml_local.pipeline import submission
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)
    (src / "w.py").write_text("import sys, os\nopen(os.path.join(sys.argv[1], 'x'), 'w').write('x')\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stores, "upload_folder", full)  # the data engine uploads outputs
    d = definition(step("n1", "w", "w.py", src, [{"output": "o"}], outputs=[out("o")]))
    run = start_pipeline_run(ws, "exp", d, None, False, False)
    assert run_pipeline(ws, run.id) == "Failed"
    assert run.get_status() == "Failed"
    message = run.get_details()["error"]["error"]["message"]
    assert "No space left on device" in message and "Free disk space" in message
    assert not reuse.is_known_fingerprint(ws, d["steps"][0]["fingerprint"])
    assert next(run.get_children()).get_status() == "Failed"


def test_unknown_dependency_fails_the_run_with_a_clear_error(ws, src, monkeypatch):
    from azureml_local.pipeline import submission
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)
    (src / "s.py").write_text("pass\n")
    d = definition(step("n1", "s", "s.py", src, inputs=[consume("i", "nope", "o")]))
    run = start_pipeline_run(ws, "exp", d, None, False, False)
    with pytest.raises(ValueError):
        run_pipeline(ws, run.id)
    assert run.get_status() == "Failed"
    assert "unknown node" in run.get_details()["error"]["error"]["message"]
