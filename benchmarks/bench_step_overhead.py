"""Per-step overhead and per-run disk growth of pipeline steps (issue 7, Build 7).

10 chained trivial steps (``run_after``, submitted with ``regenerate_outputs=True``) against the same
10 scripts run one after another with ``python``, twice: once with a source folder that holds only the
script, once with 1,000 small files next to it. A step's working directory should cost about the same
in both cases (target <= 15 ms per step), and a run should not copy unchanged sources (target < 100 KB
added under the workspace folder per run with the 1,000-file folder, not counting the run's own logs,
outputs, the blob store that holds them, and the database's write-ahead log, which SQLite reuses).

Built with the SDK's public classes (Pipeline, PythonScriptStep) and Experiment.submit, so submit-side
work counts. The overhead is the median over ``-n`` repetitions of (pipeline - the baseline run right
after it), so background load hits both alike; the baseline's own spread is printed as the host's noise
(on the shared 2-core dev VM the overhead swings with it). Three warm-up pipelines
run first; the cold first run is ``bench_core.py --cold``'s figure. A report, not a test: exits
non-zero only when something crashes.

    python benchmarks/bench_step_overhead.py [-n 9] [--steps 10]
"""
from __future__ import annotations

import argparse
import compileall
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

TRIVIAL = "import os\nopen(os.path.join('outputs', 'done.txt'), 'w').write('ok')\n"
# what a run legitimately adds: its logs, its outputs, the blob store holding them, the WAL (reused)
NOT_COUNTED = ("azurite", "store.db-wal", "store.db-shm")


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _source(folder: Path, extra_files: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "t.py").write_text(TRIVIAL)
    if extra_files:
        (folder / "data").mkdir()
        for i in range(extra_files):
            (folder / "data" / f"f{i:04d}.txt").write_text(f"file {i}\n")
    return folder


def _pipeline(ws, src: Path, steps: int):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    chain = []
    for i in range(steps):
        step = PythonScriptStep(name=f"s{i}", source_directory=str(src), script_name="t.py",
                                compute_target="local", allow_reuse=True)
        if chain:
            step.run_after(chain[-1])
        chain.append(step)
    return Pipeline(ws, steps=chain)


def _submit(experiment, pipeline) -> tuple[float, object]:
    start = time.perf_counter()
    run = _quiet(experiment.submit, pipeline, regenerate_outputs=True)
    status = _quiet(run.wait_for_completion, show_output=False)
    elapsed = time.perf_counter() - start
    if status != "Finished":
        raise RuntimeError(f"pipeline run {run.id} ended {status}")
    return elapsed, run


def _by_hand(src: Path, steps: int, tmp: Path) -> float:
    """The same script ``steps`` times with ``python``, each in a folder of its own (as a run has)."""
    work = tmp / "by-hand"
    (work / "outputs").mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for _ in range(steps):
        subprocess.run([sys.executable, str(src / "t.py")], check=True, cwd=work)
    elapsed = time.perf_counter() - start
    shutil.rmtree(work)
    return elapsed


def _disk_bytes(folder: Path) -> dict[str, int]:
    """``{relative path: bytes on disk}`` of every file under ``folder`` (hard links counted once)."""
    sizes: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            sizes[os.path.relpath(full, folder)] = st.st_blocks * 512
    return sizes


def _counted(rel: str, run_ids: set[str]) -> bool:
    """Whether a path's bytes count as the run's overhead (not its logs, outputs or their blob copies)."""
    parts = Path(rel).parts
    if parts[0] in NOT_COUNTED:
        return False
    if parts[0] == "runs" and len(parts) > 2 and parts[1] in run_ids and parts[2] in ("logs", "data"):
        return False  # a run's logs, and a pipeline run's data/<step run>/<output> folders
    if parts[0] == "runs" and len(parts) > 3 and parts[1] in run_ids and parts[2] == "wd" and parts[3] == "outputs":
        return False  # a step's ./outputs
    return True


def _spread(values: list[float]) -> float:
    """How much the same work's time varied (interquartile range / median): the host's noise, printed
    next to the figures."""
    q1, median, q3 = statistics.quantiles(values, n=4)
    return (q3 - q1) / median


def _run_ids(run) -> set[str]:
    return {run.id} | {child.id for child in run.get_children()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=9, help="repetitions per figure (median)")
    parser.add_argument("--steps", type=int, default=10, help="steps in the chain")
    args = parser.parse_args(argv)

    # Every step process imports the package: with PYTHONDONTWRITEBYTECODE set (as on the dev VM), a module
    # edited since scripts/setup.sh compiled it would be recompiled in each of them and show as overhead.
    root = Path(__file__).resolve().parent.parent
    for package in ("azureml", "azureml_local"):
        compileall.compile_dir(str(root / package), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    from azureml.core import Experiment, Workspace
    from azureml_local.service import control as service_control

    ws = Workspace.create("bench-steps", subscription_id="bench", resource_group="bench", show_output=False)
    folder = next((tmp / "home" / "workspaces").glob("*/*/bench-steps"))
    experiment = Experiment(ws, "bench")
    results = []
    try:
        warm = _source(tmp / "warm", 0)
        for _ in range(3):  # runner, blob store, containers, first imports, Azurite's JIT (cold: bench_core --cold)
            _submit(experiment, _pipeline(ws, warm, args.steps))
        for label, extra in (("only the script", 0), ("1,000 files", 999)):
            src = _source(tmp / f"src-{extra}", extra)
            pipeline = _pipeline(ws, src, args.steps)
            _submit(experiment, pipeline)  # the snapshot and its hashes exist from here on, as after any first submit
            runs, hands, growth = [], [], []
            for _ in range(args.n):
                before = _disk_bytes(folder)
                elapsed, run = _submit(experiment, pipeline)
                after = _disk_bytes(folder)
                ids = _run_ids(run)
                growth.append(sum(size - before.get(rel, 0) for rel, size in after.items() if _counted(rel, ids)))
                runs.append(elapsed)
                hands.append(_by_hand(src, args.steps, tmp))
            p, b = statistics.median(runs), statistics.median(hands)
            # each pipeline against the baseline run right after it: slow spells of a shared host hit both
            per_step = statistics.median(r - h for r, h in zip(runs, hands)) / args.steps * 1000
            noise = _spread(hands)
            results.append((f"{args.steps} steps, {label}", f"pipeline {p:.3f} s vs python {b:.3f} s",
                            f"ratio {p / b:.2f}x", f"overhead {per_step:.1f} ms/step",
                            "<= 15 ms/step", per_step <= 15))
            results.append((f"  host noise, {label}", f"python runs vary {noise:.0%} (IQR / median)",
                            "", "", "quiet: < 10%", "quiet" if noise < 0.10 else "NOISY"))
            disk = statistics.median(growth)
            results.append((f"disk per run, {label}", f"{disk / 1024:.0f} KB added",
                            f"max {max(growth) / 1024:.0f} KB", "", "< 100 KB", disk < 100 * 1024))
    finally:
        _quiet(service_control.stop_workspace_processes, ws)
        from azureml_local.store.azurite import stop_azurite

        stop_azurite(folder)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Step overhead benchmark (median of {args.n}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")
    for name, figures, ratio, extra, target, ok in results:
        print(f"  {name:28s} {figures:38s} {ratio:12s} {extra:24s} target {target:14s} "
              f"{ok if isinstance(ok, str) else 'OK' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
