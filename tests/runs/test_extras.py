"""runs/extras.py: snapshots of interactive runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import SnapshotException


def test_take_snapshot_twice_raises_like_the_sdk_and_keeps_the_first(ws, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("print(1)\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y.py").write_text("print(2)\n")
    run = Experiment(ws, "snap").start_logging(snapshot_directory=None)
    first = run.take_snapshot(str(tmp_path / "a"))
    with pytest.raises(SnapshotException, match=f"Cannot take snapshot as the run already has one: {first}"):
        run.take_snapshot(str(tmp_path / "b"))
    assert run.get_snapshot_id() == first
    assert run.get_properties()["ContentSnapshotId"] == first
    run.complete()
