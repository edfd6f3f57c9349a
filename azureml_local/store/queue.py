"""The run queue as the workspace service sees it: claim, counts, what a service still runs.

Submitters insert ``run_queue`` rows in the same transaction that creates the run
(``RunStore.create_run``); the service claims them here. A claim is one writer
transaction (select the oldest rows, delete them) that also stamps the claiming process on the run
(``runs.runner_pid``), so two services can never both execute a run, and a run whose
service died is recognisable (orphan recovery).
"""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from azureml_local import status

if TYPE_CHECKING:
    from azureml_local.store.db import Database

ACTIVE_STATES = status.ACTIVE_STATES
_ACTIVE_IN = ",".join("?" * len(ACTIVE_STATES))


class QueueStore:
    """SQL of the run queue and of the runs a service executes."""

    def __init__(self, db: "Database"):
        self.db = db

    def claim(self, runner_pid: int, limit: int = 16) -> list[sqlite3.Row]:
        """Take up to ``limit`` queued runs (oldest first) for ``runner_pid``: rows of (run_id, handler)."""
        with self.db.transaction() as conn:
            # select then delete, inside the writers' lock: RETURNING's row order is not the subquery's
            # on PostgreSQL, and "oldest first" must hold on both backends
            claimed = conn.execute("SELECT run_id, handler FROM run_queue ORDER BY enqueued, rowid LIMIT ?",
                                   (limit,)).fetchall()
            if claimed:
                conn.execute(f"DELETE FROM run_queue WHERE run_id IN ({','.join('?' * len(claimed))})",
                             [row["run_id"] for row in claimed])
            conn.executemany("UPDATE runs SET runner_pid=? WHERE run_id=?",
                             [(runner_pid, row["run_id"]) for row in claimed])
        return claimed

    def has_queued(self) -> bool:
        return self.db.query_one("SELECT 1 FROM run_queue LIMIT 1") is not None

    def queued_count(self) -> int:
        return self.db.query_one("SELECT COUNT(*) FROM run_queue")[0]

    def active_count(self, runner_pid: int) -> int:
        """Runs ``runner_pid`` claimed that have not ended yet."""
        return self.db.query_one(f"SELECT COUNT(*) FROM runs WHERE runner_pid=? AND status IN ({_ACTIVE_IN})",
                                 (runner_pid, *ACTIVE_STATES))[0]

    def active_for_runner(self, runner_pid: int) -> list[sqlite3.Row]:
        """(run_id, pid) of the runs ``runner_pid`` still executes (what a stopping service must fail)."""
        return self.db.query(f"SELECT run_id, pid FROM runs WHERE runner_pid=? AND status IN ({_ACTIVE_IN})",
                             (runner_pid, *ACTIVE_STATES))

    def unlaunched(self, run_ids: list[str]) -> int:
        """How many of ``run_ids`` are still active without a process yet (start-up ordering)."""
        if not run_ids:
            return 0
        marks = ",".join("?" * len(run_ids))
        return self.db.query_one(f"SELECT COUNT(*) FROM runs WHERE run_id IN ({marks}) AND pid IS NULL "
                                 f"AND status IN ({_ACTIVE_IN})", (*run_ids, *ACTIVE_STATES))[0]
