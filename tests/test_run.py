"""Run API on interactive runs (start_logging): metrics, tags, properties, files, details, children."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from azureml.core import Experiment, Run
from azureml.core.run import get_run
from azureml.exceptions import AzureMLException, ServiceException, UserErrorException


@pytest.fixture
def run(ws):
    return Experiment(ws, "interactive").start_logging(snapshot_directory=None)


def test_metrics_fold_like_the_sdk(run) -> None:
    run.log("acc", 0.9)
    for v in (3, 2, 1):
        run.log("loss", v, step=v)
    run.log_list("curve", [1, 2, 3])
    run.log_row("row1", a=1, b="x")
    run.log_row("rows", epoch=1, loss=0.5)
    run.log_row("rows", epoch=2, loss=0.25)
    run.log_table("tbl", {"x": [1, 2], "y": [3, 4]})
    run.log_confusion_matrix("cm", {"schema_type": "confusion_matrix", "data": {"matrix": [[1, 0], [0, 1]]}})
    metrics = run.get_metrics()
    assert metrics["acc"] == 0.9
    assert metrics["loss"] == [3, 2, 1]
    assert metrics["curve"] == [1, 2, 3]
    assert metrics["row1"] == {"a": 1, "b": "x"}
    assert metrics["rows"] == {"epoch": [1, 2], "loss": [0.5, 0.25]}
    assert metrics["tbl"] == {"x": [1, 2], "y": [3, 4]}
    assert metrics["cm"]["data"]["matrix"] == [[1, 0], [0, 1]]
    assert run.get_metrics(name="acc") == {"acc": 0.9}


def test_log_rejects_lists_with_the_sdk_message(run) -> None:
    with pytest.raises(UserErrorException, match="run.log does not support list type. Use run.log_list instead"):
        run.log("bad", [1, 2])


def test_log_image_from_path_and_plot(run, tmp_path: Path) -> None:
    png = tmp_path / "plot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")

    class Figure:  # matplotlib-like
        def savefig(self, buf, format):  # noqa: A002 - matplotlib's name
            buf.write(b"\x89PNG figure")

    run.log_image("from_path", path=str(png))
    run.log_image("from_plot", plot=Figure())
    metrics = run.get_metrics()
    assert metrics["from_path"].startswith(f"aml://artifactId/ExperimentRun/dcid.{run.id}/")
    names = run.get_file_names()
    plot_name = [n for n in names if n.startswith("from_plot_") and n.endswith(".png")]
    assert plot_name and run._download_artifact_contents_to_string(plot_name[0], "latin-1").endswith("figure")
    assert run.get_metrics(populate=True)["from_plot"] == b"\x89PNG figure"
    with pytest.raises(AzureMLException, match="one of path and plot is required"):
        run.log_image("none")


def test_log_image_of_a_real_matplotlib_figure(run) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [1, 4, 9])
    run.log_image("curve", plot=fig)
    plt.close(fig)
    png = run.get_metrics(populate=True)["curve"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_tags_and_properties(run) -> None:
    run.tag("a")
    run.set_tags({"b": "2", "c": 3})
    run.remove_tags(["c"])
    assert run.get_tags() == {"a": None, "b": "2"} == run.tags
    run.add_properties({"p": "1"})
    run.add_properties({"p": "1"})  # same value: fine
    with pytest.raises(ServiceException, match="immutable"):
        run.add_properties({"p": "2"})
    assert run.get_properties()["p"] == "1"
    assert [r.id for r in run.experiment.get_runs(tags={"b": "2"})] == [run.id]
    assert list(run.experiment.get_runs(tags="zzz")) == []


def test_files_upload_list_download(run, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("A")
    (folder / "sub" / "b.txt").write_text("B")
    run.upload_file("single/one.txt", str(folder / "a.txt"))
    run.upload_files(["m/1.txt", "m/2.txt"], [str(folder / "a.txt"), str(folder / "sub" / "b.txt")])
    run.upload_folder("tree", str(folder))
    assert run.get_file_names() == ["m/1.txt", "m/2.txt", "single/one.txt", "tree/a.txt", "tree/sub/b.txt"]
    with pytest.raises(TypeError, match="names and paths must be lists of equal lengths"):
        run.upload_files(["x"], [])
    run.download_file("tree/sub/b.txt", str(tmp_path / "b.txt"))
    assert (tmp_path / "b.txt").read_text() == "B"
    run.download_files(prefix="tree", output_directory=str(tmp_path / "dl"))
    assert (tmp_path / "dl" / "tree" / "sub" / "b.txt").read_text() == "B"
    with pytest.raises(UserErrorException, match="File with path nope.txt was not found,\navailable files include: m/1.txt,"):
        run.download_file("nope.txt")


def test_complete_uploads_outputs_and_details(run) -> None:
    Path("outputs").mkdir()
    Path("outputs/model.pkl").write_text("m")
    run.complete()
    details = run.get_details()
    assert details["status"] == "Completed" and details["endTimeUtc"] >= details["startTimeUtc"]
    assert "outputs/model.pkl" in run.get_file_names()
    assert "error" not in details
    assert run.wait_for_completion()["status"] == "Completed"


def test_fail_records_error_and_wait_raises(run) -> None:
    from azureml.exceptions import ActivityFailedException

    run.fail(error_details="it broke", error_code="MyCode")
    with pytest.raises(ActivityFailedException, match="it broke"):
        run.wait_for_completion()
    assert run.get_details()["error"]["error"] == {"code": "MyCode", "message": "it broke"}


def test_context_manager_completes_or_fails(ws) -> None:
    exp = Experiment(ws, "ctx")
    with exp.start_logging(snapshot_directory=None) as good:
        good.log("x", 1)
    assert good.get_status() == "Completed"
    with pytest.raises(RuntimeError):
        with exp.start_logging(snapshot_directory=None) as bad:
            raise RuntimeError("inside")
    assert bad.get_status() == "Failed"


def test_children_and_lookup(ws, run) -> None:
    kids = [run.child_run(name=f"k{i}") for i in range(2)]
    grandchild = kids[0].child_run()
    assert [c.id for c in run.get_children()] == [k.id for k in kids]
    assert {c.id for c in run.get_children(recursive=True)} == {kids[0].id, kids[1].id, grandchild.id}
    assert kids[0].parent.id == run.id and run.parent is None
    assert [r.id for r in run.experiment.get_runs()] == [run.id]  # top level only
    assert len(list(run.experiment.get_runs(include_children=True))) == 4
    again = Run.get(ws, kids[1].id)
    assert again.id == kids[1].id and again.experiment.name == "interactive"
    assert Run(run.experiment, run.id) == run == get_run(run.experiment, run.id)
    assert ws.get_run(run.id).id == run.id
    kids[0].log("m", 1)
    assert run.get_metrics(recursive=True)[kids[0].id] == {"m": 1}


def test_unknown_run_id(ws) -> None:
    with pytest.raises(ServiceException, match="Run with id nope was not found"):
        Run.get(ws, "nope")
    with pytest.raises(ServiceException):
        Run(Experiment(ws, "e"), "nope")


def test_str_and_numbers(ws, run) -> None:
    assert str(run) == f"Run(Experiment: interactive,\nId: {run.id},\nType: interactive,\nStatus: Running)"
    second = run.experiment.start_logging(snapshot_directory=None)
    assert (run.number, second.number) == (1, 2)
    assert "<table" in run._repr_html_()
    run.display_name = "nice name"
    assert run.display_name == "nice name"


def test_cancel_interactive_run(run) -> None:
    run.cancel()
    assert run.get_status() == "Canceled"


def test_register_model_delegates_to_model_layer(ws, run, tmp_path: Path) -> None:
    Path("outputs").mkdir()
    Path("outputs/model.pkl").write_text("weights")
    run.upload_file("outputs/model.pkl", "outputs/model.pkl")
    model = run.register_model("my-model", model_path="outputs/model.pkl", tags={"k": "v"})
    assert model.name == "my-model" and model.version == 1


def test_start_logging_snapshot(ws, tmp_path: Path) -> None:
    Path("script.py").write_text("print(1)\n")
    run = Experiment(ws, "snap").start_logging()
    assert run.get_details()["properties"]["ContentSnapshotId"] == run.get_snapshot_id()
    assert json.loads(json.dumps(run.get_details()))  # JSON-serializable


def test_get_details_run_definition_has_no_internal_keys(ws) -> None:
    from azureml.core import Run
    from azureml_local.store.runs import new_run_id

    run_id = ws._context.runs.create_run("defs", new_run_id(), definition={"script": "train.py", "arguments": [],
                                                        "_python": "/usr/bin/python3", "_inputDatasets": []})
    definition = Run.get(ws, run_id).get_details()["runDefinition"]
    assert definition == {"script": "train.py", "arguments": []}


def test_add_properties_needs_a_dict(run) -> None:
    with pytest.raises(UserErrorException, match="dict"):
        run.add_properties(["a"])
    assert run.get_properties() == {}
