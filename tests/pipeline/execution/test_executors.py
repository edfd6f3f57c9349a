"""execution/executors.py: a step's kind picks what runs it; unknown kinds fail their step clearly."""
from __future__ import annotations

import pytest

from azureml_local import plugins
from azureml_local.pipeline.execution import executors
from azureml_local.pipeline.execution.context import StepResult
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import definition, step


@pytest.mark.parametrize("kind", ["PythonScriptStep", "CommandStep", "EstimatorStep"])
def test_script_like_kinds_run_their_script(kind):
    assert executors.executor_for({"kind": kind}) is executors.run_script_step


def test_parallel_run_steps_run_the_driver_and_keep_its_logs():
    from azureml_local.pipeline.parallel.executor import run_parallel_step

    assert executors.executor_for({"kind": "ParallelRunStep"}) is run_parallel_step


def test_a_step_without_a_kind_is_a_script_step():
    assert executors.executor_for({}) is executors.run_script_step


def test_unknown_kind_names_itself_and_the_known_ones():
    with pytest.raises(ValueError) as info:
        executors.executor_for({"kind": "NoSuchStep"})
    message = str(info.value)
    assert "'NoSuchStep'" in message
    assert f"Known step types: {', '.join(executors.known_kinds())}." in message
    assert executors.known_kinds() == sorted(executors.known_kinds())  # every registered kind, sorted
    assert {"AdlaStep", "CommandStep", "DataTransferStep", "DatabricksStep", "EstimatorStep", "HyperDriveStep",
            "ModuleStep", "ParallelRunStep", "PythonScriptStep"} <= set(executors.known_kinds())


def test_adla_and_module_steps_have_their_executors():
    from azureml_local.pipeline.execution.module_step import run_module_step
    from azureml_local.pipeline.execution.usql_step import run_usql_step

    assert executors.executor_for({"kind": "AdlaStep"}) is run_usql_step
    assert executors.executor_for({"kind": "ModuleStep"}) is run_module_step


def test_a_subclassed_step_keeps_its_sdk_kind():
    from azureml.pipeline.steps import PythonScriptStep

    class MyStep(PythonScriptStep):
        pass

    assert MyStep(name="s", script_name="t.py", source_directory=".").step_type == "PythonScriptStep"


def _in_process(monkeypatch):
    from azureml_local.pipeline import submission

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)


def test_unknown_kind_fails_its_step_with_the_message(ws, src, monkeypatch):
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    _in_process(monkeypatch)
    (src / "t.py").write_text("print('never runs')\n")
    run = start_pipeline_run(ws, "exp", definition(step("n1", "copy", "t.py", src, kind="TeleportStep")),
                             None, False, False)
    assert run_pipeline(ws, run.id) == "Failed"
    child = next(run.get_children())
    assert child.get_status() == "Failed"
    assert "Steps of type 'TeleportStep' cannot run locally" in child.get_details()["error"]["error"]["message"]


def test_a_registered_executor_runs_its_kind(ws, src, monkeypatch, request):
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    _in_process(monkeypatch)
    seen = []

    def noop(ctx, step_dict, step_run_id, run_dir, key):
        """A step kind that needs no process: completes at once."""
        seen.append(step_dict["name"])
        ctx.ws._context.runs.set_status(step_run_id, "Completed")
        return StepResult(step_dict["node_id"], step_run_id, "Completed", key=key)

    executors.register_executor("NoopStep", noop)
    request.addfinalizer(lambda: plugins.unregister("executors", "NoopStep"))
    run = start_pipeline_run(ws, "exp", definition(step("n1", "noop", "t.py", src, kind="NoopStep")),
                             None, False, False)
    assert run_pipeline(ws, run.id) == "Completed"
    assert seen == ["noop"]


def test_a_kind_keeps_its_executor():
    """A second, different executor for a built-in kind is refused: one table, no silent override."""
    with pytest.raises(ValueError, match="'PythonScriptStep' already run with"):
        executors.register_executor("PythonScriptStep", lambda *args: None)
    assert executors.executor_for({"kind": "PythonScriptStep"}) is executors.run_script_step
