"""Experiment: names, get-or-create, listing, archive/reactivate, tags, submit dispatch."""
from __future__ import annotations

import pytest

from azureml.core import Experiment
from azureml.core.experiment import ViewType
from azureml.exceptions import AzureMLException, UserErrorException
from azureml_local.experiment import register_submit_function


@pytest.mark.parametrize("bad", ["", "-starts-with-dash", "has space", "x" * 256, None])
def test_invalid_names(ws, bad) -> None:
    with pytest.raises(UserErrorException, match="Experiment name must be between 1 and 255 characters long"):
        Experiment(ws, bad)


def test_get_or_create_is_idempotent(ws) -> None:
    a, b = Experiment(ws, "same"), Experiment(ws, "same")
    assert a.id == b.id and a == b
    assert a.name == "same" and a.workspace is ws and a.archived_time is None
    assert str(a) == "Experiment(Name: same,\nWorkspace: ws1)" == repr(a)
    assert "<table" in a._repr_html_()
    assert set(ws.experiments) == {"same"}


def test_list_archive_reactivate(ws) -> None:
    keep, old = Experiment(ws, "keep"), Experiment(ws, "old")
    old.archive()
    assert old.archived_time is not None
    assert [e.name for e in Experiment.list(ws)] == ["keep"]
    assert [e.name for e in Experiment.list(ws, view_type=ViewType.ArchivedOnly)] == ["old"]
    assert {e.name for e in Experiment.list(ws, view_type=ViewType.All)} == {"keep", "old"}
    with pytest.raises(UserErrorException, match="Cannot rename an experiment"):
        old.reactivate(new_name="x")
    old.reactivate()
    assert old.archived_time is None and len(Experiment.list(ws, experiment_name="old")) == 1
    assert keep.id != old.id


def test_tags_and_list_by_tag(ws) -> None:
    exp = Experiment(ws, "tagged")
    exp.tag("team", "a")
    exp.set_tags({"x": "1"})
    exp.remove_tags(["x"])
    assert exp.tags == {"team": "a"}
    assert [e.name for e in Experiment.list(ws, tags={"team": "a"})] == ["tagged"]
    assert Experiment.list(ws, tags="nope") == []


def test_delete(ws) -> None:
    exp = Experiment(ws, "gone")
    exp.start_logging(snapshot_directory=None).complete()
    Experiment.delete(ws, exp.id)
    assert Experiment.list(ws, experiment_name="gone") == []


def test_submit_dispatches_on_registered_class(ws) -> None:
    class MyConfig:
        pass

    calls = []

    def submit_fn(config, workspace, experiment_name, **kwargs):
        calls.append((config, workspace, experiment_name, kwargs))
        return Experiment(workspace, experiment_name).start_logging(snapshot_directory=None)

    register_submit_function(MyConfig, submit_fn)
    cfg = MyConfig()
    run = Experiment(ws, "custom").submit(cfg, tags={"t": "v"}, extra=1)
    assert calls == [(cfg, ws, "custom", {"extra": 1})]
    assert run.get_tags() == {"t": "v"}
    with pytest.raises(AzureMLException, match="Method to be submitted has not been registered."):
        Experiment(ws, "custom").submit(object())


def test_no_id_experiment_cannot_be_modified(ws) -> None:
    exp = Experiment(ws, "ghost", _create_in_cloud=False)
    with pytest.raises(UserErrorException, match="doesn't have an id set"):
        exp.archive()


def test_submit_estimator_runs_its_entry_script(ws, tmp_path) -> None:
    from azureml.train.estimator import Estimator

    src = tmp_path / "src"
    src.mkdir()
    (src / "entry.py").write_text("import sys\nprint('estimator', sys.argv[1:])\n")
    est = Estimator(str(src), entry_script="entry.py", script_params={"--lr": 0.1}, compute_target="local")
    run = Experiment(ws, "est").submit(est)
    run.wait_for_completion()
    assert "estimator ['--lr', '0.1']" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_submit_with_non_dict_tags_is_rejected_before_anything_is_queued(ws, tmp_path) -> None:
    from azureml.core import ScriptRunConfig

    (tmp_path / "train.py").write_text("print(1)\n")
    exp = Experiment(ws, "badtags")
    with pytest.raises(UserErrorException, match="tags"):
        exp.submit(ScriptRunConfig(str(tmp_path), "train.py"), tags=["a", "b"])
    assert list(exp.get_runs()) == []
    assert ws._store.query_one("SELECT COUNT(*) FROM run_queue")[0] == 0
