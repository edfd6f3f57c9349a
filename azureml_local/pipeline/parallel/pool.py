"""A pool of warm worker processes (``multiprocessing``, spawn) with a per-call timeout.

``node_count x process_count_per_node`` workers start once and stay warm: each runs ``init()`` once,
then gets mini batches one at a time over its own pipe. A ``run()`` that does not return within
``run_invocation_timeout`` seconds has its process killed; a new process takes its slot (running
``init()`` again) and the mini batch is tried again while ``run_max_try`` allows. A worker that dies
counts the same way. ``init()`` raising fails the whole pool (:class:`InitFailed`).
"""
from __future__ import annotations

import multiprocessing
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable

from azureml_local.pipeline.parallel import worker as worker_module
from azureml_local.pipeline.parallel.batching import MiniBatch
from azureml_local.pipeline.parallel.logs import LogLayout

_SPAWN = multiprocessing.get_context("spawn")
_STOP_GRACE = 5.0


class InitFailed(RuntimeError):
    """``init()`` (or loading the entry script) raised in a worker."""


@dataclass
class Outcome:
    """The final word on one mini batch (after its tries)."""

    batch: MiniBatch
    items: int = 0
    lines: list[str] | None = None
    error: str | None = None
    tries: int = 1
    run_seconds: float = 0.0
    round_trip: float = 0.0


@dataclass
class _Slot:
    node: int
    number: int
    process: Any = None
    conn: Any = None
    ready: bool = False
    task: tuple[MiniBatch, int] | None = None     # (batch, try number)
    sent_at: float = 0.0
    restarts: int = field(default=0)

    @property
    def name(self) -> str:
        return "process%03d" % self.number


class WorkerPool:
    """Start with :meth:`start`, feed with :meth:`run`, always :meth:`close`."""

    def __init__(self, base_config: dict, nodes: int, per_node: int, logs: LogLayout, timeout: float,
                 max_tries: int, say: Callable[[str], None]):
        self._base, self._logs, self._timeout, self._max_tries, self._say = base_config, logs, timeout, max_tries, say
        self._slots = [_Slot(node, number) for node in range(nodes) for number in range(per_node)]

    @property
    def size(self) -> int:
        return len(self._slots)

    def start(self) -> None:
        for slot in self._slots:
            self._spawn(slot)

    def _spawn(self, slot: _Slot) -> None:
        config = dict(self._base, name=slot.name, **self._logs.worker_files(slot.node, slot.name))
        parent, child = _SPAWN.Pipe()
        slot.process = _SPAWN.Process(target=worker_module.serve, args=(child, config), daemon=True,
                                      name=f"prs-node{slot.node}-{slot.name}")
        slot.process.start()
        child.close()
        slot.conn, slot.ready, slot.task = parent, False, None

    def run(self, batches: list[MiniBatch], on_outcome: Callable[[Outcome], bool]) -> None:
        """Run every batch; ``on_outcome`` gets each final outcome and returns False to stop early."""
        queue: deque[tuple[MiniBatch, int]] = deque((b, 1) for b in batches)
        pending = len(batches)
        while pending:
            for slot in self._slots:
                if slot.ready and slot.task is None and queue:
                    self._send(slot, queue.popleft())
            busy = [s.conn for s in self._slots if s.conn is not None]
            for conn in wait(busy, timeout=self._wait_time()):
                slot = next(s for s in self._slots if s.conn is conn)
                outcome = self._receive(slot, queue)
                if outcome is not None:
                    pending -= 1
                    if not on_outcome(outcome):
                        return
            for slot in self._slots:
                if slot.task is not None and time.monotonic() - slot.sent_at > self._timeout:
                    outcome = self._retire(slot, queue, f"run() did not return within run_invocation_timeout="
                                                        f"{self._timeout:g} seconds; its process was killed")
                    if outcome is not None:
                        pending -= 1
                        if not on_outcome(outcome):
                            return

    def _wait_time(self) -> float | None:
        started = [s.sent_at for s in self._slots if s.task is not None]
        if not started:
            return 1.0
        return max(0.0, min(started) + self._timeout - time.monotonic()) + 0.01

    def _send(self, slot: _Slot, task: tuple[MiniBatch, int]) -> None:
        batch = task[0]
        slot.task, slot.sent_at = task, time.monotonic()
        slot.conn.send((batch.index, batch.data, batch.partition_key_value, batch.dataset))

    def _receive(self, slot: _Slot, queue: deque) -> Outcome | None:
        try:
            message = slot.conn.recv()
        except (EOFError, OSError):
            slot.process.join(1)
            if not slot.ready:
                raise InitFailed(f"the worker process {slot.name} of node {slot.node} exited with code "
                                 f"{slot.process.exitcode} before init() completed; see "
                                 f"{self._logs.worker_files(slot.node, slot.name)['stderr']}") from None
            return self._retire(slot, queue, f"the worker process {slot.name} exited with code "
                                             f"{slot.process.exitcode} while running this mini batch")
        if message[0] == "ready":
            slot.ready = True
            return None
        if message[0] == "init_failed":
            raise InitFailed(f"init() of the entry script failed in worker {slot.name} of node {slot.node}:\n"
                             f"{message[1]}")
        _, index, items, lines, error, run_seconds = message
        batch, tries = slot.task  # type: ignore[misc]
        round_trip = time.monotonic() - slot.sent_at
        slot.task = None
        if error is not None:
            self._logs.record_error(slot.node, slot.name, f"mini batch {index}, try {tries}:\n{error}")
        if error is not None and tries < self._max_tries:
            self._say(f"mini batch {index} failed (try {tries} of {self._max_tries}), trying again: "
                      f"{error.strip().splitlines()[-1]}")
            queue.appendleft((batch, tries + 1))
            return None
        return Outcome(batch, items, lines, error, tries, run_seconds, round_trip)

    def _retire(self, slot: _Slot, queue: deque, reason: str) -> Outcome | None:
        """Kill ``slot``'s process, start a new one in its place; retry or fail its mini batch."""
        task = slot.task
        if task is not None:
            self._logs.record_error(slot.node, slot.name, f"mini batch {task[0].index}, try {task[1]}: {reason}")
        _kill(slot.process)
        slot.conn.close()
        slot.restarts += 1
        self._say(f"{reason}; starting a new worker process in its place")
        self._spawn(slot)
        if task is None:
            return None
        batch, tries = task
        if tries < self._max_tries:
            self._say(f"mini batch {batch.index}: try {tries} of {self._max_tries} failed, trying again")
            queue.appendleft((batch, tries + 1))
            return None
        return Outcome(batch, 0, None, f"{reason} (try {tries} of {self._max_tries}).", tries)

    def close(self) -> None:
        """Ask every worker to stop (each calls the entry script's ``shutdown()`` if it has one), then reap."""
        for slot in self._slots:
            if slot.conn is not None:
                try:
                    if slot.task is None:
                        slot.conn.send(None)
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + _STOP_GRACE
        for slot in self._slots:
            if slot.process is None:
                continue
            if slot.task is not None:
                _kill(slot.process)
            else:
                slot.process.join(max(0.0, deadline - time.monotonic()))
                if slot.process.is_alive():
                    _kill(slot.process)
            if slot.conn is not None:
                slot.conn.close()
            slot.conn = None


def _kill(process: Any) -> None:
    if process.is_alive():
        process.kill()
    process.join(5)
