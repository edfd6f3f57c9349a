"""Run a Jupyter notebook's code cells, unmodified, against azureml-local (no Jupyter needed).

    python samples/notebooks/run_notebook.py path/to/notebook.ipynb [--stop-at TEXT] [--keep-going]

Cells run in order in one namespace, in the notebook's folder (where its companion
scripts live), as a kernel would run them. ``%%writefile`` cells write their file;
other IPython magics (``%...``, ``!...``) are skipped and reported. ``--stop-at``
ends the run before the first cell containing TEXT (e.g. the publish section when
only the pipeline part is of interest). After the last cell, every run object the
notebook left running is waited for, so a notebook that only submits still reports
its outcome. Exit status 0 when every executed cell passed and every run Finished.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path


def code_cells(notebook: Path) -> list[str]:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in data.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append("".join(source) if isinstance(source, list) else source)
    return cells


def run_cell(source: str, namespace: dict) -> str:
    """Execute one cell; returns a note about skipped magics ('' when none)."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%writefile"):
        parts = lines[0].split()
        target = Path(parts[-1])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
        return f"wrote {target}"
    skipped = [ln for ln in lines if ln.lstrip().startswith(("%", "!"))]
    code = "\n".join("pass  # " + ln if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
    exec(compile(code, "<cell>", "exec"), namespace)
    return f"skipped magics: {skipped}" if skipped else ""


def wait_for_runs(namespace: dict) -> list[tuple[str, str]]:
    """``(variable, final status)`` for every run object left in the namespace."""
    results = []
    for name, value in list(namespace.items()):
        if name.startswith("_") or not hasattr(value, "wait_for_completion") or not hasattr(value, "get_status"):
            continue
        if type(value).__name__ not in ("PipelineRun", "Run", "ScriptRun", "StepRun"):
            continue
        try:
            status = value.wait_for_completion(show_output=False)
        except Exception as exc:  # a failed run raises: report it
            status = f"Failed ({type(exc).__name__})"
        results.append((name, status if isinstance(status, str) else value.get_status()))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--stop-at", default=None, help="stop before the first cell containing this text")
    parser.add_argument("--keep-going", action="store_true", help="run the remaining cells after a failure")
    args = parser.parse_args()
    notebook = args.notebook.resolve()
    os.chdir(notebook.parent)
    sys.path.insert(0, str(notebook.parent))
    namespace: dict = {"__name__": "__main__"}
    failures = 0
    for number, source in enumerate(code_cells(notebook), start=1):
        if args.stop_at and args.stop_at in source:
            print(f"[cell {number}] stop: contains {args.stop_at!r}")
            break
        started = time.perf_counter()
        try:
            note = run_cell(source, namespace)
        except Exception:
            failures += 1
            print(f"[cell {number}] FAILED after {time.perf_counter() - started:.2f}s\n{source}\n"
                  f"{traceback.format_exc()}")
            if not args.keep_going:
                break
            continue
        print(f"[cell {number}] ok {time.perf_counter() - started:.2f}s {note}".rstrip())
    runs = wait_for_runs(namespace)
    for name, status in runs:
        print(f"[run] {name}: {status}")
    ok = failures == 0 and all(status == "Finished" for _, status in runs)
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
