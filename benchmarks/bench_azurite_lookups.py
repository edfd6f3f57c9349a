"""What a small blob upload costs Azurite as a workspace's blob count grows (store/azurite_indexed_lookups.js).

A workspace keeps every run's logs and outputs: a few hundred runs are thousands of blobs. Azurite
found a blob by scanning all of them, so each PUT got slower with every run ever made. This starts
two Azurites on empty folders, one as Azurite ships (the baseline) and one as the workspace starts
it, fills both to the same blob counts and prints, at each count, the median wall time and Azurite's
CPU per 200-byte PUT (the azure SDK client, as the engine uses it). A report, not a test.

    python benchmarks/bench_azurite_lookups.py [--counts 0,2000,10000,20000] [--puts 200]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402

from azureml_local.store import azurite_process  # noqa: E402
from azureml_local.store.blobs.azure import AzureBlobStore  # noqa: E402

CONTAINER = "bench"


def _start(folder: Path, shipped: bool) -> azurite_process.AzuriteInstance:
    """An Azurite on ``folder``: as shipped (no preloads), or as the workspace starts it."""
    command = azurite_process._command
    if shipped:
        azurite_process._command = lambda binary: [shutil.which("node") or "node", str(binary)]
    try:
        return azurite_process.start_azurite(folder / "data", folder / "azurite.log", port=0)
    finally:
        azurite_process._command = command


def _put_cost(store: AzureBlobStore, process: psutil.Process, puts: int, tag: str) -> tuple[float, float]:
    """Median wall ms per PUT, and Azurite's CPU ms per PUT, over ``puts`` uploads."""
    walls = []
    before = process.cpu_times()
    for i in range(puts):
        start = time.perf_counter()
        store.upload_bytes(CONTAINER, f"measure/{tag}/{i}.txt", b"x" * 200)
        walls.append(time.perf_counter() - start)
    after = process.cpu_times()
    cpu = (after.user + after.system) - (before.user + before.system)
    return statistics.median(walls) * 1000, cpu / puts * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="0,2000,10000,20000", help="blob counts to measure at")
    parser.add_argument("--puts", type=int, default=200, help="measured PUTs per count")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.counts.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-azurite-"))
    instances = {}
    try:
        for label, shipped in (("as shipped", True), ("workspace", False)):
            instances[label] = _start(tmp / label.replace(" ", "-"), shipped)
        stores = {label: AzureBlobStore(inst.connection_string) for label, inst in instances.items()}
        processes = {label: psutil.Process(inst.pid) for label, inst in instances.items()}
        for store in stores.values():
            store.create_container(CONTAINER)
        rows = []
        filled = 0
        for count in counts:
            for store in stores.values():
                with ThreadPoolExecutor(8) as pool:
                    list(pool.map(lambda i: store.upload_bytes(CONTAINER, f"fill/{i}.txt", b"y" * 100),
                                  range(filled, count)))
            filled = max(filled, count)
            figures = {label: _put_cost(stores[label], processes[label], args.puts, str(count)) for label in stores}
            rows.append((count, figures))
    finally:
        for inst in instances.values():
            azurite_process.terminate(inst.pid)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Azurite PUT cost by blob count ({args.puts} PUTs of 200 bytes each; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for count, figures in rows:
        (wall_b, cpu_b), (wall_w, cpu_w) = figures["as shipped"], figures["workspace"]
        print(f"  {count:>6} blobs   as shipped: {wall_b:6.2f} ms wall, {cpu_b:6.2f} ms Azurite CPU   "
              f"workspace: {wall_w:6.2f} ms wall, {cpu_w:6.2f} ms Azurite CPU   CPU ratio {cpu_b / cpu_w:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
