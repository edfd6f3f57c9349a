"""runs/artifacts.py: artifact names are checked before anything is uploaded."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import UserErrorException


@pytest.mark.parametrize("bad", ["../escape.txt", "a/../../b.txt", "a//b.txt", ""])
def test_bad_artifact_names_are_user_errors_and_upload_nothing(ws, tmp_path: Path, bad: str) -> None:
    f = tmp_path / "f.txt"
    f.write_text("x")
    run = Experiment(ws, "names").start_logging(snapshot_directory=None)
    with pytest.raises(UserErrorException, match="artifact name"):
        run.upload_files(["ok.txt", bad], [str(f), str(f)])
    with pytest.raises(UserErrorException, match="artifact name"):
        run.upload_file(bad, str(f))
    assert run.get_file_names() == []
    run.complete()


def test_missing_upload_paths_raise_what_the_sdk_raises(ws, tmp_path: Path) -> None:
    """The SDK opens the file (FileNotFoundError); a non-path non-stream is its UserErrorException."""
    f = tmp_path / "f.txt"
    f.write_text("x")
    run = Experiment(ws, "missing").start_logging(snapshot_directory=None)
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        run.upload_file("a.txt", str(tmp_path / "nope.txt"))
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        run.upload_files(["ok.txt", "b.txt"], [str(f), str(tmp_path / "nope.txt")])
    with pytest.raises(UserErrorException, match="UnsupportedType"):
        run.upload_file("c.txt", 5)
    assert run.get_file_names() == []
    run.complete()


def test_download_of_a_missing_artifact_has_the_sdk_message_and_writes_nothing(ws, tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("x")
    run = Experiment(ws, "dl").start_logging(snapshot_directory=None)
    run.upload_files(["a.txt", "b/c.txt"], [str(f), str(f)])
    with pytest.raises(UserErrorException) as info:
        run.download_file("nope.txt", str(tmp_path / "out.txt"))
    assert info.value.message == "File with path nope.txt was not found,\navailable files include: a.txt,b/c.txt."
    assert not (tmp_path / "out.txt").exists()
    run.complete()
