"""processes.py: graceful stop, then for sure; zombies count as gone."""
from __future__ import annotations

import subprocess
import sys
import time

from azureml_local import processes


def test_terminate_stops_a_process_that_exits_on_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = time.monotonic()
    assert processes.terminate(proc.pid, timeout=5)
    assert time.monotonic() - started < 4  # no SIGKILL timeout waited out
    assert not processes.pid_alive(proc.pid)  # and reaped: terminate collects its own children


def test_terminate_kills_a_process_that_ignores_sigterm_and_says_what_that_may_lose(capsys) -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready"
    started = time.monotonic()
    assert processes.terminate(proc.pid, timeout=0.5, kill_warning="killing it: its last writes may be lost")
    assert 0.5 <= time.monotonic() - started < 5
    assert not processes.pid_alive(proc.pid)
    assert capsys.readouterr().err == "killing it: its last writes may be lost\n"


def test_no_warning_when_sigterm_is_enough(capsys) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert processes.terminate(proc.pid, timeout=5, kill_warning="never printed")
    assert capsys.readouterr().err == ""


def test_a_gone_process_is_not_running() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not processes.pid_alive(proc.pid)
    assert processes.terminate(proc.pid) is False
    assert not processes.pid_alive(None)
