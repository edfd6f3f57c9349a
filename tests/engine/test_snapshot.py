"""Snapshots: content hashing, ignore files, the hash cache, atomic copies."""
from __future__ import annotations

import os

import shutil
import subprocess
from pathlib import Path

import pytest

from azureml_local.engine import snapshot as snap
from azureml_local.exceptions import UserErrorException
from azureml_local.store.snapshots import SnapshotStore


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
    assert SnapshotStore(ws._store).count() == 3


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


# -- ignore rules against git itself ------------------------------------------------------------
# (ignore files {folder: text}, files to check): each case is one tree; every file's fate must match git's
GIT_CASES = {
    "double-star does not match a longer name": (
        {"": "**/foo\n"},
        ["foo", "lib/foo", "src/foo/y.py", "src/xfoo/y.py", "sub/xfoo", "afoo"]),
    "escaped hash and bang": (
        {"": "\\#hash\n\\!bang\n# a comment\n"},
        ["#hash", "!bang", "# a comment", "hash"]),
    "negation, last match wins": (
        {"": "*.log\n!keep.log\n"},
        ["a.log", "keep.log", "sub/b.log", "sub/keep.log", "a.txt"]),
    "directory patterns match folders only": (
        {"": "build/\ndata\n"},
        ["build/x.py", "src/build/y.py", "buildfile", "data/z", "src/data", "datafile"]),
    "anchored patterns": (
        {"": "/top.txt\nsrc/*.tmp\n"},
        ["top.txt", "sub/top.txt", "src/a.tmp", "src/deep/b.tmp", "a.tmp"]),
    "nested ignore files apply below their folder": (
        {"": "*.csv\n", "sub": "/local.py\n!keep.csv\n", "sub/deeper": "*.py\n"},
        ["local.py", "sub/local.py", "sub/inner/local.py", "a.csv", "sub/keep.csv", "keep.csv",
         "sub/deeper/x.py", "other/x.py", "sub/deeper/keep.csv"]),
    "a re-included file below an ignored folder stays ignored": (
        {"": "logs/\n!logs/keep.txt\n"},
        ["logs/keep.txt", "logs/other.txt", "keep.txt"]),
    "character classes and single-character wildcards": (
        {"": "file[0-9].txt\n?.py\n"},
        ["file1.txt", "filea.txt", "a.py", "ab.py", "sub/b.py"]),
    "trailing double star": (
        {"": "cache/**\n!cache/**/\n!cache/**/*.keep\n"},
        ["cache/a.bin", "cache/sub/b.bin", "cache/sub/c.keep", "cacheX/a.bin"]),
    "contents-only double star with a re-included file": (
        {"": "cache/**\n!cache/x.keep\n"},
        ["cache/a.bin", "cache/x.keep", "cache/sub/y.keep"]),
    "escaped trailing space and leading bang in a nested file": (
        {"sub": "space\\ \n\\!important\n"},
        ["sub/space ", "sub/space", "sub/!important", "!important"]),
}


def _git_ignored(root: Path, paths: list[str]) -> set[str]:
    """The paths ``git check-ignore`` reports as ignored."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    out = subprocess.run(["git", "-C", str(root), "check-ignore", "--stdin"], input="\n".join(paths),
                         capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return set(out.stdout.splitlines())


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("case", sorted(GIT_CASES))
def test_ignore_rules_match_git(tmp_path: Path, case: str) -> None:
    ignore_files, paths = GIT_CASES[case]
    root = tmp_path / "src"
    for folder, text in ignore_files.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / ".gitignore").write_text(text)
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    kept = {rel for rel, _, _ in snap.list_files(root)}
    git_ignored = _git_ignored(root, paths)
    ours = {rel: rel not in kept for rel in paths}
    theirs = {rel: rel in git_ignored for rel in paths}
    assert ours == theirs
    # git's own listing of what it would add agrees too (it also sees the ignore files themselves)
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert kept == set(listed)


def test_amlignore_takes_precedence_per_folder(tmp_path: Path) -> None:
    root = tmp_path / "src"
    for rel in ("a.py", "a.txt", "sub/b.py", "sub/b.txt", "other/c.py", "other/c.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    (root / ".gitignore").write_text("*.txt\n")
    (root / "sub" / ".gitignore").write_text("*.py\n")     # not read: sub has an .amlignore
    (root / "sub" / ".amlignore").write_text("!*.txt\n")
    (root / "other" / ".gitignore").write_text("*.py\n")   # read: other has only a .gitignore
    kept = {rel for rel, _, _ in snap.list_files(root)}
    assert kept == {".gitignore", "a.py", "sub/.gitignore", "sub/.amlignore", "sub/b.py", "sub/b.txt",
                    "other/.gitignore"}


def test_links_as_before_a_linked_folder_is_not_followed_a_linked_file_is_kept_a_dangling_one_skipped(tmp_path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "mod.py").write_text("x = 1")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_text("not part of the source")
    (src / "linked_folder").symlink_to(outside, target_is_directory=True)
    (src / "linked_file.py").symlink_to(src / "pkg" / "mod.py")
    (src / "dangling.py").symlink_to(tmp_path / "missing.py")
    files = snap.list_files(src)
    assert [rel for rel, _, _ in files] == ["linked_file.py", "pkg/mod.py"]
    assert all(isinstance(full, str) and os.path.isabs(full) for _, full, _ in files)
