"""Import-time benchmark: what ``import azureml.core`` costs on top of starting Python.

Each case is timed as the median wall time of N fresh ``python -c`` subprocesses, interleaved
with ``python -c pass`` runs (so background load hits both alike; one unmeasured warm-up each). Target: at most 80 ms
more than a bare interpreter for ``import azureml.core``. This is a report, not a test: it
exits non-zero only when a case crashes. When a target is missed, the heaviest modules from
``python -X importtime`` are printed so the culprit is named.

    python benchmarks/bench_import.py [-n 15]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 80.0
BASELINE = "pass"
CORE_NAMES = ["Workspace", "Experiment", "Run", "Dataset", "Datastore", "Environment", "ScriptRunConfig"]


def cases() -> list[tuple[str, str | None, str]]:
    """(label, code or None when not implemented yet, note)."""
    from azureml_local.facade import SURFACE

    have = [n for n in CORE_NAMES if n in SURFACE.get("azureml.core", {})]
    missing = [n for n in CORE_NAMES if n not in have]
    out: list[tuple[str, str | None, str]] = [("import azureml.core", "import azureml.core", "")]
    out.append(("from azureml.core import <7 common names>", f"from azureml.core import {', '.join(have)}",
                f"not yet in the facade: {', '.join(missing)}" if missing else ""))
    for module in ("azureml.pipeline.core", "azureml.pipeline.steps"):
        ok = module in SURFACE
        out.append((f"import {module}", f"import {module}" if ok else None, "" if ok else "not implemented yet"))
    return out


def _run(code: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        raise RuntimeError(f"`{code}` failed:\n{proc.stderr.strip()}")
    return elapsed


def time_pair(code: str, runs: int) -> tuple[float, float]:
    """Median ms of ``python -c pass`` and of ``code``, runs interleaved so machine load hits both alike."""
    _run(BASELINE), _run(code)  # warm the file cache
    base, case = [], []
    for _ in range(runs):
        base.append(_run(BASELINE))
        case.append(_run(code))
    return statistics.median(base), statistics.median(case)


def heaviest_imports(code: str, top: int = 12) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest imports under ``python -X importtime``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
            rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=15, help="subprocess runs per case (median)")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}; median of {args.runs} interleaved runs against `python -c pass`")
    crashed = False
    for label, code, note in cases():
        if code is None:
            print(f"{label:<45}  skipped ({note})")
            continue
        try:
            base, ms = time_pair(code, args.runs)
        except RuntimeError as exc:
            print(f"{label:<45}  CRASHED\n{exc}")
            crashed = True
            continue
        extra = ms - base
        verdict = "ok" if extra <= TARGET_MS else "MISSED"
        print(f"{label:<45} {ms:7.1f} ms vs {base:6.1f} ms: +{extra:5.1f} ms "
              f"(target <= +{TARGET_MS:.0f} ms: {verdict}){'  [' + note + ']' if note else ''}")
        if extra > TARGET_MS:
            print("    heaviest imports (cumulative, from python -X importtime):")
            for micros, module in heaviest_imports(code):
                print(f"    {micros / 1000:8.1f} ms  {module}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
