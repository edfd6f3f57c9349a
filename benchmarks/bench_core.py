"""Script-run overhead: ``Experiment.submit(ScriptRunConfig)`` + ``wait_for_completion()`` against
running the same script with ``python`` directly, measured in the same run.

The script does 0.1 s of work (sleep) and writes a small file to ./outputs. The workspace runner is
warmed with one unmeasured run first (in real use it stays up between submits). Target: at most
1.3x the direct time. A report, not a test: exits non-zero only when a run fails.

``--cold`` measures the first run in a fresh workspace instead: submit + wait when no workspace
service runs yet, so the time includes starting the service (what a new user, a test or a CI
job sees first). Each sample uses a new workspace and stops its service afterwards.

    python benchmarks/bench_core.py [-n 7] [--storage folder|azurite] [--cold]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.3
SCRIPT = """\
import os, time
time.sleep(0.1)
os.makedirs("outputs", exist_ok=True)
with open("outputs/result.txt", "w") as fh:
    fh.write("done")
"""


def measure_direct(script_dir: Path, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run([sys.executable, "train.py"], cwd=script_dir, check=True)
        times.append(time.perf_counter() - start)
    return times


def measure_submit(script_dir: Path, n: int) -> list[float]:
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    ws = Workspace.create("bench", subscription_id="bench", resource_group="bench", exist_ok=True,
                          show_output=False)
    experiment = Experiment(ws, "bench-core")
    config = ScriptRunConfig(source_directory=str(script_dir), script="train.py")
    experiment.submit(config).wait_for_completion()  # warm the runner and the snapshot
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run = experiment.submit(config)
        details = run.wait_for_completion()
        times.append(time.perf_counter() - start)
        if details["status"] != "Completed":
            raise SystemExit(f"run {run.id} ended {details['status']}")
    from azureml_local.service import control as service_control

    service_control.stop_workspace_processes(ws)
    return times


def measure_cold(script_dir: Path, n: int) -> list[float]:
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    from azureml_local.service import control

    config = ScriptRunConfig(source_directory=str(script_dir), script="train.py")
    times = []
    for i in range(n):
        ws = Workspace.create(f"cold-{i}", subscription_id="bench", resource_group="bench", exist_ok=True,
                              show_output=False)
        start = time.perf_counter()
        run = Experiment(ws, "bench-cold").submit(config)
        details = run.wait_for_completion()
        times.append(time.perf_counter() - start)
        control.stop_workspace_processes(ws)
        if details["status"] != "Completed":
            raise SystemExit(f"run {run.id} ended {details['status']}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=7)
    parser.add_argument("--storage", choices=["folder", "azurite"], default=None,
                        help="blob backend (default: the normal choice, Azurite when installed)")
    parser.add_argument("--cold", action="store_true", help="first run in a fresh workspace (service start)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AZUREML_LOCAL_HOME"] = str(Path(tmp) / "home")
        if args.storage:
            os.environ["AZUREML_LOCAL_STORAGE"] = args.storage
        script_dir = Path(tmp) / "src"
        script_dir.mkdir()
        (script_dir / "train.py").write_text(SCRIPT)
        direct = statistics.median(measure_direct(script_dir, args.n))
        if args.cold:
            cold = measure_cold(script_dir, args.n)
            print(f"python train.py (0.1 s of work)        median {direct * 1000:7.1f} ms")
            print(f"first run, fresh workspace (cold)     median {statistics.median(cold) * 1000:7.1f} ms  "
                  f"(min {min(cold) * 1000:.1f}, max {max(cold) * 1000:.1f})")
            return 0
        submitted = statistics.median(measure_submit(script_dir, args.n))
    ratio = submitted / direct
    print(f"python train.py (0.1 s of work)        median {direct * 1000:7.1f} ms")
    print(f"submit + wait_for_completion          median {submitted * 1000:7.1f} ms")
    print(f"overhead                                      {(submitted - direct) * 1000:7.1f} ms per run")
    print(f"ratio                                         {ratio:7.2f}x  (target <= {TARGET_RATIO}x: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
