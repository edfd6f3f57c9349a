"""``azureml_local.faults``: a pause point costs nothing unless named, pauses until released, and every
listed point is placed in the code (the fault tests in ``tests/faults/test_phase_points.py`` kill there)."""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

import azureml_local
from azureml_local import faults


def test_an_unnamed_point_returns_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(faults.PAUSE_ENV, "run.upload")
    monkeypatch.setenv(faults.MARKER_ENV, str(tmp_path / "marker"))
    faults.pause_point("run.finalize")
    faults.pause_point("step.upload", "prep")
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize(("wanted", "scope"), [("step.upload", "prep"), ("step.upload:prep", "prep")])
def test_a_named_point_pauses_until_its_marker_is_removed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          wanted: str, scope: str) -> None:
    marker = tmp_path / "marker"
    monkeypatch.setenv(faults.PAUSE_ENV, wanted)
    monkeypatch.setenv(faults.MARKER_ENV, str(marker))
    thread = threading.Thread(target=faults.pause_point, args=("step.upload", scope))
    thread.start()
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert marker.read_text().isdigit() and thread.is_alive()  # the pid of the paused process
    marker.unlink()
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_every_point_is_placed_once() -> None:
    root = Path(azureml_local.__file__).parent
    placed = [name for path in root.rglob("*.py") if path.name != "faults.py"
              for name in re.findall(r'pause_point\("([a-z.]+)"', path.read_text())]
    assert sorted(placed) == sorted(faults.POINTS)
