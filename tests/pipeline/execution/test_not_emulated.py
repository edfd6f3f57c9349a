"""Steps that cannot run here are refused at submit (nothing recorded); MpiStep runs as one process."""
from __future__ import annotations

import shutil

import pytest

from azureml_local.exceptions import UserErrorException
from transfer_helpers import run_in_process


def _pipeline(ws, *steps):
    from azureml.pipeline.core import Pipeline

    return Pipeline(ws, steps=list(steps))


def _runs(ws) -> int:
    return len(ws._context.runs.list_runs())


def test_azure_batch_step_is_refused_at_submit_before_anything_runs(ws, tmp_path):
    from azureml.core import Experiment
    from azureml.pipeline.steps import AzureBatchStep, PythonScriptStep

    (tmp_path / "t.py").write_text("print('never')\n")
    first = PythonScriptStep(name="first", script_name="t.py", source_directory=str(tmp_path))
    batch = AzureBatchStep(name="batch", executable="run.exe", compute_target="batch", source_directory=str(tmp_path))
    batch.run_after(first)
    pipeline = _pipeline(ws, [first, batch])
    before = _runs(ws)
    with pytest.raises(UserErrorException) as info:
        Experiment(ws, "refused").submit(pipeline)
    message = str(info.value)
    assert "Step 'batch' (AzureBatchStep) cannot run locally" in message
    assert "Nearest local alternative: a CommandStep" in message and "Nothing was submitted" in message
    assert _runs(ws) == before


@pytest.mark.parametrize("kind", ["KustoStep", "SynapseSparkStep", "HDInsightStep", "AutoMLStep"])
def test_each_not_emulated_kind_names_an_alternative(kind):
    from azureml_local.pipeline.steps.not_emulated import not_emulated_message

    message = not_emulated_message(kind, "s")
    assert kind in message and "Nearest local alternative:" in message


@pytest.mark.skipif(shutil.which("Rscript") is not None, reason="R is installed here")
def test_r_script_step_without_rscript_is_refused_at_submit(ws, tmp_path):
    from azureml.core.environment import RSection
    from azureml.core.runconfig import RunConfiguration
    from azureml.pipeline.steps import RScriptStep

    (tmp_path / "s.R").write_text("print('hi')\n")
    config = RunConfiguration()
    config.environment.r = RSection()
    config.environment.docker.enabled = True
    step = RScriptStep("s.R", name="r", runconfig=config, source_directory=str(tmp_path))
    with pytest.raises(UserErrorException, match="Rscript was not found on PATH. Install R"):
        _pipeline(ws, step).submit("r-exp")


def test_a_stray_not_emulated_step_fails_with_its_message(ws, monkeypatch, tmp_path):
    from azureml_local.pipeline import submission
    from azureml_local.pipeline.execution.orchestrator import run_pipeline
    from azureml_local.pipeline.submission import start_pipeline_run

    from pipeline_defs import definition, step

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)
    (tmp_path / "t.py").write_text("print('x')\n")
    run = start_pipeline_run(ws, "exp", definition(step("n1", "kusto", "t.py", tmp_path, kind="KustoStep")),
                             None, False, False)
    assert run_pipeline(ws, run.id) == "Failed"
    assert "cannot run locally" in next(run.get_children()).get_details()["error"]["error"]["message"]


def test_mpi_step_runs_its_script_once_with_a_note(ws, tmp_path, monkeypatch):
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.pipeline.steps import MpiStep

    from azureml_local.engine.execute import STD_LOG, log_paths

    (tmp_path / "mpi.py").write_text("import os, sys\nprint('RANK', os.environ['OMPI_COMM_WORLD_RANK'], "
                                     "os.environ['OMPI_COMM_WORLD_SIZE'], sys.argv[1:])\n")
    cluster = ComputeTarget.create(ws, "cpu", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                                   max_nodes=2))
    step = MpiStep(name="mpi", source_directory=str(tmp_path), script_name="mpi.py", arguments=["--x", "1"],
                   compute_target=cluster, node_count=2, process_count_per_node=2)
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    child = next(run.get_children())
    log = log_paths(ws, child.id)[STD_LOG].read_text()
    assert run.get_status() == "Finished", log
    assert "RANK 0 1 ['--x', '1']" in log and "instead of 2 node(s) x 2 process(es)" in log
