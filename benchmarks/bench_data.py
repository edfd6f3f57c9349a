"""Data benchmark: Datastore.upload and to_pandas_dataframe against direct baselines, in one run.

Prints, all measured in this run on the same Azurite (started here on disk, stopped at the end):

Each transfer is timed best-of-2 (so connection warm-up does not favour either side).

* ``Datastore.upload`` of N small files (default 2,000 x 4 KB) vs the same transfer with
  azure-storage-blob directly (a thread pool of ``upload_blob`` calls). Target: >= 0.9x throughput.
* ``Datastore.upload_files`` of one large file (default 200 MB) vs ``BlobClient.upload_blob``
  with ``max_concurrency=8``. Target: >= 0.9x throughput.
* ``TabularDataset.to_pandas_dataframe`` of a CSV (default 100 MB) vs ``pandas.read_csv`` of a
  local copy: cold (first call: download into the etag cache + parse) and warm (cached).
  Target (warm): <= 1.3x the time.

    python benchmarks/bench_data.py [--files 2000] [--file-kb 4] [--big-mb 200] [--csv-mb 100] [--folder]

``--folder`` measures the plain-folder backend instead (no direct baseline for uploads).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(fn, repeat: int = 1) -> float:
    """Best of ``repeat`` wall times (the first call also warms connections)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _make_small(folder: Path, n: int, size: int) -> None:
    for i in range(n):
        sub = folder / f"d{i % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i:05d}.bin").write_bytes(os.urandom(size))


def _make_csv(path: Path, mb: int) -> None:
    import numpy as np
    import pandas as pd

    rows = int(mb * 1e6 / 37)
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"id": np.arange(rows), "a": rng.random(rows), "b": rng.integers(0, 1000, rows),
                       "c": rng.choice(["alpha", "beta", "gamma"], rows)})
    df.to_csv(path, index=False)


def _direct_small(conn: str, folder: Path, container: str) -> None:
    from azure.storage.blob import BlobServiceClient

    from azureml_local.store.blobs.azure import AZURITE_API_VERSION

    svc = BlobServiceClient.from_connection_string(conn, api_version=AZURITE_API_VERSION)
    cc = svc.get_container_client(container)
    if not cc.exists():
        cc.create_container()
    files = [p for p in folder.rglob("*") if p.is_file()]

    def up(p: Path) -> None:
        with open(p, "rb") as fh:
            cc.upload_blob(p.relative_to(folder).as_posix(), fh, overwrite=True)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(up, files))


def _direct_big(conn: str, path: Path, container: str) -> None:
    from azure.storage.blob import BlobServiceClient

    from azureml_local.store.blobs.azure import AZURITE_API_VERSION

    svc = BlobServiceClient.from_connection_string(conn, api_version=AZURITE_API_VERSION)
    cc = svc.get_container_client(container)
    if not cc.exists():
        cc.create_container()
    with open(path, "rb") as fh:
        cc.upload_blob(path.name, fh, overwrite=True, max_concurrency=8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--file-kb", type=int, default=4)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--csv-mb", type=int, default=100)
    parser.add_argument("--folder", action="store_true", help="measure the plain-folder backend")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-data-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    inst = None
    conn = None
    if args.folder:
        os.environ.pop("AZUREML_LOCAL_STORAGE_CONNECTION_STRING", None)
        os.environ["AZUREML_LOCAL_STORAGE"] = "folder"
    else:
        from azureml_local.store.azurite import start_azurite, terminate

        (tmp / "azurite").mkdir()
        inst = start_azurite(tmp / "azurite", tmp / "azurite.log")
        conn = inst.connection_string
        os.environ["AZUREML_LOCAL_STORAGE_CONNECTION_STRING"] = conn
    results: dict[str, float] = {}
    try:
        from azureml.core import Dataset, Workspace

        ws = Workspace.create("benchws", subscription_id="bench", resource_group="bench")
        store = ws.get_default_datastore()
        print(f"backend: {ws._blobs.kind}; CPUs: {os.cpu_count()}")

        small = tmp / "small"
        _make_small(small, args.files, args.file_kb * 1024)
        total_small = args.files * args.file_kb * 1024
        t_ours = _timed(lambda: store.upload(str(small), target_path="small", overwrite=True, show_progress=False),
                        repeat=2)
        line = f"upload {args.files} x {args.file_kb} KB: Datastore.upload {t_ours:.2f}s " \
               f"({args.files / t_ours:.0f} files/s, {total_small / t_ours / 1e6:.1f} MB/s)"
        if conn:
            t_direct = _timed(lambda: _direct_small(conn, small, "bench-direct-small"), repeat=2)
            results["small_ratio"] = t_direct / t_ours
            line += f"; direct azure-storage-blob {t_direct:.2f}s; throughput ratio {results['small_ratio']:.2f}x " \
                    "(target >= 0.9x)"
        print(line)

        big = tmp / "big.bin"
        with open(big, "wb") as fh:
            for _ in range(args.big_mb):
                fh.write(os.urandom(1 << 20))
        size = big.stat().st_size
        t_ours = _timed(lambda: store.upload_files([str(big)], target_path="big", overwrite=True,
                                                   show_progress=False), repeat=2)
        line = f"upload 1 x {args.big_mb} MB: Datastore.upload_files {t_ours:.2f}s ({size / t_ours / 1e6:.0f} MB/s)"
        if conn:
            t_direct = _timed(lambda: _direct_big(conn, big, "bench-direct-big"), repeat=2)
            results["big_ratio"] = t_direct / t_ours
            line += f"; direct upload_blob {t_direct:.2f}s; throughput ratio {results['big_ratio']:.2f}x " \
                    "(target >= 0.9x)"
        print(line)
        big.unlink()

        import pandas as pd

        csv = tmp / "table.csv"
        _make_csv(csv, args.csv_mb)
        store.upload_files([str(csv)], target_path="csv", overwrite=True, show_progress=False)
        local_copy = tmp / "copy.csv"
        shutil.copyfile(csv, local_copy)
        ds = Dataset.Tabular.from_delimited_files((store, "csv/table.csv"), validate=False)
        t_cold = _timed(lambda: ds.to_pandas_dataframe())
        t_warm = min(_timed(lambda: ds.to_pandas_dataframe()) for _ in range(2))
        t_pandas = min(_timed(lambda: pd.read_csv(local_copy)) for _ in range(2))
        results["csv_ratio"] = t_warm / t_pandas
        print(f"to_pandas_dataframe {csv.stat().st_size / 1e6:.0f} MB CSV: cold {t_cold:.2f}s (download + parse), "
              f"warm {t_warm:.2f}s; pandas.read_csv local copy {t_pandas:.2f}s; time ratio (warm) "
              f"{results['csv_ratio']:.2f}x (target <= 1.3x)")
        print(json.dumps({k: round(v, 3) for k, v in results.items()}))
    finally:
        if inst is not None:
            terminate(inst.pid)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
