"""A 20-run HyperDrive sweep against the same 20 scripts run by hand with the same concurrency (issue 13).

The sweep: ``Experiment.submit(HyperDriveConfig)`` with a 20-point grid, ``max_concurrent_runs=4`` (``-c``),
waited for with ``wait_for_completion``, so submit, the service's controller, child run records, working
directories, logs and artifacts all count. By hand: the same script with the same 20 argument sets as
``python`` subprocesses, at most ``-c`` at a time (a pool of threads each waiting on one process). The
script sleeps ``--sleep`` seconds (default 0.5: a short training step) and logs one metric through
``Run.get_context()`` (offline by hand, as a user would run it). Each figure is the median of ``-n``
repetitions, sweep and by-hand interleaved so background load hits both alike; the ratio is sweep / by hand.
A report, not a test: exits non-zero only when something crashes.

    python benchmarks/bench_hyperdrive.py [-n 3] [-c 4] [--runs 20] [--sleep 0.5]
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRIPT = """import argparse, time
from azureml.core import Run
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float)
p.add_argument("--sleep", type=float)
a = p.parse_args()
time.sleep(a.sleep)
Run.get_context().log("accuracy", a.lr)
"""


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return fn(*args, **kwargs)


def _values(runs: int) -> list[float]:
    return [round(0.01 * (i + 1), 2) for i in range(runs)]


def _sweep(experiment, src: Path, runs: int, concurrency: int, sleep: float) -> float:
    from azureml.core import ScriptRunConfig
    from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice

    config = HyperDriveConfig(
        run_config=ScriptRunConfig(str(src), script="train.py", arguments=["--sleep", sleep]),
        hyperparameter_sampling=GridParameterSampling({"--lr": choice(*_values(runs))}),
        primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
        max_total_runs=runs, max_concurrent_runs=concurrency)
    start = time.perf_counter()
    run = _quiet(experiment.submit, config)
    _quiet(run.wait_for_completion)
    elapsed = time.perf_counter() - start
    children = list(run.get_children())
    if run.get_status() != "Completed" or len(children) != runs:
        raise RuntimeError(f"sweep {run.id} ended {run.get_status()} with {len(children)} children")
    return elapsed


def _by_hand(src: Path, runs: int, concurrency: int, sleep: float, tmp: Path) -> float:
    def one(i: int, lr: float) -> None:
        work = tmp / f"hand-{i}"
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(src / "train.py"), "--sleep", str(sleep), "--lr", str(lr)],
                       check=True, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(runs), _values(runs)))
    elapsed = time.perf_counter() - start
    for i in range(runs):
        shutil.rmtree(tmp / f"hand-{i}", ignore_errors=True)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="repetitions per figure (median)")
    parser.add_argument("-c", type=int, default=4, help="max_concurrent_runs (and the by-hand pool size)")
    parser.add_argument("--runs", type=int, default=20, help="runs in the sweep")
    parser.add_argument("--sleep", type=float, default=0.5, help="seconds each script sleeps")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-hd-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    from azureml.core import Experiment, Workspace
    from azureml_local.service import control as service_control
    from azureml_local.store.azurite import stop_azurite

    ws = Workspace.create("bench-hd", subscription_id="bench", resource_group="bench", show_output=False)
    folder = next((tmp / "home" / "workspaces").glob("*/*/bench-hd"))
    src = tmp / "src"
    src.mkdir()
    (src / "train.py").write_text(SCRIPT)
    experiment = Experiment(ws, "bench")
    sweeps, hands = [], []
    try:
        _sweep(experiment, src, 2, 2, 0.0)  # warm-up: the service, the blob store, first imports
        for _ in range(args.n):
            sweeps.append(_sweep(experiment, src, args.runs, args.c, args.sleep))
            hands.append(_by_hand(src, args.runs, args.c, args.sleep, tmp))
    finally:
        _quiet(service_control.stop_workspace_processes, ws)
        stop_azurite(folder)
        shutil.rmtree(tmp, ignore_errors=True)

    s, h = statistics.median(sweeps), statistics.median(hands)
    print(f"HyperDrive benchmark (median of {args.n}; {args.runs} runs, {args.c} concurrent, {args.sleep:g} s "
          f"sleep each; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  sweep (submit -> Completed)   {s:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in sweeps)})")
    print(f"  by hand (python subprocesses) {h:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in hands)})")
    print(f"  ratio sweep / by hand          {s / h:6.2f}x   overhead {(s - h) / args.runs * 1000:.0f} ms per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
