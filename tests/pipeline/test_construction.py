"""Pipeline construction: graph shape, SDK construction errors, definition contents."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter, StepSequence
from azureml.pipeline.steps import PythonScriptStep


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    for name in ("a.py", "b.py", "c.py"):
        (folder / name).write_text("print('hi')\n")
    return folder


def _step(scripts: Path, script: str = "a.py", **kw):
    return PythonScriptStep(script_name=script, source_directory=str(scripts), compute_target="local", **kw)


def _by_name(definition: dict) -> dict:
    return {s["name"]: s for s in definition["steps"]}


def test_pipeline_data_edge_and_closure(ws, scripts):
    data = PipelineData("prepped")
    producer = _step(scripts, name="prep", arguments=["--out", data], outputs=[data])
    consumer = _step(scripts, "b.py", name="train", arguments=["--in", data], inputs=[data])
    pipeline = Pipeline(ws, steps=[consumer])  # producer pulled in through the data edge
    definition = pipeline._definition(snapshot=False)
    steps = _by_name(definition)
    assert set(steps) == {"prep", "train"}
    train, prep = steps["train"], steps["prep"]
    assert train["inputs"][0]["kind"] == "step_output"
    assert train["inputs"][0]["producer"] == prep["node_id"]
    assert train["arguments"] == [{"literal": "--in"}, {"input": "prepped"}]
    assert prep["arguments"] == [{"literal": "--out"}, {"output": "prepped"}]
    assert prep["outputs"][0]["path"] == "azureml/{run-id}/{output-name}"
    assert prep["fingerprint"].endswith("_" + prep["snapshot_id"])


def test_step_sequence_orders_and_list_does_not(ws, scripts):
    a, b, c = _step(scripts, name="a"), _step(scripts, "b.py", name="b"), _step(scripts, "c.py", name="c")
    steps = _by_name(Pipeline(ws, steps=StepSequence(steps=[[a, b], c]))._definition(snapshot=False))
    assert sorted(steps["c"]["run_after"]) == sorted([steps["a"]["node_id"], steps["b"]["node_id"]])
    assert steps["a"]["run_after"] == []
    a2, b2 = _step(scripts, name="a"), _step(scripts, "b.py", name="b")
    steps = _by_name(Pipeline(ws, steps=[a2, b2])._definition(snapshot=False))
    assert steps["a"]["run_after"] == steps["b"]["run_after"] == []


def test_run_after_pulls_in_step(ws, scripts):
    a, b = _step(scripts, name="a"), _step(scripts, "b.py", name="b")
    b.run_after(a)
    steps = _by_name(Pipeline(ws, steps=[b])._definition(snapshot=False))
    assert steps["b"]["run_after"] == [steps["a"]["node_id"]]


def test_cycle_is_rejected(ws, scripts):
    a, b = _step(scripts, name="a"), _step(scripts, "b.py", name="b")
    a.run_after(b)
    b.run_after(a)
    pipeline = Pipeline(ws, steps=[a, b])  # the SDK builds it; validate() reports the cycle
    errors = pipeline.validate()
    assert len(errors) == 1 and errors[0].startswith("Cycle detected including node ")
    with pytest.raises(ValueError, match="Cycle detected including node"):
        pipeline.submit("exp")
    assert ws._store.query("SELECT run_id FROM pipeline_runs") == []


def test_pipeline_parameter_in_arguments(ws, scripts):
    reg = PipelineParameter(name="reg_rate", default_value=0.01)
    step = _step(scripts, name="train", arguments=["--reg", reg])
    pipeline = Pipeline(ws, steps=[step])
    definition = pipeline._definition(snapshot=False)
    assert definition["parameters"] == {"reg_rate": {"type": "scalar", "value_type": "float", "default": 0.01}}
    train = definition["steps"][0]
    assert train["arguments"] == [{"literal": "--reg"}, {"parameter": "reg_rate"}]
    assert train["params"] == {"reg_rate": {"parameter": "reg_rate"}}
    assert train["parameters_used"] == ["reg_rate"]


def test_fingerprint_stable_and_sensitive(ws, scripts):
    def fp(**kw):
        return Pipeline(ws, steps=[_step(scripts, name="s", **kw)])._definition(snapshot=False)["steps"][0]

    first, second = fp(arguments=["--x", "1"]), fp(arguments=["--x", "1"])
    assert first["fingerprint"] == second["fingerprint"]
    assert first["node_id"] != second["node_id"]
    assert fp(arguments=["--x", "2"])["fingerprint"] != first["fingerprint"]
    assert fp(arguments=["--x", "1"], allow_reuse=False)["fingerprint_parts"]["allow_reuse"] == "deterministic_False"
    (scripts / "a.py").write_text("print('changed')\n")
    changed = fp(arguments=["--x", "1"])
    assert changed["fingerprint"] != first["fingerprint"]
    assert changed["fingerprint_parts"]["source"] != first["fingerprint_parts"]["source"]
    assert changed["fingerprint_parts"]["arguments"] == first["fingerprint_parts"]["arguments"]


def test_amlignore_excluded_from_hash(ws, scripts):
    def fp():
        return Pipeline(ws, steps=[_step(scripts, name="s")])._definition(snapshot=False)["steps"][0]["fingerprint"]

    (scripts / ".amlignore").write_text("*.log\n")
    before = fp()
    (scripts / "run.log").write_text("noise")
    assert fp() == before


def test_sdk_generated_port_names_do_not_change_the_fingerprint(ws, scripts):
    """``as_input()`` names inputs ``input_<uuid8>``; a re-run notebook must still reuse its steps."""
    from azureml.data import OutputFileDatasetConfig

    def build():
        out = OutputFileDatasetConfig("prepped")
        prep = _step(scripts, name="prep", arguments=["--out", out])
        train = _step(scripts, "b.py", name="train", arguments=["--in", out.as_input()])
        steps = _by_name(Pipeline(ws, steps=[prep, train])._definition(snapshot=False))
        return steps["train"]

    first, second = build(), build()
    assert first["inputs"][0]["name"] != second["inputs"][0]["name"]
    assert first["fingerprint"] == second["fingerprint"]
    assert first["fingerprint_parts"]["inputs"] == ["input_from_prep.prepped,ds_mode_mount"]
