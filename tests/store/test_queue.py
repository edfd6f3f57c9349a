"""QueueStore: the claim (oldest first, stamped with the claiming pid), counts, what a service runs."""
from __future__ import annotations

import os

from azureml_local.store.runs import new_run_id


def _queued(ws, n: int) -> list[str]:
    return [ws._context.runs.create_run("q", new_run_id(), status="Queued", enqueue_handler="") for _ in range(n)]


def test_claim_takes_the_oldest_first_up_to_the_limit_and_stamps_the_runner(ws) -> None:
    queue = ws._context.queue
    run_ids = _queued(ws, 3)
    claimed = queue.claim(4242, limit=2)
    assert [row["run_id"] for row in claimed] == run_ids[:2]
    assert [row["handler"] for row in claimed] == [None, None]
    assert [ws._context.runs.run(r)["runner_pid"] for r in run_ids] == [4242, 4242, None]
    assert queue.queued_count() == 1 and ws._context.runs.is_queued(run_ids[2])
    assert [row["run_id"] for row in queue.claim(4243)] == run_ids[2:]
    assert queue.claim(4243) == [] and not queue.has_queued()


def test_a_queue_rows_handler_string_comes_with_the_claim(ws) -> None:
    run_id = ws._context.runs.create_run("q", new_run_id(), run_type="x.Y", status="Queued",
                                         enqueue_handler="pkg.mod:handle")
    assert [tuple(row) for row in ws._context.queue.claim(1)] == [(run_id, "pkg.mod:handle")]


def test_active_runs_of_a_runner_and_the_not_yet_launched(ws) -> None:
    queue = ws._context.queue
    first, second, done = _queued(ws, 3)
    queue.claim(os.getpid())
    ws._context.runs.set_status(first, "Running", pid=99999)
    ws._context.runs.set_status(done, "Completed")
    assert queue.active_count(os.getpid()) == 2
    assert {(row["run_id"], row["pid"]) for row in queue.active_for_runner(os.getpid())} == {(first, 99999),
                                                                                            (second, None)}
    assert queue.active_count(1) == 0
    assert queue.unlaunched([first, second, done]) == 1
    assert queue.unlaunched([]) == 0


def _claimer(path, url, schema, out) -> None:
    from azureml_local.store.db import Database
    from azureml_local.store.queue import QueueStore

    queue = QueueStore(Database(path, url=url, schema=schema))
    claimed = []
    while batch := queue.claim(os.getpid(), limit=3):
        claimed += [row["run_id"] for row in batch]
    out.put(claimed)


def test_concurrent_services_never_claim_a_run_twice(make_db) -> None:
    """Four processes (services on four machines) drain one queue: each run is claimed exactly once."""
    import multiprocessing

    from azureml_local.store.runs import RunStore

    db = make_db()
    runs = RunStore(db)
    run_ids = [runs.create_run("q", new_run_id(), status="Queued", enqueue_handler="") for _ in range(120)]
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    procs = [spawn.Process(target=_claimer, args=(db.path, db.url, db.schema, out)) for _ in range(4)]
    for p in procs:
        p.start()
    claimed = [run_id for _ in procs for run_id in out.get(timeout=180)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sorted(claimed) == sorted(run_ids)  # none twice, none lost
    assert {runs.run(r)["runner_pid"] for r in run_ids} <= {p.pid for p in procs}
