"""Snapshots: content hashing, ignore files, the hash cache, atomic copies."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.engine import snapshot as snap
from azureml_local.exceptions import UserErrorException


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "train.py").write_text("print('hi')\n")
    (root / "pkg" / "util.py").write_text("X = 1\n")
    (root / "data.csv").write_text("a,b\n1,2\n")
    return root


def test_hash_is_content_based_and_honours_amlignore(tmp_path: Path) -> None:
    src = _tree(tmp_path / "src")
    first = snap.hash_directory(src)
    assert snap.hash_directory(src) == first
    (src / ".amlignore").write_text("*.csv\n")
    ignored = snap.hash_directory(src)
    assert ignored != first
    (src / "data.csv").write_text("changed\n")
    assert snap.hash_directory(src) == ignored  # ignored file does not count
    (src / "train.py").write_text("print('changed')\n")
    assert snap.hash_directory(src) != ignored


def test_gitignore_used_when_no_amlignore(tmp_path: Path) -> None:
    src = _tree(tmp_path / "src")
    (src / ".gitignore").write_text("pkg/\n")
    names = [rel for rel, _, _ in snap.list_files(src)]
    assert "pkg/util.py" not in names and "train.py" in names


def test_snapshot_copies_once(ws, tmp_path: Path) -> None:
    src = _tree(tmp_path / "src")
    digest, folder = snap.snapshot(ws, src)
    assert (folder / "pkg" / "util.py").read_text() == "X = 1\n"
    again, folder2 = snap.snapshot(ws, src)
    assert (again, folder2) == (digest, folder)
    assert ws._store.query_one("SELECT COUNT(*) FROM snapshot_file_hashes")[0] == 3


def test_unchanged_files_are_not_reread(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _tree(tmp_path / "src")
    snap.hash_directory(src, ws)
    snap._memo.clear()  # only the persistent cache remains
    monkeypatch.setattr("builtins.open", lambda *a, **k: (_ for _ in ()).throw(AssertionError("re-read")))
    snap.hash_directory(src, ws)


def test_missing_source_directory(ws, tmp_path: Path) -> None:
    with pytest.raises(UserErrorException, match="does not exist"):
        snap.snapshot(ws, tmp_path / "nope")


def test_workspace_home_inside_source_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _tree(tmp_path / "proj")
    monkeypatch.setenv("AZUREML_LOCAL_HOME", str(src / ".local-home"))
    (src / ".local-home" / "workspaces").mkdir(parents=True)
    (src / ".local-home" / "workspaces" / "store.db").write_text("db")
    names = [rel for rel, _, _ in snap.list_files(src)]
    assert not any(n.startswith(".local-home") for n in names) and "train.py" in names
