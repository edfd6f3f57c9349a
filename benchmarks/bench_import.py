"""Import-time benchmark: what ``import azureml.core`` costs on top of starting Python.

Each case runs N fresh ``python -c`` subprocesses interleaved with ``python -c pass`` (so
background load hits both alike; one unmeasured warm-up each) and reports the medians of
wall time and of CPU time (user+sys of the child, which stays honest on a busy machine).
Target: at most 80 ms more than a bare interpreter, judged on CPU time when the machine is
loaded (load average above the core count), else on wall time.

Children get a bytecode cache in a temporary ``PYTHONPYCACHEPREFIX`` (as after a pip install,
which compiles .pyc files) even when ``PYTHONDONTWRITEBYTECODE`` is set here; ``--no-pyc``
measures compiling every module from source instead.

This is a report, not a test: it exits non-zero only when a case crashes. When a target is
missed, the imports that ``python -X importtime`` charges to the case (not to the bare
interpreter) are listed, so the culprit is named.

    python benchmarks/bench_import.py [-n 15]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 80.0
BASELINE = "pass"
CHILD_ENV = dict(os.environ)
PIPELINE_NAMES = {"azureml.pipeline.core": ["Pipeline", "PipelineData", "PipelineParameter"],
                  "azureml.pipeline.steps": ["PythonScriptStep"]}
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
    # The facade is lazy: what a pipeline notebook pays is resolving the names it uses.
    for module, names in PIPELINE_NAMES.items():
        have = [n for n in names if n in SURFACE.get(module, {})]
        out.append((f"from {module} import " + (names[0] if len(names) == 1 else f"<{len(names)} names>"),
                    f"from {module} import {', '.join(have)}" if have else None,
                    "not implemented yet" if not have else
                    f"not yet in the facade: {', '.join(n for n in names if n not in have)}"
                    if len(have) < len(names) else ""))
    return out


def _run(code: str) -> tuple[float, float]:
    """(wall ms, child CPU ms) of one fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=CHILD_ENV)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"`{code}` failed:\n{proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def time_pair(code: str, runs: int) -> dict[str, float]:
    """Medians (ms) of wall and CPU time for ``python -c pass`` and for ``code``, interleaved."""
    _run(BASELINE), _run(code)  # warm the file cache and .pyc files
    samples: dict[str, list[float]] = {"base_wall": [], "base_cpu": [], "wall": [], "cpu": []}
    for _ in range(runs):
        for prefix, snippet in (("base_", BASELINE), ("", code)):
            wall, cpu = _run(snippet)
            samples[prefix + "wall"].append(wall)
            samples[prefix + "cpu"].append(cpu)
    return {k: statistics.median(v) for k, v in samples.items()}


def _importtime(code: str) -> list[tuple[int, int, int, str]]:
    """(depth, self us, cumulative us, module) rows of ``python -X importtime -c code``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          env=CHILD_ENV)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            own, cumulative, name = line[len("import time:"):].split("|")
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            rows.append((depth, int(own), int(cumulative), name.strip()))
    return rows


def culprits(code: str, top: int = 8, repeat: int = 5) -> tuple[int, list[tuple[int, str]], list[tuple[int, str]]]:
    """Imports the case adds over a bare interpreter, each timed as its best of ``repeat`` runs.

    Returns (how many modules, top-level ones by cumulative us, any module by its own us).
    """
    baseline = {row[3] for row in _importtime(BASELINE)}
    best: dict[str, tuple[int, int, int]] = {}
    for _ in range(repeat):
        for depth, own, cumulative, name in _importtime(code):
            if name not in baseline:
                old = best.get(name, (depth, own, cumulative))
                best[name] = (depth, min(own, old[1]), min(cumulative, old[2]))
    top_level = sorted(((c, m) for m, (d, _, c) in best.items() if d == 0), reverse=True)[:top]
    by_self = sorted(((o, m) for m, (_, o, _) in best.items()), reverse=True)[:top]
    return len(best), top_level, by_self


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=15, help="subprocess runs per case (median)")
    parser.add_argument("--no-pyc", action="store_true", help="no bytecode cache: compile every module")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pyc-") as cache:
        if args.no_pyc:
            CHILD_ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            CHILD_ENV["PYTHONPYCACHEPREFIX"] = cache
        return report(args.runs, "compiled from source (no .pyc)" if args.no_pyc else "with .pyc cache")


def report(runs: int, mode: str) -> int:
    load = os.getloadavg()[0]
    busy = load > (os.cpu_count() or 1)
    judged = "CPU" if busy else "wall"
    print(f"python {sys.version.split()[0]}, {mode}; median of {runs} interleaved runs against `python -c pass`; "
          f"load average {load:.1f} on {os.cpu_count()} cores -> target judged on {judged} time")
    crashed = False
    for label, code, note in cases():
        if code is None:
            print(f"{label:<51} skipped ({note})")
            continue
        try:
            t = time_pair(code, runs)
        except RuntimeError as exc:
            print(f"{label:<51} CRASHED\n{exc}")
            crashed = True
            continue
        extra_wall, extra_cpu = t["wall"] - t["base_wall"], t["cpu"] - t["base_cpu"]
        extra = extra_cpu if busy else extra_wall
        verdict = "ok" if extra <= TARGET_MS else "MISSED"
        print(f"{label:<51} wall {t['wall']:6.1f} vs {t['base_wall']:5.1f} ms (+{extra_wall:5.1f}); "
              f"cpu {t['cpu']:6.1f} vs {t['base_cpu']:5.1f} ms (+{extra_cpu:5.1f}); "
              f"target +{TARGET_MS:.0f} ms: {verdict}{'  [' + note + ']' if note else ''}")
        if extra > TARGET_MS:
            count, top_level, by_self = culprits(code)
            print(f"    {count} modules imported beyond a bare interpreter (ms, best of 5 -X importtime runs)")
            print("    top level (cumulative):     "
                  + ", ".join(f"{m} {us / 1000:.1f}" for us, m in top_level))
            print("    single modules (own time):  "
                  + ", ".join(f"{m} {us / 1000:.1f}" for us, m in by_self))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
