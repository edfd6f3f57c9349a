"""A team's workspace on PostgreSQL, end to end and SDK-shaped (docs/store.md).

The workspace's store is a real PostgreSQL server (a private cluster started for this module from
the OS's binaries) through ``AZUREML_LOCAL_STORE_URL``, with no ``schema`` parameter: the schema is
named from the workspace's identity, as on every machine of a team. A script run and a two-step
pipeline run through the workspace service (its own process, same URL); then another process,
standing for a second machine (its own, empty workspace folder), opens a ``WorkspaceContext`` of the
same identity and sees the runs, their statuses and metrics.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from azureml_local.store.postgres import URL_ENV
from azureml_local.store.postgres_testing import PostgresNotAvailable, PostgresServer

TRAIN = "from azureml.core import Run\nrun = Run.get_context()\nrun.log('accuracy', 0.93)\nprint('trained')\n"
PRODUCE = textwrap.dedent("""
    import argparse, os
    from azureml.core import Run
    parser = argparse.ArgumentParser()
    parser.add_argument('--out')
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    open(os.path.join(args.out, 'numbers.txt'), 'w').write('1\\n2\\n3\\n')
    Run.get_context().log('written', 3)
""")
CONSUME = textwrap.dedent("""
    import argparse, os
    from azureml.core import Run
    parser = argparse.ArgumentParser()
    parser.add_argument('--data')
    args = parser.parse_args()
    total = sum(int(x) for x in open(os.path.join(args.data, 'numbers.txt')))
    Run.get_context().log('total', total)
""")
OTHER_MACHINE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from azureml_local.context import WorkspaceContext

    ctx = WorkspaceContext('sub-compat', 'rg-compat', 'compat', folder=Path(sys.argv[1]))
    runs = ctx.runs.list_runs()
    print(json.dumps({
        'schema': ctx.db.schema,
        'runs': {r['run_id']: r['status'] for r in runs},
        'metrics': {r['run_id']: {name: value for name, _, value in ctx.runs.metrics(r['run_id'])} for r in runs},
    }))
""")


@pytest.fixture(scope="module")
def postgres_url():
    try:
        server = PostgresServer().start()
    except PostgresNotAvailable as exc:
        pytest.skip(f"PostgreSQL not available here: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def ws(postgres_url, monkeypatch, request):
    """The compat workspace, its store on PostgreSQL (set before the workspace is first opened)."""
    monkeypatch.setenv(URL_ENV, postgres_url)
    workspace = request.getfixturevalue("azureml_workspace")
    yield workspace
    from azureml_local.service import control as service_control

    service_control.stop_service(workspace)


def test_script_run_and_pipeline_on_postgres_are_seen_from_another_machine(ws, tmp_path):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    assert ws._context.db.dialect == "postgresql" and ws._context.db.schema.startswith("aml_compat_")
    for folder, name, text in (("train", "train.py", TRAIN), ("produce", "produce.py", PRODUCE),
                               ("consume", "consume.py", CONSUME)):
        Path(folder).mkdir()
        Path(folder, name).write_text(text)

    run = Experiment(ws, "pg-script").submit(ScriptRunConfig(source_directory="train", script="train.py"))
    assert run.wait_for_completion(show_output=False)["status"] == "Completed"
    assert run.get_metrics() == {"accuracy": 0.93}

    numbers = OutputFileDatasetConfig("numbers")
    produce = PythonScriptStep(name="produce", source_directory="produce", script_name="produce.py",
                               arguments=["--out", numbers], allow_reuse=False)
    consume = PythonScriptStep(name="consume", source_directory="consume", script_name="consume.py",
                               arguments=["--data", numbers.as_input()], allow_reuse=False)
    pipeline_run = Experiment(ws, "pg-pipeline").submit(Pipeline(ws, steps=[produce, consume]))
    assert pipeline_run.wait_for_completion(show_output=False) == "Finished"
    steps = {s.name: s for s in pipeline_run.get_steps()}
    assert steps["consume"].get_metrics() == {"total": 6}

    env = {**os.environ, URL_ENV: os.environ[URL_ENV]}
    other = tmp_path / "second-machine"  # an empty folder: nothing is shared but the server
    out = subprocess.run([sys.executable, "-c", OTHER_MACHINE, str(other)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["schema"] == ws._context.db.schema
    assert seen["runs"][run.id] == seen["runs"][pipeline_run.id] == "Completed"  # the store status ("Finished" in the SDK)
    assert seen["runs"][steps["produce"].id] == seen["runs"][steps["consume"].id] == "Completed"
    assert seen["metrics"][run.id] == {"accuracy": 0.93}
    assert seen["metrics"][steps["consume"].id] == {"total": 6}
    assert not (tmp_path / "second-machine" / "store.db").exists()
