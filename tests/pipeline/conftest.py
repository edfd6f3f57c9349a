"""Fixtures of the pipeline tests: a published pipeline to schedule."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def published(ws, tmp_path: Path):
    """A published one-step pipeline whose step prints its arguments (a ``rate`` parameter)."""
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    folder = tmp_path / "scheduled"
    folder.mkdir()
    (folder / "show.py").write_text("import sys\nprint('ARGV', sys.argv[1:])\n")
    rate = PipelineParameter("rate", default_value=0.5)
    step = PythonScriptStep("show.py", name="show", source_directory=str(folder), compute_target="local",
                            arguments=["--rate", rate], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name="scheduled", description="for schedules")
