"""Compute on Dask benchmark (issue 11 item 2): the same N small independent steps on a Dask-backed
target (a ``LocalCluster`` with 2 worker processes started here) against a local AmlCompute target with
``max_nodes=2`` (the local launcher), in one run.

Each step sleeps ``--sleep`` seconds and writes a small output, so the ideal wall time of either is
``N * sleep / 2``; the per-task overhead is ``(wall - ideal) * 2 / N`` (two tasks run at once). On
Dask it includes zipping the working directory, the blob store round trips (bundle up, results down),
the scheduler and the journal replay. Pipelines are built with the SDK's public classes and submitted
with ``Experiment.submit``. Medians of ``-n`` repetitions, interleaved. A report, not a test.

    python benchmarks/bench_dask.py [-N 20] [-n 3] [--sleep 0.5]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEP = """import os, sys, time
time.sleep(float(sys.argv[1]))
os.makedirs(sys.argv[2], exist_ok=True)
open(os.path.join(sys.argv[2], 'x.txt'), 'w').write('x')
"""


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _pipeline(ws, src: Path, target: str, count: int, sleep: float):
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    steps = [PythonScriptStep(name=f"s{i}", source_directory=str(src), script_name="step.py",
                              arguments=[str(sleep), OutputFileDatasetConfig(f"o{i}")], compute_target=target,
                              allow_reuse=False) for i in range(count)]
    return Pipeline(ws, steps=steps)


def _timed(experiment, pipeline) -> float:
    start = time.perf_counter()
    run = _quiet(experiment.submit, pipeline)
    status = _quiet(run.wait_for_completion, show_output=False)
    if status != "Finished":
        raise RuntimeError(f"pipeline run {run.id} ended {status}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-N", type=int, default=20, help="steps per pipeline")
    parser.add_argument("-n", type=int, default=3, help="repetitions (median)")
    parser.add_argument("--sleep", type=float, default=0.5, help="seconds each step sleeps")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    from azureml.core import Experiment, Workspace
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml_local.service import control as service_control

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    client = Client(cluster, set_as_default=False)
    ws = Workspace.create("bench-dask", subscription_id="bench", resource_group="bench", show_output=False)
    try:
        for name, tags in (("localpair", None), ("daskpair", {"azureml-local-dask": cluster.scheduler_address})):
            config = AmlCompute.provisioning_configuration(max_nodes=2, tags=tags)
            _quiet(ComputeTarget.create(ws, name, config).wait_for_completion, show_output=False)
        src = tmp / "src"
        src.mkdir()
        (src / "step.py").write_text(STEP)
        experiment = Experiment(ws, "bench")
        _timed(experiment, _pipeline(ws, src, "localpair", 2, 0))  # warm up: service, Azurite, first imports
        _timed(experiment, _pipeline(ws, src, "daskpair", 2, 0))
        local, dask = [], []
        for _ in range(args.n):
            local.append(_timed(experiment, _pipeline(ws, src, "localpair", args.N, args.sleep)))
            dask.append(_timed(experiment, _pipeline(ws, src, "daskpair", args.N, args.sleep)))
    finally:
        _quiet(service_control.stop_workspace_processes, ws)
        try:
            from azureml_local.store.azurite import stop_azurite

            stop_azurite(ws._local_folder)
        except ImportError:
            pass
        client.close()
        cluster.close()
        shutil.rmtree(tmp, ignore_errors=True)

    ideal = args.N * args.sleep / 2
    lm, dm = statistics.median(local), statistics.median(dask)
    print(f"Compute on Dask benchmark: {args.N} steps of {args.sleep} s, 2 at a time (median of {args.n}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  local launcher (AmlCompute max_nodes=2): {lm:.2f} s, overhead {(lm - ideal) * 2 / args.N * 1000:.0f} ms/task")
    print(f"  Dask, 2 worker processes:               {dm:.2f} s, overhead {(dm - ideal) * 2 / args.N * 1000:.0f} ms/task")
    print(f"  ratio Dask / local: {dm / lm:.2f}x; Dask's extra per task: {(dm - lm) * 2 / args.N * 1000:.0f} ms "
          f"(ideal wall time {ideal:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
