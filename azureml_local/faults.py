"""Fault-injection pause points: used only by the fault tests (``tests/faults/test_phase_points.py``).

Killing a process "while it uploads" by timing is flaky. Instead the code calls
``pause_point("run.upload")`` at each phase; when ``AZUREML_LOCAL_FAULT_PAUSE`` names that point,
the process writes the file named by ``AZUREML_LOCAL_FAULT_MARKER`` (its pid) and waits while that
file exists, so a test can SIGKILL it exactly there (or delete the file to let it go on).
Otherwise a call costs one lookup in ``os.environ``.
The workspace service inherits both variables from the client that starts it (``AZUREML_LOCAL*``).
"""
from __future__ import annotations

import os
import time

PAUSE_ENV = "AZUREML_LOCAL_FAULT_PAUSE"
MARKER_ENV = "AZUREML_LOCAL_FAULT_MARKER"
PAUSE_SECONDS = 600.0  # long enough for any test to kill the process; never forever

# the points placed in the code (a test names one; a step's point may be scoped to a step: ``name:step``)
POINTS = ("run.queued", "run.claimed", "run.snapshot", "run.upload", "run.finalize",
          "step.snapshot", "step.upload", "step.publish", "pipeline.finalize")


def pause_point(name: str, scope: str | None = None) -> None:
    """Pause here when a test asked for point ``name``, or ``name:scope`` (e.g. ``step.publish:prep``:
    only that step), see the module docstring; else return at once."""
    wanted = os.environ.get(PAUSE_ENV)
    if wanted is None or (wanted != name and wanted != f"{name}:{scope}"):
        return
    marker = os.environ.get(MARKER_ENV)
    if not marker:
        time.sleep(PAUSE_SECONDS)
        return
    with open(marker + ".tmp", "w") as fh:  # whole or absent: the test reads the pid at once
        fh.write(str(os.getpid()))
    os.replace(marker + ".tmp", marker)
    deadline = time.monotonic() + PAUSE_SECONDS
    while os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
