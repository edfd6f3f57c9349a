"""The seed document's pipeline blocks, executed unmodified (compat_tests/seed/seed_notes.txt).

The namespace a block runs in holds only what the seed's notebook had defined before it
(``ws``, ``Dataset``, ``experiment``, ``run_config``, ``train_pipeline``); the step scripts
come from ``samples/seed_pipeline/scripts``. Outcomes are read back from the workspace:
blobs in the datastore, step statuses, metrics and reuse properties.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compat_tests.seed.blocks import block_containing, corrected

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "seed_pipeline"
BLOCK_STEPS = "prepped_data = OutputFileDatasetConfig('prepped')"
BLOCK_NO_REUSE = "# Disable step reuse"
BLOCK_REGENERATE = "experiment.submit(train_pipeline, regenerate_outputs=True)"
BLOCK_PARAMETER = "PipelineParameter(name='reg_rate', default_value=0.01)"


@pytest.fixture
def seed(ws):
    """The notebook state before the seed's blocks: data registered, compute and experiment exist."""
    from azureml.core import Dataset, Experiment
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.core.runconfig import RunConfiguration

    shutil.copytree(SAMPLE / "scripts", "scripts")
    ComputeTarget.create(ws, "aml-cluster", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=2)).wait_for_completion()
    store = ws.get_default_datastore()
    store.upload_files([str(SAMPLE / "data" / "raw_data.csv")], target_path="seed/raw", overwrite=True,
                       show_progress=False)
    Dataset.Tabular.from_delimited_files(path=(store, "seed/raw/raw_data.csv")).register(ws, "raw_dataset")
    return {"ws": ws, "Dataset": Dataset, "experiment": Experiment(ws, "training-pipeline"),
            "run_config": RunConfiguration()}


def _run(block: str, namespace: dict) -> dict:
    exec(compile(block, "<seed block>", "exec"), namespace)
    return namespace


def _steps(run) -> dict:
    return {s.name: s for s in run.get_steps()}


def test_steps_block_builds_the_data_dependency(seed):
    from azureml.pipeline.core import Pipeline

    ns = _run(block_containing(BLOCK_STEPS), seed)
    steps = {s["name"]: s for s in Pipeline(seed["ws"], steps=[ns["step1"], ns["step2"]])._definition(
        snapshot=False)["steps"]}
    prep, train = steps["prepare data"], steps["train model"]
    assert prep["compute_target"] == train["compute_target"] == "aml-cluster"
    raw = prep["inputs"][0]
    assert (raw["name"], raw["kind"], raw["mode"], raw["dataset"]["name"]) == ("raw_data", "dataset", "direct",
                                                                               "raw_dataset")
    out = prep["outputs"][0]
    assert (out["name"], out["datastore"], out["path"], out["mode"]) == (
        "prepped", "workspaceblobstore", "dataset/{run-id}/{output-name}", "mount")
    assert prep["arguments"] == [{"literal": "--raw-ds"}, {"input": "raw_data"},
                                 {"literal": "--out_folder"}, {"output": "prepped"}]
    inp = train["inputs"][0]
    assert (inp["kind"], inp["producer"], inp["output"], inp["mode"]) == ("step_output", prep["node_id"], "prepped",
                                                                          "mount")
    assert train["arguments"] == [{"literal": "--training-data"}, {"input": inp["name"]}]


def test_seed_pipeline_runs_reuses_and_regenerates(seed):
    from azureml.pipeline.core import Pipeline

    ns = _run(block_containing(BLOCK_STEPS), seed)
    ws, experiment = seed["ws"], seed["experiment"]
    ns["train_pipeline"] = Pipeline(ws, steps=[ns["step1"], ns["step2"]])

    first = experiment.submit(ns["train_pipeline"])
    assert first.wait_for_completion(show_output=False) == "Finished"
    steps = _steps(first)
    prep_run = steps["prepare data"]
    blob = f"dataset/{prep_run.id}/prepped/prepped_data.csv"  # destination 'dataset/{run-id}/{output-name}'
    ws.get_default_datastore().download("downloaded", prefix=blob, show_progress=False)
    header = Path("downloaded", blob).read_text().splitlines()[0]
    assert header == ",col1,col2,col3"
    metrics = steps["train model"].get_metrics()
    assert metrics["training_rows"] == 60 and metrics["r2"] > 0.9

    second = experiment.submit(ns["train_pipeline"])
    assert second.wait_for_completion(show_output=False) == "Finished"
    again = _steps(second)
    # As in the SDK, a reused step's StepRun is the original run; the ReusedStepRun record points at it.
    assert {name: (s._is_reused, s.id) for name, s in again.items()} == {
        "prepare data": (True, prep_run.id), "train model": (True, steps["train model"].id)}
    # The ReusedStepRun record of this pipeline run is its own run, pointing at the original.
    assert again["prepare data"]._current_run_id not in (None, prep_run.id)
    assert ws.get_run(again["prepare data"]._current_run_id).id == prep_run.id
    assert second.get_status() == "Finished"

    ns = _run(block_containing(BLOCK_REGENERATE), ns)
    assert ns["pipeline_run"].wait_for_completion(show_output=False) == "Finished"
    for name, step_run in _steps(ns["pipeline_run"]).items():
        assert not step_run._is_reused and step_run.id != steps[name].id


def test_allow_reuse_false_block(seed, tmp_path):
    from azureml.pipeline.core import Pipeline

    raw_block = block_containing(BLOCK_NO_REUSE)
    with pytest.raises(SyntaxError):  # the seed as written has a stray ')'
        compile(raw_block, "<seed block>", "exec")
    ns = _run(block_containing(BLOCK_STEPS), seed)
    ns = _run(corrected(raw_block), ns)
    step = ns["step1"]
    assert step._allow_reuse is False
    # The block passes '--folder' where the seed's data_prep.py reads '--out_folder': run it with that one
    # option renamed in the script so the step itself can be exercised twice.
    script = Path("scripts/data_prep.py")
    script.write_text(script.read_text().replace("'--out_folder'", "'--folder'"))
    pipeline = Pipeline(seed["ws"], steps=[step])
    entry = pipeline._definition(snapshot=False)["steps"][0]
    assert entry["allow_reuse"] is False and entry["fingerprint_parts"]["allow_reuse"] == "deterministic_False"
    assert [i["name"] for i in entry["inputs"]] == ["raw_data"]
    assert entry["arguments"] == [{"literal": "--folder"}, {"output": "prepped"}]
    for _ in range(2):
        run = seed["experiment"].submit(pipeline)
        assert run.wait_for_completion(show_output=False) == "Finished"
        (only,) = _steps(run).values()
        assert not only._is_reused


def test_pipeline_parameter_block(seed):
    from azureml.pipeline.core import Pipeline

    ns = _run(block_containing(BLOCK_STEPS), seed)
    producer = ns["step1"]
    ns = _run(block_containing(BLOCK_PARAMETER), ns)
    definition = Pipeline(seed["ws"], steps=[producer, ns["step2"]])._definition(snapshot=False)
    assert definition["parameters"]["reg_rate"] == {"type": "scalar", "value_type": "float", "default": 0.01}
    train = next(s for s in definition["steps"] if s["script_name"] == "data_prep.py" and s["name"] == "train model")
    (inp,) = train["inputs"]
    assert inp["kind"] == "step_output" and inp["output"] == "prepped" and inp["mode"] == "mount"
    assert train["arguments"] == [{"literal": "--in_folder"}, {"input": inp["name"]},
                                  {"literal": "--reg"}, {"parameter": "reg_rate"}]
    assert train["params"]["reg_rate"] == {"parameter": "reg_rate"}
