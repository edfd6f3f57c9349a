"""End to end: "prepare data -> train and register a model" over a registered tabular dataset.

OutputFileDatasetConfig between the steps, metrics in both, ``Model.register`` inside the
training step, a ``PipelineParameter``; then the reuse story: a second submit reuses every
step, changing one step's script re-runs only that step (and what reads its output),
changing the input data re-runs the pipeline, ``regenerate_outputs=True`` re-runs all.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "prep_train"
CSV = "col1,col2,col3\n" + "".join(f"{i},{i % 7},{2 * i - (i % 7) * 0.5}\n" for i in range(40)) + "41,,3\n"


def _upload(ws, text: str) -> None:
    Path("raw.csv").write_text(text)
    ws.get_default_datastore().upload_files(["raw.csv"], target_path="e2e", overwrite=True, show_progress=False)


@pytest.fixture
def pipeline(ws):
    from azureml.core import Dataset
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    shutil.copytree(SAMPLE / "prep", "prep")
    shutil.copytree(SAMPLE / "train", "train")
    _upload(ws, CSV)
    Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "e2e/raw.csv")).register(ws, "e2e_raw")
    raw = Dataset.get_by_name(ws, "e2e_raw")
    clean = OutputFileDatasetConfig("clean")
    reg = PipelineParameter(name="reg_rate", default_value=0.1)
    prep = PythonScriptStep("prep.py", name="prep", source_directory="prep", compute_target="local",
                            arguments=["--raw", raw.as_named_input("raw_data"), "--out", clean])
    train = PythonScriptStep("train.py", name="train", source_directory="train", compute_target="local",
                             arguments=["--data", clean.as_input(), "--reg", reg])
    return Pipeline(ws, steps=[train])


def _submit(ws, pipeline, **kwargs) -> dict:
    from azureml.core import Experiment

    run = Experiment(ws, "e2e").submit(pipeline, **kwargs)
    assert run.wait_for_completion(show_output=False) == "Finished"
    return {s.name: s for s in run.get_steps()}


def test_prepare_train_register_and_reuse(ws, pipeline):
    from azureml.core import Model

    first = _submit(ws, pipeline)
    assert first["prep"].get_metrics() == {"rows_in": 41, "rows_out": 40}
    assert first["train"].get_metrics()["reg_rate"] == 0.1
    assert Model(ws, "prep_train_model").version == 1

    second = _submit(ws, pipeline)  # nothing changed: both reused, no new model version
    assert all(s._is_reused for s in second.values())
    assert Model(ws, "prep_train_model").version == 1

    tuned = _submit(ws, pipeline, pipeline_parameters={"reg_rate": 0.5})  # a parameter value is part of the key
    assert tuned["prep"]._is_reused and not tuned["train"]._is_reused
    assert tuned["train"].get_metrics()["reg_rate"] == 0.5

    Path("train/train.py").write_text(Path("train/train.py").read_text() + "\n# tweak\n")
    changed = _submit(ws, pipeline)
    assert changed["prep"]._is_reused and not changed["train"]._is_reused

    _upload(ws, CSV.replace("41,,3", "41,1,3"))  # same dataset definition, new content
    new_data = _submit(ws, pipeline)
    assert not new_data["prep"]._is_reused and not new_data["train"]._is_reused
    assert new_data["prep"].get_metrics()["rows_out"] == 41

    regenerated = _submit(ws, pipeline, regenerate_outputs=True)
    assert not any(s._is_reused for s in regenerated.values())
    assert Model(ws, "prep_train_model").version == 5
