"""Compute on Dask benchmark (issue 11 item 2), in one run, on a ``LocalCluster`` with 2 worker processes
started here against local AmlCompute targets with ``max_nodes=2``:

(a) the same N small independent steps on the Dask-backed target vs the local launcher;
(b) a ParallelRunStep over ``--files`` files (``--batch`` per mini batch, a trivial ``run()``) with
    ``node_count=2`` on the Dask workers vs the local warm worker pool (2 processes).

Each step sleeps ``--sleep`` seconds and writes a small output, so the ideal wall time of either is
``N * sleep / 2``; the per-task overhead is ``(wall - ideal) * 2 / N`` (two tasks run at once). On
Dask it includes zipping the working directory, the blob store round trips (bundle up, results down),
the scheduler and the journal replay. Pipelines are built with the SDK's public classes and submitted
with ``Experiment.submit``. Medians of ``-n`` repetitions, interleaved. A report, not a test.

For (b) the per-mini-batch overhead is the driver's own figure (round trip minus time in ``run()``,
read from the step log), and the wall time is submit -> Finished.

    python benchmarks/bench_dask.py [-N 20] [-n 3] [--sleep 0.5] [--files 500] [--batch 10]
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


def _timed(experiment, pipeline, runs: list | None = None) -> float:
    start = time.perf_counter()
    run = _quiet(experiment.submit, pipeline)
    status = _quiet(run.wait_for_completion, show_output=False)
    if status != "Finished":
        raise RuntimeError(f"pipeline run {run.id} ended {status}")
    if runs is not None:
        runs.append(run)
    return time.perf_counter() - start


ENTRY = "import os\ndef run(mini_batch):\n    return [os.path.basename(p) for p in mini_batch]\n"


def _prs(ws, files, src: Path, target: str, batch: int):
    from azureml.core import Environment
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    config = ParallelRunConfig(environment=Environment("bench"), entry_script="score.py", source_directory=str(src),
                               mini_batch_size=str(batch), error_threshold=0, output_action="append_row",
                               compute_target=target, node_count=2, process_count_per_node=1)
    step = ParallelRunStep("score", config, inputs=[files.as_named_input("files")], output=PipelineData("scores"),
                           allow_reuse=False)
    return Pipeline(ws, steps=[step])


def _driver_overhead_ms(run, tmp: Path) -> float:
    """The driver's "overhead per mini batch" figure from the ParallelRunStep's log."""
    import re

    step = run.find_step_run("score")[0]
    text = Path(step.download_file("user_logs/std_log.txt", str(tmp / "prs-log.txt")) or tmp / "prs-log.txt").read_text()
    found = re.search(r"overhead per mini batch ([0-9.]+) ms", text)
    return float(found.group(1)) if found else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-N", type=int, default=20, help="steps per pipeline")
    parser.add_argument("-n", type=int, default=3, help="repetitions (median)")
    parser.add_argument("--sleep", type=float, default=0.5, help="seconds each step sleeps")
    parser.add_argument("--files", type=int, default=500, help="files of the ParallelRunStep input")
    parser.add_argument("--batch", type=int, default=10, help="files per mini batch")
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
        from azureml.core import Dataset

        names = [tmp / "files" / f"f{i:04d}.txt" for i in range(args.files)]
        names[0].parent.mkdir()
        _ = [p.write_text(str(i)) for i, p in enumerate(names)]
        store = ws.get_default_datastore()
        _quiet(store.upload_files, [str(p) for p in names], target_path="bench-files", overwrite=True,
               show_progress=False)
        files = Dataset.File.from_files(path=(store, "bench-files/"))
        entry = tmp / "entry"
        entry.mkdir()
        (entry / "score.py").write_text(ENTRY)
        prs_local, prs_dask, runs_local, runs_dask = [], [], [], []
        for _ in range(args.n):
            prs_local.append(_timed(experiment, _prs(ws, files, entry, "localpair", args.batch), runs_local))
            prs_dask.append(_timed(experiment, _prs(ws, files, entry, "daskpair", args.batch), runs_dask))
        over_local = statistics.median(_driver_overhead_ms(r, tmp) for r in runs_local)
        over_dask = statistics.median(_driver_overhead_ms(r, tmp) for r in runs_dask)
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
    pl, pd_ = statistics.median(prs_local), statistics.median(prs_dask)
    batches = -(-args.files // args.batch)
    print(f"ParallelRunStep: {args.files} files, {batches} mini batches of {args.batch}, node_count=2")
    print(f"  local warm worker pool (2 processes): {pl:.2f} s submit -> Finished, driver overhead "
          f"{over_local:.2f} ms/mini batch")
    print(f"  Dask, 2 worker processes:             {pd_:.2f} s submit -> Finished, driver overhead "
          f"{over_dask:.2f} ms/mini batch")
    print(f"  ratio Dask / local: {pd_ / pl:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
