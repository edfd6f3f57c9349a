"""Processes a test run left behind: workspace services and Azurite instances started under a folder.

    python tools/leftover_processes.py ROOT [--grace SECONDS]     (or python -m azureml_local.testing.leftovers)

A process counts when it is an ``azureml_local.service``, a deployed model's scoring process
(``azureml_local.webservice.server``) or an ``azurite-blob`` and ROOT
appears in its command line (workspace folder, ``--location``) or is its working folder.
Prints them and exits 1 when any is still alive after ``--grace`` seconds (processes told
to stop at the end of the run get that long to go). Used by ``.ci/run`` after the tests and
by the pytest plugin's end-of-session check (:func:`stop_and_report`).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psutil

from azureml_local.processes import terminate


def _kind(cmdline: list[str]) -> str | None:
    if "-m" in cmdline and "azureml_local.service" in cmdline:
        return "azureml_local.service"
    if "-m" in cmdline and "azureml_local.webservice.server" in cmdline:
        return "azureml_local.webservice.server"  # a deployed model's scoring process
    if "--blobHost" in cmdline and any("azurite" in arg for arg in cmdline):
        return "azurite-blob"
    return None


def leftovers(root: "str | Path") -> list[tuple[int, str, str]]:
    """``(pid, kind, command line)`` of the live services and Azurite instances started under ``root``."""
    base = str(Path(root).resolve())
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
        cmdline = proc.info["cmdline"] or []
        kind = _kind(cmdline)
        if kind is None or proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        places = [*cmdline, proc.info["cwd"] or ""]
        if any(place == base or place.startswith(base + "/") for place in places):
            found.append((proc.pid, kind, " ".join(cmdline)))
    return found


def wait_for_none(root: "str | Path", grace: float) -> list[tuple[int, str, str]]:
    """What is still alive under ``root`` after up to ``grace`` seconds."""
    deadline = time.monotonic() + grace
    found = leftovers(root)
    while found and time.monotonic() < deadline:
        time.sleep(0.1)
        found = leftovers(root)
    return found


def stop_and_report(root: "str | Path", grace: float = 5.0) -> str | None:
    """Stop what is still alive under ``root`` after ``grace`` s; the failure message naming it (None: nothing)."""
    found = wait_for_none(root, grace)
    if not found:
        return None
    for pid, _, _ in found:
        terminate(pid, timeout=5)
    listing = "\n".join(f"  pid {pid} [{kind}] {cmdline}" for pid, kind, cmdline in found)
    return f"The tests left {len(found)} process(es) running under {root}:\n{listing}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root")
    parser.add_argument("--grace", type=float, default=5.0)
    args = parser.parse_args(argv)
    found = wait_for_none(args.root, args.grace)
    if not found:
        print(f"no azureml_local.service or azurite-blob process left under {args.root}")
        return 0
    print(f"LEFTOVER PROCESSES: {len(found)} process(es) started under {args.root} are still alive "
          "after the tests:", file=sys.stderr)
    for pid, kind, cmdline in found:
        print(f"  pid {pid} [{kind}] {cmdline}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
