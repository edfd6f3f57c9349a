"""Shared by the REST tests: a trivial published pipeline, a running service, row counts."""
from __future__ import annotations

from pathlib import Path

from azureml_local.service import control


def publish_echo(ws, folder: Path, name: str = "echo", marker: str = "one"):
    """A one-step published pipeline whose step prints its argv (``--count <int>``, ``--label <str>``)."""
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "echo.py").write_text(f"import sys\nprint('ECHO {marker}', sys.argv[1:])\n")
    count = PipelineParameter("count", default_value=1)
    label = PipelineParameter("label", default_value="none")
    step = PythonScriptStep("echo.py", name="echo", source_directory=str(folder), compute_target="local",
                            arguments=["--count", count, "--label", label], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name=name, description=f"{name} pipeline")


def start(ws) -> dict:
    """The workspace's running service (``service.json``)."""
    info = control.ensure_service(ws, wait=True, timeout=30)
    assert info is not None, (ws._local_folder / "service.log").read_text()
    return info


def row_counts(ws) -> tuple[int, int, int]:
    """(runs, experiments, queued runs) of the workspace: what a rejected request must not change."""
    ctx = ws._context
    return (len(ctx.runs.list_runs()), len(ctx.runs.list_experiments(view_type="All")), ctx.queue.queued_count())
