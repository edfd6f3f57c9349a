"""The data hand-off between steps, end to end with a two-step pipeline: local folder vs via the datastore."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from azureml_local.exceptions import UserErrorException
from azureml_local.jobs import handoff
from azureml_local.pipeline.submission import start_pipeline_run

PRODUCE = ("import json, os, sys, time\n"
           "open(os.path.join(sys.argv[1], 'v.txt'), 'w').write('payload')\n"
           "print('PRODUCED', json.dumps(sys.argv[1]))\n")
CONSUME = ("import json, os, sys\n"
           "print('CONSUMED', json.dumps({'path': sys.argv[1], 'text': open(os.path.join(sys.argv[1], 'v.txt')).read()}))\n")


@pytest.fixture
def runner_ws(ws):
    yield ws
    from azureml_local.service import control as service_control

    service_control.stop_service(ws)


def _step(node_id: str, name: str, script: str, src: Path, arguments: list, **ports: list) -> dict:
    return {"node_id": node_id, "name": name, "kind": "PythonScriptStep", "compute_target": "local",
            "source_directory": str(src), "script_name": script, "arguments": arguments,
            "inputs": ports.get("inputs", []), "outputs": ports.get("outputs", []), "allow_reuse": False,
            "fingerprint": f"fp-{name}", "fingerprint_parts": {"name": name, "script": script}}


def _run_pair(ws, tmp_path: Path) -> tuple[str, dict, str]:
    """Run producer -> consumer; returns (producer's folder, what the consumer read, consumer's step run id)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.py").write_text(PRODUCE)
    (src / "c.py").write_text(CONSUME)
    definition = {"version": 1, "parameters": {}, "steps": [
        _step("n1", "produce", "p.py", src, [{"output": "o"}],
              outputs=[{"name": "o", "kind": "pipeline_data", "datastore": None,
                        "path": "azureml/{run-id}/{output-name}", "mode": "mount"}]),
        _step("n2", "consume", "c.py", src, [{"input": "i"}],
              inputs=[{"name": "i", "kind": "step_output", "producer": "n1", "output": "o", "mode": "mount"}])]}
    run = start_pipeline_run(ws, "handoff", definition, None, False, False)
    assert run.wait_for_completion(show_output=False) == "Finished"

    def printed(name: str, tag: str) -> tuple[object, str]:
        step_run = run.find_step_run(name)[0]
        log = step_run._download_artifact_contents_to_string("user_logs/std_log.txt")
        line = next(line for line in log.splitlines() if line.startswith(tag))
        return json.loads(line[len(tag) + 1:]), step_run.id

    produced, _ = printed("produce", "PRODUCED")
    consumed, consumer_id = printed("consume", "CONSUMED")
    return str(produced), consumed, consumer_id  # type: ignore[return-value]


def test_local_folder_is_read_in_place(runner_ws, tmp_path, monkeypatch):
    monkeypatch.delenv(handoff.HANDOFF_ENV, raising=False)
    produced, consumed, _ = _run_pair(runner_ws, tmp_path)
    assert consumed == {"path": produced, "text": "payload"}  # no copy: the producer's own folder


def test_via_datastore_waits_for_the_upload_and_downloads(runner_ws, tmp_path, monkeypatch):
    monkeypatch.setenv(handoff.HANDOFF_ENV, "datastore")  # before the first submit starts the runner
    produced, consumed, consumer_id = _run_pair(runner_ws, tmp_path)
    assert consumed["text"] == "payload"
    assert consumed["path"] != produced
    assert consumer_id in consumed["path"] and consumed["path"].endswith("/inputs/i")  # below the consumer's run


def test_choose(tmp_path, monkeypatch):
    here, gone = {"local_path": str(tmp_path)}, {"local_path": str(tmp_path / "gone")}
    monkeypatch.delenv(handoff.HANDOFF_ENV, raising=False)
    assert handoff.choose(here).name == "local" and handoff.choose(gone).name == "datastore"
    monkeypatch.setenv(handoff.HANDOFF_ENV, "datastore")
    assert handoff.choose(here).name == "datastore"
    monkeypatch.setenv(handoff.HANDOFF_ENV, "local")
    assert handoff.choose(here).name == "local" and handoff.choose(gone).name == "datastore"
    monkeypatch.setenv(handoff.HANDOFF_ENV, "nfs")
    with pytest.raises(UserErrorException, match="use datastore or local"):
        handoff.choose(here)
