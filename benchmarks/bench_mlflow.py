"""MLflow logging cost: ``mlflow.log_metric`` x N against the same calls to ``run.log``, in one run.

Both write the same run-history rows through the same database (the MLflow plugin is
in-process, docs/mlflow.md), so the difference is MLflow's own client work (validation,
entity objects, the fluent API's run lookup) plus the plugin's mapping. Each side logs N
values of one metric into its own run of one workspace, repeated ``--repeat`` times
(alternating, so background load hits both); medians are reported with the ratio.
A report, not a test: exits non-zero only when a call fails or a count is wrong.

    python benchmarks/bench_mlflow.py [-n 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def log_with_sdk(ws, n: int) -> float:
    from azureml.core import Experiment

    run = Experiment(ws, "bench-sdk").start_logging()
    start = time.perf_counter()
    for i in range(n):
        run.log("loss", 1.0 / (i + 1))
    elapsed = time.perf_counter() - start
    run.complete()
    assert len(run.get_metrics()["loss"]) == n
    return elapsed


def log_with_mlflow(ws, n: int) -> float:
    import mlflow
    from azureml.core import Experiment, Run

    mlflow.set_experiment("bench-mlflow")
    with mlflow.start_run() as active:
        start = time.perf_counter()
        for i in range(n):
            mlflow.log_metric("loss", 1.0 / (i + 1), step=i)
        elapsed = time.perf_counter() - start
    assert len(Run(Experiment(ws, "bench-mlflow"), active.info.run_id).get_metrics()["loss"]) == n
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AZUREML_LOCAL_HOME"] = str(Path(tmp) / "home")
        import mlflow
        from azureml.core import Workspace

        ws = Workspace.create("bench", subscription_id="bench", resource_group="bench", exist_ok=True,
                              location="local")
        mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
        log_with_sdk(ws, 10)  # warm both paths (imports, first statements) unmeasured
        log_with_mlflow(ws, 10)
        sdk, ml, job = [], [], []
        for _ in range(args.repeat):
            sdk.append(log_with_sdk(ws, args.n))
            ml.append(log_with_mlflow(ws, args.n))
            # In a job the environment also names the registry (engine/env.py), which spares MLflow's client a
            # failed `import pyspark` on every call; measured the same way.
            os.environ["MLFLOW_REGISTRY_URI"] = ws.get_mlflow_tracking_uri()
            job.append(log_with_mlflow(ws, args.n))
            del os.environ["MLFLOW_REGISTRY_URI"]
    sdk_t, ml_t, job_t = statistics.median(sdk), statistics.median(ml), statistics.median(job)
    for label, t in ((f"run.log x {args.n}", sdk_t), (f"mlflow.log_metric x {args.n}", ml_t),
                     (f"mlflow.log_metric x {args.n} (job env)", job_t)):
        print(f"{label:<40} median {t * 1000:8.1f} ms  ({t / args.n * 1e6:6.0f} us per call)")
    print(f"ratio mlflow / run.log                   {ml_t / sdk_t:8.2f}x  (job env: {job_t / sdk_t:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
