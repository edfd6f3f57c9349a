"""The one plugin table: run handlers, submit functions and run classes, built in and registered."""
from __future__ import annotations

import os

import pytest

from azureml_local import plugins


@pytest.fixture
def cleanup():
    added: list[tuple[str, object]] = []
    yield added
    for section, key in added:
        plugins.unregister(section, key)


def test_built_in_entries_resolve_to_the_real_objects() -> None:
    from azureml_local.pipeline.execution.orchestrator import handle_pipeline_run
    from azureml_local.pipeline.pipeline import Pipeline, _submit_pipeline
    from azureml_local.pipeline.step_run import StepRun
    from azureml_local.script_run import ScriptRun
    from azureml_local.script_run_config import ScriptRunConfig, submit

    assert plugins.run_handler("azureml.PipelineRun") is handle_pipeline_run
    assert plugins.submitter(ScriptRunConfig) is submit
    assert plugins.submitter(Pipeline) is _submit_pipeline
    assert plugins.run_class("azureml.scriptrun") is ScriptRun
    assert plugins.run_class("azureml.ReusedStepRun") is StepRun
    assert plugins.run_class("nobody.Knows") is None


def test_every_built_in_entry_imports() -> None:
    for section, entries in plugins._BUILTIN.items():
        for key, target in entries.items():
            assert plugins.resolve(target) is not None, (section, key)


def test_the_queue_rows_handler_wins_and_unknown_types_say_how_to_register() -> None:
    assert plugins.run_handler("azureml.scriptrun", "os.path:join") is os.path.join
    with pytest.raises(LookupError, match="No handler is registered for run type 'not.registered'"):
        plugins.run_handler("not.registered")


def test_register_is_idempotent_and_reports_conflicts(cleanup) -> None:
    def first(ctx, run_id):  # pragma: no cover - only resolved
        return None

    cleanup.append(("handlers", "test.Kind"))
    assert plugins.register("handlers", "test.Kind", first) is None
    assert plugins.register("handlers", "test.Kind", first) is None
    assert plugins.register("handlers", "test.Kind", "os.path:join") is first
    assert plugins.run_handler("test.Kind") is first
    # naming the built-in target again is no conflict (strings and objects compare resolved)
    from azureml_local.script_run import ScriptRun

    assert plugins.register("run_classes", "azureml.scriptrun", ScriptRun) is None


def test_submitters_follow_the_class_hierarchy_and_ignore_same_named_user_classes(cleanup) -> None:
    from azureml_local.script_run_config import ScriptRunConfig, submit

    class MyConfig(ScriptRunConfig):
        pass

    class ScriptRunConfigLookalike:
        pass

    ScriptRunConfigLookalike.__name__ = ScriptRunConfigLookalike.__qualname__ = "ScriptRunConfig"
    assert plugins.submitter(MyConfig) is submit
    assert plugins.submitter(ScriptRunConfigLookalike) is None


@pytest.mark.parametrize("bad", ["no_colon", ":attr", "module:"])
def test_malformed_names_are_rejected_with_the_expected_form(bad) -> None:
    with pytest.raises(ValueError, match="package.module:attribute"):
        plugins.resolve(bad)


def test_importing_the_table_imports_none_of_the_layers_it_names() -> None:
    import subprocess
    import sys

    code = ("import sys, azureml_local.plugins\n"
            "print(sorted(m for m in sys.modules if m.startswith('azureml_local.') and m != 'azureml_local.plugins'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
