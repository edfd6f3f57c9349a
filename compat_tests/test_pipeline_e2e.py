"""End to end, SDK-shaped: "prepare data -> train and register a model" over a registered tabular dataset.

Only public SDK v1 API is used (as a notebook would). Checks real outcomes: statuses, metrics of both
steps, the model registered from inside the training step, the output in the datastore, and which
steps re-run across submissions (full reuse, one changed script, changed input data,
``regenerate_outputs=True``, a changed PipelineParameter).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PREP = textwrap.dedent("""
    import argparse, os
    from azureml.core import Run

    run = Run.get_context()
    parser = argparse.ArgumentParser()
    parser.add_argument('--raw-ds', dest='raw_id')
    parser.add_argument('--out_folder', dest='folder')
    args = parser.parse_args()
    df = run.input_datasets['raw_data'].to_pandas_dataframe()
    run.log('rows_in', len(df))
    prepped = df.dropna()[['x', 'y']]
    run.log('rows_out', len(prepped))
    os.makedirs(args.folder, exist_ok=True)
    prepped.to_csv(os.path.join(args.folder, 'prepped.csv'), index=False)
    print('prepared', len(prepped), 'rows')
""")

TRAIN = textwrap.dedent("""
    import argparse, json, os
    import numpy as np
    import pandas as pd
    from azureml.core import Model, Run

    run = Run.get_context()
    parser = argparse.ArgumentParser()
    parser.add_argument('--training-data', dest='data')
    parser.add_argument('--reg', type=float, dest='reg')
    args = parser.parse_args()
    df = pd.read_csv(os.path.join(args.data, 'prepped.csv'))
    X = np.hstack([df[['x']].to_numpy(float), np.ones((len(df), 1))])
    w = np.linalg.solve(X.T @ X + args.reg * np.eye(2), X.T @ df['y'].to_numpy(float))
    rmse = float(np.sqrt(np.mean((X @ w - df['y'].to_numpy(float)) ** 2)))
    run.log('reg_rate', args.reg)
    run.log('rmse', rmse)
    os.makedirs('outputs', exist_ok=True)
    json.dump({'w': w.tolist()}, open('outputs/model.json', 'w'))
    model = Model.register(workspace=run.experiment.workspace, model_path='outputs/model.json',
                           model_name='e2e_model', tags={'rmse': str(round(rmse, 4))})
    print('registered', model.name, model.version)
""")


def _csv(rows: int) -> str:
    return "x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(rows)) + ",\n"


@pytest.fixture
def project(ws, tmp_path):
    from azureml.core import Dataset

    for folder, name, text in (("prep", "prep.py", PREP), ("train", "train.py", TRAIN)):
        Path("scripts", folder).mkdir(parents=True)  # one source directory per step: its hash is the step's
        Path("scripts", folder, name).write_text(text)
    Path("raw.csv").write_text(_csv(20))
    store = ws.get_default_datastore()
    store.upload_files(["raw.csv"], target_path="e2e", overwrite=True, show_progress=False)
    Dataset.Tabular.from_delimited_files(path=(store, "e2e/raw.csv")).register(ws, "raw_e2e")
    yield ws
    from azureml_local.service import control as service_control

    service_control.stop_service(ws)


def _pipeline(ws):
    from azureml.core import Dataset
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    raw_ds = Dataset.get_by_name(ws, "raw_e2e")
    prepped = OutputFileDatasetConfig("prepped")
    reg = PipelineParameter(name="reg_rate", default_value=0.01)
    prep = PythonScriptStep(name="prepare data", source_directory="scripts/prep", script_name="prep.py",
                            compute_target="aml-cluster",
                            arguments=["--raw-ds", raw_ds.as_named_input("raw_data"), "--out_folder", prepped])
    train = PythonScriptStep(name="train model", source_directory="scripts/train", script_name="train.py",
                             compute_target="aml-cluster",
                             arguments=["--training-data", prepped.as_input(), "--reg", reg])
    return Pipeline(ws, steps=[prep, train])


def _submit(ws, **kwargs):
    from azureml.core import Experiment

    run = Experiment(ws, "e2e-pipeline").submit(_pipeline(ws), **kwargs)
    assert run.wait_for_completion(show_output=False) == "Finished"
    return run


def _reused(run) -> dict:
    return {s.name: s._is_reused for s in run.get_steps()}


def test_prepare_then_train_with_reuse_rules(project, monkeypatch):
    from azureml.core import Model
    from azureml.core.compute import AmlCompute, ComputeTarget

    ws = project
    ComputeTarget.create(ws, "aml-cluster", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=2)).wait_for_completion()

    first = _submit(ws)
    prep = first.find_step_run("prepare data")[0]
    train = first.find_step_run("train model")[0]
    assert prep.get_metrics() == {"rows_in": 21, "rows_out": 20}
    assert train.get_metrics()["reg_rate"] == 0.01 and train.get_metrics()["rmse"] < 1e-3 + 0.1
    assert Model(ws, "e2e_model").version == 1
    ref = prep.get_output_data("prepped")
    assert ref.path_on_datastore == f"dataset/{prep.id}/prepped"
    assert ref.download("dl") == 1 and Path("dl", ref.path_on_datastore, "prepped.csv").read_text().count("\n") == 21

    second = _submit(ws)  # nothing changed: every step reused, outputs still resolve
    assert _reused(second) == {"prepare data": True, "train model": True}
    assert second.find_step_run("train model")[0].get_metrics()["reg_rate"] == 0.01
    assert Model(ws, "e2e_model").version == 1

    Path("scripts/train/train.py").write_text(TRAIN + "\nprint('v2')\n")  # only the training script changes
    third = _submit(ws)
    assert _reused(third) == {"prepare data": True, "train model": False}
    assert "v2" in third.find_step_run("train model")[0].get_job_log()
    assert Model(ws, "e2e_model").version == 2

    Path("raw.csv").write_text(_csv(30))  # new data behind the same registered dataset
    ws.get_default_datastore().upload_files(["raw.csv"], target_path="e2e", overwrite=True, show_progress=False)
    fourth = _submit(ws)
    assert _reused(fourth) == {"prepare data": False, "train model": False}
    assert fourth.find_step_run("prepare data")[0].get_metrics()["rows_out"] == 30

    changed_param = _submit(ws, pipeline_parameters={"reg_rate": 0.5})
    assert _reused(changed_param) == {"prepare data": True, "train model": False}
    assert changed_param.find_step_run("train model")[0].get_metrics()["reg_rate"] == 0.5

    regenerated = _submit(ws, regenerate_outputs=True)
    assert _reused(regenerated) == {"prepare data": False, "train model": False}
