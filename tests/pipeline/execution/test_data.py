"""Datastore resolution for step data never goes stale in a long-lived process.

Regression (architecture review, problem 7): the runner used to keep a datastore's
container for its whole life, so after ``register(..., overwrite=True)`` pointed the name
at another container, outputs kept landing in the old one.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from azureml_local.context import WorkspaceContext
from azureml_local.data import stores as data


def _register(ws, container: str, overwrite: bool = False):
    from azureml.core import Datastore

    return Datastore.register_azure_blob_container(ws, "mystore", container_name=container,
                                                   account_name="devstoreaccount1", account_key="x",
                                                   overwrite=overwrite, create_if_not_exists=True)


def _blob_names(ws, container: str) -> list[str]:
    return [b.name for b in ws._blobs.list_blobs(container, "")]


def test_reregistered_datastore_receives_the_next_runs_output(runner_ws, src):
    from azureml.core import Datastore, Experiment
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    ws = runner_ws
    _register(ws, "first-container")
    (src / "w.py").write_text(textwrap.dedent("""
        import os, sys
        open(os.path.join(sys.argv[1], 'result.txt'), 'w').write('done')
    """))
    out = PipelineData("result", datastore=Datastore(ws, "mystore"))
    step = PythonScriptStep(name="w", source_directory=str(src), script_name="w.py", compute_target="local",
                            arguments=[out], outputs=[out], allow_reuse=False)
    pipeline = Pipeline(ws, steps=[step])
    exp = Experiment(ws, "stale-datastore")

    first = exp.submit(pipeline)
    assert first.wait_for_completion(show_output=False) == "Finished"
    first_step = first.find_step_run("w")[0].id
    assert any(first_step in name for name in _blob_names(ws, "first-container"))

    _register(ws, "second-container", overwrite=True)
    second = exp.submit(pipeline)
    assert second.wait_for_completion(show_output=False) == "Finished"
    second_step = second.find_step_run("w")[0].id
    assert [n for n in _blob_names(ws, "second-container") if second_step in n], \
        "the second run's output must land in the container the datastore names now"
    assert not [n for n in _blob_names(ws, "first-container") if second_step in n]


def test_long_lived_context_sees_another_process_reregister(ws):
    _register(ws, "first-container")
    ctx = WorkspaceContext.for_folder(Path(ws._local_folder))
    store, container = data.container_for(ctx, "mystore")
    assert container == "first-container"
    assert data.container_for(ctx, "mystore")[1] == "first-container"  # served from the context's cache

    script = ("from azureml.core import Workspace, Datastore\n"
              "ws = Workspace.from_config()\n"
              "Datastore.register_azure_blob_container(ws, 'mystore', container_name='second-container',"
              " account_name='devstoreaccount1', account_key='x', overwrite=True, create_if_not_exists=True)\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)

    assert data.container_for(ctx, "mystore")[1] == "second-container"
    assert store.container_exists("second-container")
