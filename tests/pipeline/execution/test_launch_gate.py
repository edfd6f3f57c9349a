"""pipeline/execution/context.LaunchGate: background uploads wait while steps are being started."""
from __future__ import annotations

import threading
import time

from azureml_local.pipeline.execution.context import LaunchGate


def test_an_open_gate_does_not_wait():
    start = time.monotonic()
    assert LaunchGate().wait_open(timeout=5) is True
    assert time.monotonic() - start < 0.5


def test_a_waiter_goes_once_every_holder_released():
    gate, opened = LaunchGate(), []
    gate.hold("a")
    gate.hold("b")
    waiter = threading.Thread(target=lambda: opened.append(gate.wait_open(timeout=10)))
    waiter.start()
    gate.release("a")
    time.sleep(0.1)
    assert opened == []  # "b" still starts
    gate.release("b", "never-held")  # releasing what does not hold it is harmless
    waiter.join(5)
    assert opened == [True]


def test_a_holder_that_never_releases_only_delays_a_waiter_by_the_cap():
    gate = LaunchGate()
    gate.hold("slow-start")
    start = time.monotonic()
    assert gate.wait_open(timeout=0.2) is False
    assert 0.15 < time.monotonic() - start < 2
    gate.release_all()
    assert gate.wait_open(timeout=0) is True
