"""ParallelRunStep throughput against ``multiprocessing.Pool`` (issue 9, Show).

2,000 small files (a FileDataset on the local Azurite), a CPU-bound ``run()`` (an integer hash loop
per file), ``node_count=1 x process_count_per_node=P`` workers against a ``multiprocessing.Pool(P)``
mapping the same function over the same files with ``chunksize = mini_batch_size``, in one run,
interleaved ``-n`` times (medians). Figures:

* processing throughput: the driver's own clock, from starting its worker processes (spawn + ``init()``)
  to the last result (its ``done:`` line in the step log), against the Pool's clock from creating the
  Pool (fork) to the last result; target >= 0.85x;
* per-mini-batch overhead: the driver's (round trip - time inside ``run()``) per mini batch;
* end to end: submit to Finished (snapshot, binding the 2,000 files from the cache, process start,
  upload of the output), for information.

A report, not a test: exits non-zero only when something crashes.

    python benchmarks/bench_parallel_run.py [-n 3] [--items 2000] [--processes 2] [--batch 20] [--work 40000]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ENTRY = '''
import os

WORK = int(os.environ["BENCH_WORK"])


def score(path):
    h = int(open(path).read())
    for i in range(WORK):
        h = (h * 1103515245 + 12345) & 0x7FFFFFFF
    return "%s %d" % (os.path.basename(path), h)


def init():
    pass


def run(mini_batch):
    return [score(p) for p in mini_batch]
'''
_DONE = re.compile(r"done: .* \(processing ([\d.]+)s, [\d.]+ items/s, overhead per mini batch ([\d.]+) ms\)")


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _score_module(src: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_score", src / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_score"] = module  # pickled by name for the Pool's workers (fork: they have it too)
    spec.loader.exec_module(module)
    return module


def _pool(src: Path, files: list[str], processes: int, chunk: int) -> float:
    module = _score_module(src)
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(module.score, files, chunksize=chunk)
    elapsed = time.perf_counter() - start
    assert len(results) == len(files)
    return elapsed


def _step(ws, dataset, src: Path, processes: int, batch: int, work: int):
    from azureml.core import Environment
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    config = ParallelRunConfig(environment=Environment("bench"), entry_script="score.py", source_directory=str(src),
                               error_threshold=0, output_action="append_row", compute_target="local", node_count=1,
                               process_count_per_node=processes, mini_batch_size=str(batch),
                               environment_variables={"BENCH_WORK": str(work)})
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        step = ParallelRunStep("bench-prs", config, inputs=[dataset.as_named_input("items")],
                               output=PipelineData("scores"), allow_reuse=False)
    return Pipeline(ws, steps=[step])


def _prs(experiment, pipeline, items: int) -> tuple[float, float, float]:
    """(processing seconds, overhead ms per mini batch, end-to-end seconds) of one pipeline run."""
    start = time.perf_counter()
    run = _quiet(experiment.submit, pipeline)
    status = _quiet(run.wait_for_completion, show_output=False)
    end_to_end = time.perf_counter() - start
    (step,) = run.get_steps()
    log = step.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    if status != "Finished" or f"{items} items succeeded" not in log:
        raise RuntimeError(f"pipeline run {run.id} ended {status}:\n{log[-2000:]}")
    processing, overhead = _DONE.search(log).groups()
    return float(processing), float(overhead), end_to_end


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="repetitions (median)")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch", type=int, default=20, help="mini_batch_size (files) = Pool chunksize")
    parser.add_argument("--work", type=int, default=40000, help="hash iterations per item (CPU time)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-prs-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    os.environ["BENCH_WORK"] = str(args.work)
    from azureml.core import Dataset, Experiment, Workspace
    from azureml_local.service import control as service_control

    ws = Workspace.create("bench-prs", subscription_id="bench", resource_group="bench", show_output=False)
    folder = next((tmp / "home" / "workspaces").glob("*/*/bench-prs"))
    src, data = tmp / "src", tmp / "items"
    src.mkdir()
    data.mkdir()
    (src / "score.py").write_text(ENTRY)
    files = []
    for i in range(args.items):
        (data / f"item{i:05d}.txt").write_text(str(i))
        files.append(str(data / f"item{i:05d}.txt"))
    pools, prs, overheads, ends = [], [], [], []
    try:
        store = ws.get_default_datastore()
        _quiet(store.upload, str(data), target_path="bench/items", overwrite=True, show_progress=False)
        dataset = Dataset.File.from_files((store, "bench/items/"))
        experiment = Experiment(ws, "bench-prs")
        pipeline = _step(ws, dataset, src, args.processes, args.batch, args.work)
        _prs(experiment, pipeline, args.items)  # warm: service, file cache, first imports
        for _ in range(args.n):
            pools.append(_pool(src, files, args.processes, args.batch))
            processing, overhead, end_to_end = _prs(experiment, pipeline, args.items)
            prs.append(processing)
            overheads.append(overhead)
            ends.append(end_to_end)
    finally:
        _quiet(service_control.stop_workspace_processes, ws)
        from azureml_local.store.azurite import stop_azurite

        stop_azurite(folder)
        shutil.rmtree(tmp, ignore_errors=True)

    pool_rate, prs_rate = args.items / statistics.median(pools), args.items / statistics.median(prs)
    ratio = prs_rate / pool_rate
    print(f"ParallelRunStep vs multiprocessing.Pool: {args.items} items, {args.processes} processes, "
          f"mini_batch_size={args.batch}, {args.work} hash iterations per item (median of {args.n}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  multiprocessing.Pool       {pool_rate:8.1f} items/s   ({statistics.median(pools):.2f} s)")
    print(f"  ParallelRunStep processing {prs_rate:8.1f} items/s   ({statistics.median(prs):.2f} s, spawn + init() "
          f"included)")
    print(f"  ratio                      {ratio:8.2f}x          target >= 0.85x  {'OK' if ratio >= 0.85 else 'MISSED'}")
    print(f"  overhead per mini batch    {statistics.median(overheads):8.2f} ms  (round trip - time in run(), "
          f"{args.items // args.batch} mini batches)")
    print(f"  end to end (submit->Finished) {statistics.median(ends):.2f} s = {args.items / statistics.median(ends):.1f} "
          f"items/s (snapshot, data binding, process start, output upload included)")
    print(f"  runs: pool {[round(p, 2) for p in pools]} s, ParallelRunStep {[round(p, 2) for p in prs]} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
