"""RunStore semantics every backend must keep (runs against each ``backend`` param)."""
from __future__ import annotations

import pytest

from azureml.exceptions import ServiceException, UserErrorException
from azureml_local.store.runs import error_dict, new_run_id


def _run(backend, experiment: str = "exp", **kwargs) -> str:
    return backend.runs.create_run(experiment, kwargs.pop("run_id", None) or new_run_id(), **kwargs)


# -- creating runs ---------------------------------------------------------------------------
def test_create_without_and_with_queue(backend) -> None:
    plain = _run(backend)
    queued = _run(backend, status="Queued", enqueue_handler="")
    assert not backend.runs.is_queued(plain)
    assert backend.runs.is_queued(queued)
    assert backend.runs.dequeue(queued) and not backend.runs.dequeue(queued)
    assert not backend.runs.is_queued(queued)


def test_create_records_the_row(backend) -> None:
    run_id = _run(backend, run_type="azureml.StepRun", status="Queued", name="n", target="cpu",
                  definition={"script": "a.py"}, properties={"p": 1}, tags={"t": None}, snapshot_id="snap")
    row = backend.runs.run(run_id)
    assert (row["run_type"], row["status"], row["name"], row["display_name"], row["target"]) == \
        ("azureml.StepRun", "Queued", "n", run_id, "cpu")
    assert row["experiment_name"] == "exp" and row["snapshot_id"] == "snap"
    assert row["start_time_utc"] is None and row["end_time_utc"] is None
    assert backend.runs.properties(run_id) == {"p": "1"} and backend.runs.tags(run_id) == {"t": None}
    assert backend.runs.exists(run_id) and not backend.runs.exists("nope")


def test_duplicate_id_and_unknown_ids(backend) -> None:
    run_id = _run(backend, run_id="fixed-id")
    with pytest.raises(UserErrorException, match="already exists"):
        _run(backend, run_id=run_id)
    with pytest.raises(ServiceException, match="was not found"):
        _run(backend, parent_run_id="missing-parent")
    with pytest.raises(ServiceException, match="was not found"):
        backend.runs.run("missing")
    with pytest.raises(ServiceException, match="was not found"):
        backend.runs.status("missing")
    with pytest.raises(UserErrorException, match="Unknown run status"):
        _run(backend, status="Weird")
    assert [r["run_id"] for r in backend.runs.list_runs()] == [run_id]


def test_parent_and_root_ids(backend) -> None:
    top = _run(backend)
    child = _run(backend, parent_run_id=top)
    grandchild = _run(backend, parent_run_id=child)
    assert backend.runs.run(top)["root_run_id"] == top and backend.runs.run(top)["parent_run_id"] is None
    assert backend.runs.run(grandchild)["root_run_id"] == top
    assert backend.runs.run(grandchild)["parent_run_id"] == child
    assert [c["run_id"] for c in backend.runs.children(top)] == [child]


def test_run_numbers_count_per_experiment(backend) -> None:
    a = [_run(backend, "a") for _ in range(3)]
    b = _run(backend, "b")
    assert [backend.runs.run(r)["run_number"] for r in a] == [1, 2, 3]
    assert backend.runs.run(b)["run_number"] == 1


def test_create_with_a_known_experiment_id_files_the_run_under_it(backend) -> None:
    """A pipeline's steps pass their experiment's id: same row, numbering and name as a lookup by name."""
    first = _run(backend, "known")
    experiment_id = backend.runs.run(first)["experiment_id"]
    step = _run(backend, "known", experiment_id=experiment_id, parent_run_id=first)
    row = backend.runs.run(step)
    assert (row["experiment_id"], row["experiment_name"], row["run_number"]) == (experiment_id, "known", 2)
    assert [e["name"] for e in backend.runs.list_experiments(name="known")] == ["known"]


# -- status -------------------------------------------------------------------------------------
def test_status_changes_compare_and_set(backend) -> None:
    run_id = _run(backend, status="Queued", enqueue_handler="")
    assert not backend.runs.set_status(run_id, "Running", only_from=("NotStarted",))
    assert backend.runs.status(run_id) == "Queued"
    assert backend.runs.set_status(run_id, "Running", start=True, only_from=("Queued",), runner_pid=123, pid=456)
    row = backend.runs.run(run_id)
    assert row["start_time_utc"] and row["end_time_utc"] is None and (row["runner_pid"], row["pid"]) == (123, 456)
    with pytest.raises(UserErrorException, match="Unknown run status"):
        backend.runs.set_status(run_id, "Weird")
    with pytest.raises(ValueError):
        backend.runs.set_status(run_id, "Running", experiment_id="x")


def test_terminal_status_ends_and_dequeues(backend) -> None:
    run_id = _run(backend, status="Queued", enqueue_handler="")
    assert backend.runs.set_status(run_id, "Failed", error=error_dict("bad"), pid=None)
    row = backend.runs.run(run_id)
    assert row["end_time_utc"] and row["start_time_utc"] and row["end_time_utc"] >= row["start_time_utc"]
    assert backend.runs.error(run_id)["error"] == {"code": "UserError", "message": "bad"}
    assert not backend.runs.is_queued(run_id)
    assert not backend.runs.set_status(run_id, "Completed", only_from=("Running",))  # terminal stays
    assert backend.runs.status(run_id) == "Failed"


def test_update_run_and_warnings(backend) -> None:
    run_id = _run(backend)
    backend.runs.update_run(run_id, display_name="shown", definition={"a": 1}, runner_pid=7)
    backend.runs.add_warning(run_id, "careful")
    row = backend.runs.run(run_id)
    assert row["display_name"] == "shown" and row["definition"] == '{"a": 1}' and row["runner_pid"] == 7
    assert "careful" in row["warnings"]
    with pytest.raises(ValueError):
        backend.runs.update_run(run_id, status="Completed")  # status only through set_status


def test_close_open_children(backend) -> None:
    parent = _run(backend, status="Running")
    open_child = _run(backend, run_type="interactive", status="Running", parent_run_id=parent)
    done_child = _run(backend, run_type="interactive", status="Completed", parent_run_id=parent)
    assert backend.runs.close_open_children(parent, "Failed") == 1
    assert backend.runs.status(open_child) == "Failed" and backend.runs.status(done_child) == "Completed"


def test_executing_runs_are_claimed_active_unqueued(backend) -> None:
    claimed = _run(backend, status="Running")
    backend.runs.update_run(claimed, runner_pid=1)
    queued = _run(backend, status="Queued", enqueue_handler="")
    backend.runs.update_run(queued, runner_pid=1)
    finished = _run(backend, status="Completed")
    backend.runs.update_run(finished, runner_pid=1)
    _run(backend, status="Running")  # never claimed
    assert [r["run_id"] for r in backend.runs.executing_runs()] == [claimed]


# -- tags, properties, metrics, artifacts ---------------------------------------------------------
def test_tags_replace_and_remove(backend) -> None:
    run_id = _run(backend, tags={"a": "1"})
    backend.runs.set_tags(run_id, {"a": 2, "b": None})
    assert backend.runs.tags(run_id) == {"a": "2", "b": None}
    backend.runs.remove_tags(run_id, ["a", "missing"])
    assert backend.runs.tags(run_id) == {"b": None}


def test_properties_are_immutable(backend) -> None:
    run_id = _run(backend, properties={"p": "1"})
    backend.runs.add_properties(run_id, {"p": 1, "q": "x"})  # same value again is fine
    with pytest.raises(ServiceException, match="immutable"):
        backend.runs.add_properties(run_id, {"q": "y", "r": "new"})
    assert backend.runs.properties(run_id) == {"p": "1", "q": "x"}  # nothing half-written


def test_metrics_keep_logging_order(backend) -> None:
    run_id = _run(backend)
    for i, name in enumerate(["loss", "acc", "loss", "loss"]):
        backend.runs.log_metric(run_id, name, "scalar", str(i), step=i)
    backend.runs.log_metric(run_id, "tbl", "table", '{"a": [1, 2]}')
    assert backend.runs.metrics(run_id, "loss") == [("loss", "scalar", 0), ("loss", "scalar", 2),
                                                    ("loss", "scalar", 3)]
    assert [m[0] for m in backend.runs.metrics(run_id)] == ["loss", "acc", "loss", "loss", "tbl"]
    assert backend.runs.metrics(run_id, "tbl")[0][2] == {"a": [1, 2]}
    assert backend.runs.metrics(_run(backend)) == []


def test_metric_batches_keep_step_and_time(backend) -> None:
    run_id = _run(backend)
    backend.runs.log_metrics(run_id, [("loss", "scalar", "0.5", 0, 10.0), ("loss", "scalar", "0.25", 1, 11.5)])
    backend.runs.log_metric(run_id, "note", "scalar", '"text"')
    backend.runs.log_metric(run_id, "tbl", "table", '{"a": [1]}')
    entries = backend.runs.metric_entries(run_id, kind="scalar")
    assert [(e["name"], e["value"], e["step"], e["created"]) for e in entries[:2]] == [
        ("loss", 0.5, 0, 10.0), ("loss", 0.25, 1, 11.5)]
    assert [e["name"] for e in entries] == ["loss", "loss", "note"]
    assert [e["value"] for e in backend.runs.metric_entries(run_id, "note")] == ["text"]
    assert backend.runs.metrics(run_id, "loss") == [("loss", "scalar", 0.5), ("loss", "scalar", 0.25)]


def test_artifacts_index(backend) -> None:
    run_id = _run(backend)
    backend.runs.index_artifacts(run_id, [("outputs/b.txt", "blob-b", 2), ("outputs/a.txt", "blob-a", 1)])
    backend.runs.index_artifacts(run_id, [("outputs/b.txt", "blob-b2", 3)])  # uploaded again
    assert backend.runs.artifact(run_id, "outputs/b.txt") == {"blob_name": "blob-b2", "size": 3}
    assert backend.runs.artifact(run_id, "missing") is None
    assert backend.runs.artifact_blobs(run_id) == {"outputs/a.txt": "blob-a", "outputs/b.txt": "blob-b2"}
    assert backend.runs.artifact_sizes(run_id) == {"outputs/a.txt": 1, "outputs/b.txt": 3}


# -- listing ------------------------------------------------------------------------------------
def test_list_filters(backend) -> None:
    top = _run(backend, "one", run_type="azureml.PipelineRun", status="Running", tags={"k": "v"})
    child = _run(backend, "one", run_type="azureml.StepRun", status="Completed", parent_run_id=top,
                 properties={"p": "x"})
    other = _run(backend, "two", tags={"k": "w"})
    runs = backend.runs
    experiment_id = runs.run(top)["experiment_id"]
    assert [r["run_id"] for r in runs.list_runs()] == [other, child, top]  # newest first
    assert [r["run_id"] for r in runs.list_runs(experiment_id=experiment_id)] == [child, top]
    assert [r["run_id"] for r in runs.list_runs(include_children=False)] == [other, top]
    assert [r["run_id"] for r in runs.list_runs(parent_run_id=top)] == [child]
    assert [r["run_id"] for r in runs.list_runs(root_run_id=top)] == [child, top]
    assert [r["run_id"] for r in runs.list_runs(run_type="azureml.StepRun")] == [child]
    assert [r["run_id"] for r in runs.list_runs(status="Running")] == [top]
    assert [r["run_id"] for r in runs.list_runs(tags="k")] == [other, top]
    assert [r["run_id"] for r in runs.list_runs(tags={"k": "v"})] == [top]
    assert [r["run_id"] for r in runs.list_runs(properties={"p": "x"})] == [child]
    assert runs.list_runs()[0]["experiment_name"] == "two"


# -- experiments ----------------------------------------------------------------------------------
def test_experiments_archive_reactivate_and_tags(backend) -> None:
    runs = backend.runs
    first = runs.get_or_create_experiment("exp")
    assert runs.get_or_create_experiment("exp")["id"] == first["id"]
    assert runs.set_experiment_archived(first["id"], True)["archived_time"]
    assert runs.list_experiments("exp") == []
    assert [e["id"] for e in runs.list_experiments("exp", "ArchivedOnly")] == [first["id"]]
    second = runs.get_or_create_experiment("exp")  # the name is free again
    assert second["id"] != first["id"]
    with pytest.raises(UserErrorException, match="Cannot reactivate"):
        runs.set_experiment_archived(first["id"], False)
    assert len(runs.list_experiments(view_type="All")) == 2
    assert runs.set_experiment_tags(second["id"], {"a": 1, "b": "x"}) == {"a": "1", "b": "x"}
    assert runs.set_experiment_tags(second["id"], remove=["a"]) == {"b": "x"}
    with pytest.raises(ServiceException, match="was not found"):
        runs.set_experiment_archived("missing", True)


@pytest.mark.parametrize("status", ["Queued", "Running", "Finalizing", "CancelRequested"])
def test_delete_experiment_refuses_while_a_run_is_active(backend, status) -> None:
    run_id = _run(backend, "busy", status=status)
    experiment_id = backend.runs.run(run_id)["experiment_id"]
    with pytest.raises(UserErrorException, match="still active"):
        backend.runs.delete_experiment(experiment_id)
    assert backend.runs.status(run_id) == status


def test_delete_experiment_removes_its_runs(backend) -> None:
    run_id = _run(backend, "done", status="Completed", tags={"a": "1"})
    experiment_id = backend.runs.run(run_id)["experiment_id"]
    backend.runs.delete_experiment(experiment_id)
    assert backend.runs.experiment(experiment_id) is None and not backend.runs.exists(run_id)
    with pytest.raises(ServiceException, match="was not found"):
        backend.runs.delete_experiment(experiment_id)
