"""Scoring latency: a deployed web service (HTTP on loopback) against calling ``run()`` in process.

Deploys a small model with ``Model.deploy`` (ACI configuration, key auth) and times, in the same
run, N requests to ``service.scoring_uri`` through one ``requests.Session`` (kept-alive connection,
``Authorization: Bearer <key>``), N ``service.run(...)`` calls (the SDK's helper: a new connection
and a key lookup per call), and N calls of the entry script's ``run(raw_data)`` imported in this
process. Prints median and p95 per call. A report, not a test.

    python benchmarks/bench_scoring.py [-n 1000] [--storage folder|azurite]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCORE = """
import json, os

def init():
    global weights
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "weights.json")) as fh:
        weights = json.load(fh)

def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [sum(w * x for w, x in zip(weights, row)) for row in rows]
"""
PAYLOAD = json.dumps({"data": [[1.0, 2.0, 3.0, 4.0]] * 4})


def timed(call, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    print(f"{label:<44} median {statistics.median(ordered) * 1000:8.3f} ms   p95 {p95 * 1000:8.3f} ms")


def in_process(source: Path, model_dir: Path, n: int) -> list[float]:
    os.environ["AZUREML_MODEL_DIR"] = str(model_dir)
    spec = importlib.util.spec_from_file_location("bench_score", source / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.init()
    expected = module.run(PAYLOAD)
    return expected, timed(lambda: module.run(PAYLOAD), n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--storage", choices=["folder", "azurite"], default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AZUREML_LOCAL_HOME"] = str(Path(tmp) / "home")
        if args.storage:
            os.environ["AZUREML_LOCAL_STORAGE"] = args.storage
        import requests
        from azureml.core import Model, Workspace
        from azureml.core.model import InferenceConfig
        from azureml.core.webservice import AciWebservice
        from azureml_local.service import control

        source, model_dir = Path(tmp) / "src", Path(tmp) / "model"
        source.mkdir()
        model_dir.mkdir()
        (source / "score.py").write_text(SCORE)
        (model_dir / "weights.json").write_text(json.dumps([0.5, 1.0, 1.5, 2.0]))
        ws = Workspace.create("bench-scoring", subscription_id="bench", resource_group="bench", exist_ok=True,
                              show_output=False)
        try:
            model = Model.register(ws, model_path=str(model_dir / "weights.json"), model_name="weights")
            start = time.perf_counter()
            service = Model.deploy(ws, "bench-scoring", [model], InferenceConfig(
                entry_script="score.py", source_directory=str(source)),
                AciWebservice.deploy_configuration(auth_enabled=True))
            service.wait_for_deployment()
            deploy_seconds = time.perf_counter() - start
            expected, local = in_process(source, model_dir, args.n)
            session = requests.Session()
            session.headers.update({"Authorization": "Bearer " + service.get_keys()[0],
                                    "Content-Type": "application/json"})
            assert session.post(service.scoring_uri, data=PAYLOAD).json() == expected
            for _ in range(20):  # warm the connection and the script
                session.post(service.scoring_uri, data=PAYLOAD)
            http = timed(lambda: session.post(service.scoring_uri, data=PAYLOAD).json(), args.n)
            helper = timed(lambda: service.run(PAYLOAD), args.n)
            service.delete()
        finally:
            control.stop_workspace_processes(ws)
    print(f"Model.deploy + wait_for_deployment (cold service)   {deploy_seconds:8.2f} s")
    report(f"run() in process            x{args.n}", local)
    report(f"HTTP POST scoring_uri (keep-alive) x{args.n}", http)
    report(f"service.run(...) (SDK helper) x{args.n}", helper)
    overhead = statistics.median(http) - statistics.median(local)
    print(f"HTTP overhead per request (median)                  {overhead * 1000:8.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
