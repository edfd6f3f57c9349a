"""The reuse key and its explanations (pure functions of azureml_local.pipeline.reuse)."""
from __future__ import annotations

from azureml_local.pipeline import reuse


def _step(**extra):
    step = {"node_id": "n1", "name": "s", "fingerprint": "fp", "fingerprint_parts": {"name": "s", "content": "h1"},
            "arguments": [{"literal": "--x"}, {"parameter": "rate"}], "inputs": [], "params": {"k": {"parameter": "p2"}}}
    step.update(extra)
    return step


def test_key_is_stable_and_named():
    key = reuse.compute_key(_step(), {"rate": 1, "p2": "a"}, lambda inp: "id", "content")
    again = reuse.compute_key(_step(), {"rate": 1, "p2": "a"}, lambda inp: "id", "content")
    assert key.digest == again.digest
    assert {"definition:name", "definition:content", "parameter:rate", "parameter:p2", "reuse_mode"} <= set(key.parts)


def test_each_part_changes_the_key_and_is_explained():
    base = reuse.compute_key(_step(), {"rate": 1, "p2": "a"}, lambda inp: "id", "content")
    changed = reuse.compute_key(_step(fingerprint_parts={"name": "s", "content": "h2"}), {"rate": 2, "p2": "a"},
                                lambda inp: "id", "content")
    assert changed.digest != base.digest
    text = reuse.explain(changed, ("run-1", base.parts))
    assert text == "changed since the previous run run-1: step definition 'content', pipeline parameter 'rate'"
    assert reuse.explain(changed, None) == "no previous run of this step"


def test_mode_is_part_of_the_key():
    a = reuse.compute_key(_step(), {}, lambda inp: "id", "content")
    b = reuse.compute_key(_step(), {}, lambda inp: "id", "definition")
    assert a.digest != b.digest


def test_auto_named_inputs_are_keyed_by_position():
    inputs = [{"name": "input_1a2b3c4d", "kind": "step_output"}, {"name": "raw_data", "kind": "dataset"},
              {"name": "workspaceblobstore_0f0f0f0f", "kind": "datapath_parameter", "parameter": "p"}]
    key = reuse.compute_key(_step(inputs=inputs), {}, lambda inp: inp["kind"], "content")
    assert {"input:#1", "input:raw_data", "input:#3", "parameter:p"} <= set(key.parts)
    other = [dict(inputs[0], name="input_99999999"), inputs[1], dict(inputs[2], name="workspaceblobstore_12345678")]
    assert reuse.compute_key(_step(inputs=other), {}, lambda inp: inp["kind"], "content").digest == key.digest


def test_reuse_mode_env(monkeypatch):
    monkeypatch.delenv(reuse.REUSE_MODE_ENV, raising=False)
    assert reuse.reuse_mode() == "content"
    monkeypatch.setenv(reuse.REUSE_MODE_ENV, "Definition")
    assert reuse.reuse_mode() == "definition"
    monkeypatch.setenv(reuse.REUSE_MODE_ENV, "anything-else")
    assert reuse.reuse_mode() == "content"


def test_record_find_and_forget(ws):
    key = reuse.ReuseKey("fp", {"a": "1"})
    assert reuse.find_reusable(ws, key) is None
    reuse.record(ws, key, "s", "sr1", "pr1", "n1", {"o": {"path": "p"}})
    entry = reuse.find_reusable(ws, key)
    assert entry["step_run_id"] == "sr1" and entry["outputs"] == {"o": {"path": "p"}}
    reuse.forget_run(ws, "sr1")
    assert reuse.find_reusable(ws, key) is None
