"""Run files, snapshot files and datastore blobs as the Studio serves them: traversal is refused."""
from __future__ import annotations

import pytest

from azureml_local.data import stores
from azureml_local.runs import artifacts
from azureml_local.studio import files
from azureml_local.studio.errors import NotFound, PathRefused

TRAVERSALS = ["../secret", "outputs/../../secret", "/etc/passwd", "..", "a/../../b", "C:/Windows/win.ini",
              "outputs\\..\\..\\secret", "outputs/\x00x", ""]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_safe_relative_refuses_every_way_out(path: str) -> None:
    with pytest.raises(PathRefused):
        files.safe_relative(path)


def test_safe_relative_keeps_ordinary_nested_paths() -> None:
    assert files.safe_relative("outputs/model/weights.bin") == "outputs/model/weights.bin"
    assert files.safe_relative("outputs//a/./b.txt") == "outputs/a/b.txt"


def test_run_files_serves_artifacts_and_live_logs_and_refuses_traversal(ws) -> None:
    ctx = ws._context
    run_id = ctx.runs.create_run("files", "f-run", status="Running", start=True)
    artifacts.upload_bytes(ctx, run_id, "outputs/model.txt", b"weights")
    log = ctx.folder / "runs" / run_id / "logs" / "user_logs" / "std_log.txt"
    log.parent.mkdir(parents=True)
    log.write_text("line 1\n")
    listed = files.run_files(ctx, run_id)
    assert [f["path"] for f in listed["outputs"]] == ["outputs/model.txt"]
    assert [f["path"] for f in listed["logs"]] == ["user_logs/std_log.txt"]
    assert files.read_run_file(ctx, run_id, "outputs/model.txt") == b"weights"
    for path in ("../../secret", "outputs/../../../secret", "/etc/passwd"):
        with pytest.raises(PathRefused):
            files.read_run_file(ctx, run_id, path)
    with pytest.raises(NotFound, match="no file 'outputs/other.txt'"):
        files.read_run_file(ctx, run_id, "outputs/other.txt")


def test_tail_log_returns_only_what_the_log_gained_and_whole_characters(ws) -> None:
    ctx = ws._context
    run_id = ctx.runs.create_run("files", "t-run", status="Running", start=True)
    log = ctx.folder / "runs" / run_id / "logs" / "user_logs" / "std_log.txt"
    log.parent.mkdir(parents=True)
    log.write_bytes("first\n".encode())
    first = files.tail_log(ctx, run_id, "user_logs/std_log.txt")
    assert (first["text"], first["active"]) == ("first\n", True)
    with open(log, "ab") as fh:
        fh.write("é second".encode()[:1])  # half of a two-byte character
    half = files.tail_log(ctx, run_id, "user_logs/std_log.txt", first["offset"])
    assert half["text"] == "" and half["offset"] == first["offset"]
    with open(log, "ab") as fh:
        fh.write("é second\n".encode()[1:])
    ctx.runs.set_status(run_id, "Completed")
    rest = files.tail_log(ctx, run_id, "user_logs/std_log.txt", half["offset"])
    assert (rest["text"], rest["status"], rest["active"]) == ("é second\n", "Completed", False)


def test_snapshot_files_stay_inside_the_snapshot(ws, tmp_path) -> None:
    ctx = ws._context
    snap = ctx.folder / "snapshots" / "abc123"
    (snap / "src").mkdir(parents=True)
    (snap / "src" / "train.py").write_text("print(1)\n")
    (tmp_path / "outside.txt").write_text("private")
    (snap / "link.txt").symlink_to(tmp_path / "outside.txt")
    run_id = ctx.runs.create_run("files", "s-run", snapshot_id="abc123")
    assert "src/train.py" in [f["path"] for f in files.snapshot_files(ctx, run_id)]
    assert files.read_snapshot_file(ctx, run_id, "src/train.py") == b"print(1)\n"
    with pytest.raises(PathRefused, match="outside the snapshot"):
        files.read_snapshot_file(ctx, run_id, "link.txt")
    with pytest.raises(PathRefused):
        files.read_snapshot_file(ctx, run_id, "../../secret")


def test_datastore_browsing_lists_one_level_and_refuses_traversal(ws) -> None:
    ctx = ws._context
    store = ws.get_default_datastore()
    blob_store, container = stores.resolve(ctx, store.name, create=True)
    blob_store.upload_bytes(container, "data/2024/a.csv", b"x,y\n1,2\n")
    blob_store.upload_bytes(container, "data/top.csv", b"x\n")
    top = files.browse_datastore(ctx, store.name, "data")
    assert top["folders"] == ["data/2024"] and [b["name"] for b in top["blobs"]] == ["top.csv"]
    assert top["parent"] == ""
    assert files.read_blob(ctx, store.name, "data/2024/a.csv") == b"x,y\n1,2\n"
    with pytest.raises(PathRefused):
        files.read_blob(ctx, store.name, "../azureml-artifacts/x")
    with pytest.raises(PathRefused):
        files.browse_datastore(ctx, store.name, "data/../..")
    with pytest.raises(NotFound):
        files.read_blob(ctx, store.name, "data/missing.csv")
