"""Processes a test run left behind (CLI of :mod:`azureml_local.testing.leftovers`).

    python tools/leftover_processes.py ROOT [--grace SECONDS]

Used by ``.ci/run`` after the tests; the test session's own end check is the pytest plugin's
(``azureml_local/testing/pytest_plugin.py``).
"""
from __future__ import annotations

import sys

from azureml_local.testing.leftovers import main

if __name__ == "__main__":
    sys.exit(main())
