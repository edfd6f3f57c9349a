"""runs/metrics.py: bad input to the log* methods leaves nothing behind."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import UserErrorException


def test_log_image_with_a_bad_name_uploads_nothing(ws, tmp_path: Path) -> None:
    image = tmp_path / "plot.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    run = Experiment(ws, "img").start_logging(snapshot_directory=None)
    with pytest.raises(UserErrorException, match="Metric name"):
        run.log_image("", path=str(image))
    assert run.get_file_names() == [] and run.get_metrics() == {}
    run.complete()
