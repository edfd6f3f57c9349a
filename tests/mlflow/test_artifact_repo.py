"""MLflow artifacts are run artifacts: get_file_names / download_file see them, MLflow reads them back."""
from __future__ import annotations

import json

import mlflow

from azureml.core import Experiment, Run


def _sdk_run(ws, run_id: str) -> Run:
    return Run(Experiment(ws, "artifacts"), run_id)


def test_log_artifact_and_artifacts_are_run_files(tracked, tmp_path) -> None:
    mlflow.set_experiment("artifacts")
    (tmp_path / "report.txt").write_text("hello")
    folder = tmp_path / "plots"
    (folder / "deep").mkdir(parents=True)
    (folder / "a.csv").write_text("x\n1\n")
    (folder / "deep" / "b.csv").write_text("y\n2\n")
    with mlflow.start_run() as active:
        mlflow.log_artifact(str(tmp_path / "report.txt"))
        mlflow.log_artifact(str(tmp_path / "report.txt"), artifact_path="outputs")
        mlflow.log_artifacts(str(folder), artifact_path="plots")
    run = _sdk_run(tracked, active.info.run_id)
    assert set(run.get_file_names()) >= {"report.txt", "outputs/report.txt", "plots/a.csv", "plots/deep/b.csv"}
    run.download_file("plots/deep/b.csv", str(tmp_path / "b.csv"))
    assert (tmp_path / "b.csv").read_text() == "y\n2\n"
    client = mlflow.MlflowClient()
    top = {(f.path, f.is_dir) for f in client.list_artifacts(active.info.run_id)}
    assert {("report.txt", False), ("outputs", True), ("plots", True)} <= top
    assert [f.path for f in client.list_artifacts(active.info.run_id, "plots/deep")] == ["plots/deep/b.csv"]
    local = mlflow.artifacts.download_artifacts(run_id=active.info.run_id, artifact_path="plots",
                                                dst_path=str(tmp_path / "back"))
    assert (tmp_path / "back" / "plots" / "deep" / "b.csv").read_text() == "y\n2\n" and local.endswith("plots")


def test_log_dict_and_log_text(tracked) -> None:
    mlflow.set_experiment("artifacts")
    with mlflow.start_run() as active:
        mlflow.log_dict({"a": 1, "b": [1, 2]}, "config/params.json")
        mlflow.log_text("some notes", "notes.txt")
    run = _sdk_run(tracked, active.info.run_id)
    assert {"config/params.json", "notes.txt"} <= set(run.get_file_names())
    assert json.loads(mlflow.artifacts.load_text(f"runs:/{active.info.run_id}/config/params.json")) == \
        {"a": 1, "b": [1, 2]}
    assert mlflow.artifacts.load_dict(f"runs:/{active.info.run_id}/config/params.json") == {"a": 1, "b": [1, 2]}


def test_log_figure_is_a_png_run_file(tracked, tmp_path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mlflow.set_experiment("artifacts")
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2])
    with mlflow.start_run() as active:
        mlflow.log_figure(fig, "figures/curve.png")
    plt.close(fig)
    run = _sdk_run(tracked, active.info.run_id)
    assert "figures/curve.png" in run.get_file_names()
    run.download_file("figures/curve.png", str(tmp_path / "curve.png"))
    assert (tmp_path / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
