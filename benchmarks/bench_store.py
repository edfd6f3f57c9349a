"""The run history store on SQLite against PostgreSQL, in one run (docs/store.md).

Per backend: 1,000 ``RunStore.create_run`` calls (each its own writer transaction: experiment
lookup, run number, insert, tags), 1,000 ``log_metric`` calls, then ``list_runs`` of the
experiment and ``metrics`` of one run. PostgreSQL is a private cluster started from the OS's
binaries on loopback with ``fsync=off`` (as the tests run it; a team server with durable commits
and a network hop is slower per write), SQLite is a WAL file with ``synchronous=NORMAL``.
A report, not a test.

    python benchmarks/bench_store.py [-n 1000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from azureml_local.store.db import Database
from azureml_local.store.postgres_testing import PostgresServer
from azureml_local.store.runs import RunStore, new_run_id


def measure(db: Database, n: int) -> dict[str, float]:
    runs = RunStore(db)
    runs.get_or_create_experiment("bench")  # migrations and the experiment out of the timing
    start = time.perf_counter()
    ids = [runs.create_run("bench", new_run_id(), status="Running", tags={"i": str(i)}) for i in range(n)]
    inserts = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(n):
        runs.log_metric(ids[0], "loss", "scalar", str(1.0 / (i + 1)), None)
    metrics = time.perf_counter() - start
    start = time.perf_counter()
    listed = runs.list_runs()
    values = runs.metrics(ids[0])
    reads = time.perf_counter() - start
    assert len(listed) == n and len(values) == n
    return {"inserts": inserts, "metrics": metrics, "reads": reads}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    n = parser.parse_args().n
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "store.db")
        results["sqlite"] = measure(db, n)
        db.close()
    server = PostgresServer().start()
    try:
        db = Database(Path("unused"), url=server.url, schema="bench")
        results["postgresql"] = measure(db, n)
        db.close()
    finally:
        server.stop()
    print(f"{'backend':<12}{'create_run x' + str(n):>20}{'log_metric x' + str(n):>20}{'list+metrics':>16}")
    for name, r in results.items():
        print(f"{name:<12}{r['inserts']:>12.2f} s ({1000 * r['inserts'] / n:.2f} ms)"
              f"{r['metrics']:>9.2f} s ({1000 * r['metrics'] / n:.2f} ms){1000 * r['reads']:>12.1f} ms")
    ratio = results["postgresql"]["inserts"] / results["sqlite"]["inserts"]
    print(f"PostgreSQL / SQLite, create_run: {ratio:.2f}x")


if __name__ == "__main__":
    main()
