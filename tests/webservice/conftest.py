"""Fixtures of the web service tests: a registered model, scoring scripts, and no scoring process left."""
from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest

SCORE = '''
import json, os

def init():
    global factor
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as fh:
        factor = json.load(fh)["factor"]
    print("init done, factor", factor)

def run(raw_data):
    data = json.loads(raw_data)["data"]
    return [x * factor for x in data]
'''

FAILING = '''
def init():
    raise RuntimeError("the model file is corrupt (raised on purpose)")

def run(raw_data):
    return raw_data
'''


def scoring_processes(under: Path) -> list[psutil.Process]:
    """Live scoring servers of workspaces below ``under``."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if len(cmd) >= 4 and cmd[1:3] == ["-m", "azureml_local.webservice.server"] and cmd[3].startswith(str(under)):
            found.append(proc)
    return found


def wait_until(predicate, timeout: float = 60.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture(autouse=True)
def _no_scoring_process_left(local_home: Path):
    """After each test (whose workspace service the root conftest stops): its scoring processes are gone."""
    yield
    from azureml_local.service.control import stop_services_under

    stop_services_under(local_home)
    assert wait_until(lambda: not scoring_processes(local_home), timeout=30), \
        f"scoring processes left: {[p.pid for p in scoring_processes(local_home)]}"


@pytest.fixture
def model(ws, tmp_path: Path):
    """Version 1 of model ``doubler`` (factor 2)."""
    from azureml.core import Model

    folder = tmp_path / "model_v1"
    folder.mkdir()
    (folder / "model.json").write_text('{"factor": 2}')
    return Model.register(ws, model_path=str(folder / "model.json"), model_name="doubler")


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "score.py").write_text(SCORE)
    (folder / "failing.py").write_text(FAILING)
    return folder
