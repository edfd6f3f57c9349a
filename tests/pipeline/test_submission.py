"""start_pipeline_run records the run and returns at once; is_known_fingerprint reads the reuse store."""
from __future__ import annotations

import json

import pytest

from azureml_local.exceptions import UserErrorException
from azureml_local.pipeline import reuse
from azureml_local.pipeline.submission import start_pipeline_run


def _definition(tmp_path, body="print('hi')"):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "s.py").write_text(body)
    return {"version": 1, "steps": [{"node_id": "aaaa0001", "name": "one", "kind": "PythonScriptStep",
                                     "compute_target": "local", "source_directory": str(src),
                                     "script_name": "s.py", "arguments": [], "inputs": [], "outputs": [],
                                     "allow_reuse": True, "fingerprint": "fp1"}]}


def test_start_records_definition_and_parameters(ws, tmp_path, monkeypatch):
    monkeypatch.setattr("azureml_local.pipeline.submission.wake_service", lambda ws: None)
    run = start_pipeline_run(ws, "exp", _definition(tmp_path), {"p": 1}, False, None, tags={"a": "b"})
    row = ws._store.query_one("SELECT * FROM pipeline_runs WHERE run_id = ?", (run.id,))
    assert json.loads(row["definition"])["steps"][0]["name"] == "one"
    assert json.loads(row["parameters"]) == {"p": 1}
    assert row["continue_on_step_failure"] == 0
    assert run.get_status() == "NotStarted"


@pytest.mark.parametrize("bad", [None, {}, {"steps": []}, {"steps": [{"node_id": "a"}, {"node_id": "a"}]}])
def test_bad_definitions_are_rejected_and_nothing_recorded(ws, bad):
    with pytest.raises(UserErrorException):
        start_pipeline_run(ws, "exp", bad, None, False, False)
    assert ws._store.query("SELECT * FROM pipeline_runs") == []


def test_unstorable_parameter_value(ws, tmp_path):
    with pytest.raises(UserErrorException, match="Pipeline parameter 'p'"):
        start_pipeline_run(ws, "exp", _definition(tmp_path), {"p": object()}, False, False)


def test_is_known_fingerprint(ws):
    assert reuse.is_known_fingerprint(ws, "fp1") is False
    key = reuse.ReuseKey("fp1", {"definition": "x"})
    reuse.record(ws, key, "one", "sr1", "pr1", "aaaa0001", {})
    assert reuse.is_known_fingerprint(ws, "fp1") is True
    assert reuse.is_known_fingerprint(ws, "") is False
