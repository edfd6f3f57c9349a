"""Reuse at run time: hits, misses with reasons, data changes, regenerate_outputs, allow_reuse=False."""
from __future__ import annotations

import os
import signal
import time

import pytest

from azureml_local.pipeline import reuse
from azureml_local.data.stores import container_for
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import consume, definition, out, step

PREP = "import sys, os\nopen(os.path.join(sys.argv[1], 'v.txt'), 'w').write('prepped')\nprint('prep ran')\n"
TRAIN = "import sys, os\nprint('train read', open(os.path.join(sys.argv[1], 'v.txt')).read())\n"
READ_REF = "import sys, os\nprint('ref has', sorted(os.listdir(sys.argv[1])))\n"


def _two_steps(src, allow_reuse=True, script_version="x"):
    return definition(
        step("n1", "prep", "prep.py", src, [{"output": "o"}], outputs=[out("o")], allow_reuse=allow_reuse),
        step("n2", "train", "train.py", src, [{"input": "i"}], inputs=[consume("i", "n1", "o")],
             fingerprint_parts={"name": "train", "content": script_version}))


def _run(ws, d, params=None, regenerate=False):
    run = start_pipeline_run(ws, "exp", d, params, regenerate, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    return run


def _reasons(ws, run):
    rows = ws._store.query("SELECT name, reused_run_id, reason FROM pipeline_step_runs WHERE pipeline_run_id = ?",
                           (run.id,))
    return {r["name"]: (r["reused_run_id"] is not None, r["reason"]) for r in rows}


@pytest.fixture
def scripts(src):
    (src / "prep.py").write_text(PREP)
    (src / "train.py").write_text(TRAIN)
    return src


def test_full_reuse_then_partial_rerun_with_reasons(runner_ws, scripts):
    first = _run(runner_ws, _two_steps(scripts))
    assert _reasons(runner_ws, first) == {"prep": (False, "no previous run of this step"),
                                          "train": (False, "no previous run of this step")}
    second = _run(runner_ws, _two_steps(scripts))
    reasons = _reasons(runner_ws, second)
    assert reasons["prep"][0] and reasons["train"][0]
    children = list(second.get_children())
    assert all(c._is_reused for c in children)
    original_prep = first.find_step_run("prep")[0]
    assert children[0].id == original_prep.id  # the SDK's reused StepRun points at the original run
    # the reused run record carries the SDK's properties
    row = runner_ws._store.query_one("SELECT step_run_id FROM pipeline_step_runs WHERE pipeline_run_id=? AND name='prep'",
                                     (second.id,))

    props = runner_ws._context.runs.properties(row["step_run_id"])
    assert props["azureml.reusedrunid"] == original_prep.id
    assert props["azureml.reusedpipeline"] == first.id and props["azureml.pipeline"] == second.id
    assert runner_ws._context.runs.run(row["step_run_id"])["run_type"] == "azureml.ReusedStepRun"
    assert children[0].get_output_data("o").path_on_datastore == f"dataset/{original_prep.id}/o"
    # only the changed step re-runs, and says which part changed
    third = _run(runner_ws, _two_steps(scripts, script_version="y"))
    reasons = _reasons(runner_ws, third)
    assert reasons["prep"][0] is True
    assert reasons["train"][0] is False and "step definition 'content'" in reasons["train"][1]
    log = third.find_step_run("train")[0].get_job_log()
    assert "Re-running step 'train': changed since the previous run" in log and "train read prepped" in log


def test_allow_reuse_false_and_regenerate_outputs(runner_ws, scripts):
    _run(runner_ws, _two_steps(scripts, allow_reuse=False))
    run = _run(runner_ws, _two_steps(scripts, allow_reuse=False))
    reasons = _reasons(runner_ws, run)
    assert reasons["prep"] == (False, "allow_reuse=False")
    assert reasons["train"][0] is False and "input 'i'" in reasons["train"][1]  # new producer run
    regen = _run(runner_ws, _two_steps(scripts), regenerate=True)
    assert {k: v for k, v in _reasons(runner_ws, regen).items()} == {
        "prep": (False, "regenerate_outputs=True"), "train": (False, "regenerate_outputs=True")}
    after = _run(runner_ws, _two_steps(scripts))  # later runs may reuse the regenerated outputs
    assert all(v[0] for v in _reasons(runner_ws, after).values())


def test_changed_datastore_data_reruns_unless_definition_mode(runner_ws, src, monkeypatch):
    (src / "ref.py").write_text(READ_REF)
    store, container = container_for(runner_ws, "workspaceblobstore")
    store.upload_bytes(container, "raw/a.csv", b"1,2\n")
    d = definition(step("n1", "read", "ref.py", src, [{"input": "raw"}],
                        inputs=[{"name": "raw", "kind": "datastore_path", "datastore": "workspaceblobstore",
                                 "path": "raw", "mode": "download"}]))
    first = _run(runner_ws, d)
    assert "ref has ['a.csv']" in first.find_step_run("read")[0].get_job_log()
    assert _reasons(runner_ws, _run(runner_ws, d))["read"][0] is True
    store.upload_bytes(container, "raw/a.csv", b"1,2\n3,4\n")
    changed = _reasons(runner_ws, _run(runner_ws, d))["read"]
    assert changed[0] is False and "input 'raw'" in changed[1]
    # the cloud's rule: data changes behind the same path are not seen
    monkeypatch.setenv(reuse.REUSE_MODE_ENV, "definition")
    _run(runner_ws, d)
    store.upload_bytes(container, "raw/a.csv", b"changed again\n")
    assert _reasons(runner_ws, _run(runner_ws, d))["read"][0] is True


def test_changed_parameter_value_reruns(runner_ws, src):
    (src / "p.py").write_text("import sys; print(sys.argv[1])\n")
    d = definition(step("n1", "p", "p.py", src, [{"parameter": "x"}]),
                   parameters={"x": {"type": "scalar", "default": 1}})
    _run(runner_ws, d)
    assert _reasons(runner_ws, _run(runner_ws, d, {"x": 1}))["p"][0] is True
    reason = _reasons(runner_ws, _run(runner_ws, d, {"x": 2}))["p"]
    assert reason[0] is False and "pipeline parameter 'x'" in reason[1]


def test_runner_killed_mid_run_ends_failed(runner_ws, src):
    from azureml_local.service import control as service_control

    (src / "long.py").write_text("import time; time.sleep(60)\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "long", "long.py", src)), None, False, False)
    deadline = time.time() + 20
    while time.time() < deadline and not any(c.get_status() == "Running" for c in run.get_children()):
        time.sleep(0.05)
    step_pid = runner_ws._store.query_one("SELECT pid FROM runs WHERE run_id = ?",
                                          (next(run.get_children()).id,))["pid"]
    info = service_control.ensure_service(runner_ws, wait=True)
    os.kill(info["pid"], signal.SIGKILL)
    status = run.wait_for_completion(show_output=False, raise_on_error=False, timeout_seconds=20)
    assert status == "Failed"
    assert "stopped unexpectedly" in run.get_details()["error"]["error"]["message"]
    assert next(run.get_children()).get_status() == "Failed"
    from azureml_local.processes import pid_alive

    time.sleep(0.2)
    assert not pid_alive(step_pid)  # the orphaned step process was killed too
