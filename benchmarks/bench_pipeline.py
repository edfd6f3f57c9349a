"""Pipeline execution benchmark (issue 4 "Show"): figures and ratios against baselines measured in this run.

(a) 10 chained steps that each import pandas and pass a small CSV on, vs the same 10 scripts run one
    after another with ``python``                                   target: ratio <= 1.15
(b) 10 chained trivial steps: per-step overhead over running them by hand  target: <= 15 ms/step
(c) fully reused resubmission of the 10-step pipeline whose source directory holds 1,000 files,
    submit -> Finished                                              target: < 150 ms
(d) passing a 200 MB output between two steps vs running the two scripts by hand with ``cp`` between
    them: submit -> the consumer step has ended (the hand-off is local; the datastore upload runs
    beside it)                                                      target: ratio <= 2
    Context lines: submit -> pipeline Finished (the run is Finished only once the output landed in
    Azurite, so that line is bound by Azurite's upload throughput), and the same on a folder datastore.

Pipelines are built with the SDK's public classes (Pipeline, PythonScriptStep, OutputFileDatasetConfig)
and submitted with Experiment.submit, so submit-side work (definition, snapshot hashing, printing) counts.
Each figure is the median of ``-n`` repetitions, pipeline and baseline interleaved so background load
hits both alike. A report, not a test: exits non-zero only when something crashes.

    python benchmarks/bench_pipeline.py [-n 3] [--mb 200]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PANDAS_STEP = """import sys, os, pandas as pd
src, dst = sys.argv[1], sys.argv[2]
df = pd.read_csv(os.path.join(src, 'data.csv')) if src != '-' else pd.DataFrame({'x': range(100)})
df['x'] = df['x'] + 1
os.makedirs(dst, exist_ok=True)
df.to_csv(os.path.join(dst, 'data.csv'), index=False)
"""
TRIVIAL_STEP = "import sys, os\nos.makedirs(sys.argv[2], exist_ok=True)\n"
PRODUCE = """import sys, os
with open(os.path.join(sys.argv[1], 'big.bin'), 'wb') as f:
    block = os.urandom(1 << 20)
    for _ in range(int(sys.argv[2])):
        f.write(block)
"""
CONSUME = """import sys, os
total = 0
with open(os.path.join(sys.argv[1], 'big.bin'), 'rb') as f:
    while chunk := f.read(8 << 20):
        total += len(chunk)
print(total)
"""


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _chain(ws, src: Path, script: str, count: int, allow_reuse: bool):
    """A Pipeline of ``count`` steps, each consuming the previous step's OutputFileDatasetConfig."""
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    steps, previous = [], None
    for i in range(count):
        out = OutputFileDatasetConfig(f"out{i}")
        args = [previous.as_input(f"in{i}") if previous is not None else "-", out]
        steps.append(PythonScriptStep(name=f"step{i}", source_directory=str(src), script_name=script,
                                      arguments=args, compute_target="local", allow_reuse=allow_reuse))
        previous = out
    return Pipeline(ws, steps=steps)


def _run_pipeline(experiment, pipeline, **kwargs) -> float:
    start = time.perf_counter()
    run = _quiet(experiment.submit, pipeline, **kwargs)
    status = _quiet(run.wait_for_completion, show_output=False)
    elapsed = time.perf_counter() - start
    if status != "Finished":
        raise RuntimeError(f"pipeline run {run.id} ended {status}")
    return elapsed


def _by_hand(src: Path, script: str, count: int, tmp: Path) -> float:
    """The same scripts one after another with ``python``, each reading the previous output folder."""
    start = time.perf_counter()
    previous = "-"
    for i in range(count):
        out = tmp / f"hand{i}"
        subprocess.run([sys.executable, str(src / script), previous, str(out)], check=True)
        previous = str(out)
    elapsed = time.perf_counter() - start
    for i in range(count):
        shutil.rmtree(tmp / f"hand{i}", ignore_errors=True)
    return elapsed


def _median_pair(reps: int, pipeline_fn, baseline_fn) -> tuple[float, float]:
    p, b = [], []
    for _ in range(reps):
        p.append(pipeline_fn())
        b.append(baseline_fn())
    return statistics.median(p), statistics.median(b)


def _big_output(ws, experiment, tmp: Path, args, label: str) -> tuple[float, float]:
    """(d): a producer writes ``args.mb`` MB to an OutputFileDatasetConfig, a consumer reads it."""
    src_d = tmp / f"d-{label}"
    src_d.mkdir()
    (src_d / "produce.py").write_text(PRODUCE)
    (src_d / "consume.py").write_text(CONSUME)
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    big = OutputFileDatasetConfig("big")
    produce = PythonScriptStep(name="produce", source_directory=str(src_d), script_name="produce.py",
                               arguments=[big, str(args.mb)], compute_target="local")
    consume = PythonScriptStep(name="consume", source_directory=str(src_d), script_name="consume.py",
                               arguments=[big.as_input("big_in")], compute_target="local")
    pipe_d = Pipeline(ws, steps=[produce, consume])

    def by_hand_d() -> float:
        a, b = tmp / "d_out", tmp / "d_copy"
        a.mkdir(exist_ok=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(src_d / "produce.py"), str(a), str(args.mb)], check=True)
        subprocess.run(["cp", "-r", str(a), str(b)], check=True)
        subprocess.run([sys.executable, str(src_d / "consume.py"), str(b)], check=True,
                       stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        shutil.rmtree(a)
        shutil.rmtree(b)
        return elapsed

    handoffs: list[float] = []

    def pipeline_d() -> float:
        """Submit -> Finished; also records submit -> consumer step ended (the hand-off itself)."""
        from datetime import datetime

        started = time.time()
        run = _quiet(experiment.submit, pipe_d, regenerate_outputs=True)
        status = _quiet(run.wait_for_completion, show_output=False)
        elapsed = time.time() - started
        if status != "Finished":
            raise RuntimeError(f"pipeline run {run.id} ended {status}")
        end = run.find_step_run("consume")[0].get_details()["endTimeUtc"]
        handoffs.append(datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp() - started)
        return elapsed

    finished, baseline = _median_pair(max(1, min(args.n, 2)), pipeline_d, by_hand_d)
    return finished, baseline, statistics.median(handoffs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="repetitions per figure (median)")
    parser.add_argument("--mb", type=int, default=200, help="size of the output passed in (d)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    from azureml.core import Experiment, Workspace
    from azureml_local.service import control as service_control

    ws = Workspace.create("bench-pipeline", subscription_id="bench", resource_group="bench", show_output=False)
    workspaces = [ws]
    experiment = Experiment(ws, "bench")
    results = []
    try:
        # warm up: runner, blob store, containers, first imports
        warm = tmp / "warm"
        warm.mkdir()
        (warm / "t.py").write_text(TRIVIAL_STEP)
        _run_pipeline(experiment, _chain(ws, warm, "t.py", 2, False))

        # (a) pandas steps
        src_a = tmp / "a"
        src_a.mkdir()
        (src_a / "step.py").write_text(PANDAS_STEP)
        pipe_a = _chain(ws, src_a, "step.py", 10, True)
        pa, ba = _median_pair(args.n, lambda: _run_pipeline(experiment, pipe_a, regenerate_outputs=True),
                              lambda: _by_hand(src_a, "step.py", 10, tmp))
        results.append(("(a) 10 pandas steps", f"pipeline {pa:.2f} s vs python {ba:.2f} s",
                        f"ratio {pa / ba:.2f}x", "<= 1.15x", pa / ba <= 1.15))

        # (b) trivial steps
        src_b = tmp / "b"
        src_b.mkdir()
        (src_b / "t.py").write_text(TRIVIAL_STEP)
        pipe_b = _chain(ws, src_b, "t.py", 10, True)
        pb, bb = _median_pair(args.n, lambda: _run_pipeline(experiment, pipe_b, regenerate_outputs=True),
                              lambda: _by_hand(src_b, "t.py", 10, tmp))
        per_step = (pb - bb) / 10 * 1000
        results.append(("(b) 10 trivial steps", f"pipeline {pb:.3f} s vs python {bb:.3f} s",
                        f"overhead {per_step:.1f} ms/step", "<= 15 ms/step", per_step <= 15))

        # (c) fully reused resubmission, 1,000 files in the source directory
        src_c = tmp / "c"
        (src_c / "data").mkdir(parents=True)
        (src_c / "t.py").write_text(TRIVIAL_STEP)
        for i in range(999):
            (src_c / "data" / f"f{i:04d}.txt").write_text(f"file {i}\n")
        pipe_c = _chain(ws, src_c, "t.py", 10, True)
        _run_pipeline(experiment, pipe_c)  # first run computes and stores everything
        times = [_run_pipeline(experiment, pipe_c) for _ in range(max(3, args.n))]
        pc = statistics.median(times)
        results.append(("(c) reused 10 steps, 1,000 files", f"submit -> Finished {pc * 1000:.0f} ms",
                        f"min {min(times) * 1000:.0f} ms", "< 150 ms", pc < 0.150))

        # (d) a big output between two steps
        pd_, bd, hd = _big_output(ws, experiment, tmp, args, "azurite")
        results.append((f"(d) {args.mb} MB between 2 steps", f"consumer done {hd:.2f} s vs python+cp {bd:.2f} s",
                        f"ratio {hd / bd:.2f}x", "<= 2x", hd / bd <= 2))
        results.append(("(d) ... until uploaded to Azurite", f"pipeline Finished {pd_:.2f} s",
                        f"ratio {pd_ / bd:.2f}x", "(context)", True))
        # the same with the plain-folder blob backend: what is left when the datastore is not Azurite
        os.environ["AZUREML_LOCAL_STORAGE"] = "folder"
        ws_folder = Workspace.create("bench-folder", subscription_id="bench", resource_group="bench",
                                     show_output=False)
        workspaces.append(ws_folder)
        pf, bf, _ = _big_output(ws_folder, Experiment(ws_folder, "bench"), tmp, args, "folder")
        results.append(("(d) same, folder datastore", f"pipeline {pf:.2f} s vs python+cp {bf:.2f} s",
                        f"ratio {pf / bf:.2f}x", "(context)", True))
    finally:
        for w in workspaces:
            _quiet(service_control.stop_workspace_processes, w)
            try:
                from azureml_local.store.azurite import stop_azurite

                stop_azurite(w._local_folder)  # the workspace's own Azurite, if the blob factory started one
            except ImportError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Pipeline execution benchmark (median of {args.n}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")
    for name, figures, ratio, target, ok in results:
        print(f"  {name:34s} {figures:42s} {ratio:24s} target {target:14s} {'OK' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
