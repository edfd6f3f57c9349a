"""DataTransferStep copy of one large blob against a direct azure-storage-blob copy of the same blob,
in the same Azurite, measured in one run.

Two paths, each compared with what a user would write with azure-storage-blob directly:

* ``server``: both datastores in the workspace's account: the step does a server-side Copy Blob;
  the direct copy is ``BlobClient.start_copy_from_url``.
* ``streamed``: the destination datastore is registered with an external connection string (another
  account endpoint, here the same Azurite reached as ``localhost``): the step copies 8 MiB ranges into
  staged blocks (4 workers); the direct copy is ``download_blob().chunks()`` -> ``stage_block`` ->
  ``commit_block_list`` with the same chunk size and 4 parallel block uploads.

For each path it prints the direct copy time, the step's own copy time (from its log line "Copied
... in X s") and the whole pipeline (submit + wait_for_completion, warm service); the ratio is
direct time / step copy time as a throughput ratio (target >= 0.9x). The blob is generated on disk
and deleted at the end (watch ``df -h``). A report, not a test.

    python benchmarks/bench_data_transfer.py [--size-mb 1024] [--mode both|server|streamed] [-n 3]
"""
from __future__ import annotations

import argparse
import base64
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TARGET = 0.9
CHUNK = 8 * 1024 * 1024


def _blob_file(path: Path, size_mb: int) -> None:
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as fh:
        for i in range(size_mb):
            fh.write(block[i % 7:] + block[:i % 7])  # not all-equal blocks, cheap to make


def _direct_server(service, container: str, src_container: str, name: str) -> float:
    target = service.get_blob_client(container, "direct/" + name)
    start = time.perf_counter()
    props = target.start_copy_from_url(service.get_blob_client(src_container, name).url)
    while props.get("copy_status") == "pending":
        time.sleep(0.05)
        props = {"copy_status": target.get_blob_properties().copy.status}
    elapsed = time.perf_counter() - start
    target.delete_blob()
    return elapsed


def _direct_streamed(service, container: str, src_container: str, name: str) -> float:
    from azure.storage.blob import BlobBlock

    target = service.get_blob_client(container, "direct/" + name)
    start = time.perf_counter()
    downloader = service.get_blob_client(src_container, name).download_blob(max_concurrency=4)
    blocks, pending = [], []
    with ThreadPoolExecutor(4) as pool:
        for i, chunk in enumerate(downloader.chunks()):
            block_id = base64.b64encode(f"{i:08d}".encode()).decode()
            blocks.append(BlobBlock(block_id=block_id))
            pending.append(pool.submit(target.stage_block, block_id, chunk, length=len(chunk)))
            if len(pending) >= 8:
                pending.pop(0).result()
        for fut in pending:
            fut.result()
    target.commit_block_list(blocks)
    elapsed = time.perf_counter() - start
    target.delete_blob()
    return elapsed


def _step_copy(ws, pipeline_cls, step_cls, ref_cls, src_store, dst_store, path: str) -> tuple[float, float]:
    """``(copy seconds from the step log, submit+wait seconds)`` of one DataTransferStep run."""
    from azureml_local.engine.execute import STD_LOG, log_paths

    step = step_cls(name="copy", source_data_reference=ref_cls(src_store, "src", path),
                    destination_data_reference=ref_cls(dst_store, "dst", "copied"), compute_target="adf",
                    allow_reuse=False)
    pipeline = pipeline_cls(ws, [step])
    start = time.perf_counter()
    run = pipeline.submit("bench-transfer")
    status = run.wait_for_completion(show_output=False)
    total = time.perf_counter() - start
    child = next(run.get_children())
    log = log_paths(ws, child.id)[STD_LOG].read_text()
    if status != "Finished":
        raise SystemExit(f"pipeline {run.id} ended {status}:\n{log}")
    copied = float(re.search(r"Copied \d+ blob\(s\), \d+ bytes, in ([\d.]+) s", log).group(1))
    return copied, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="blob size in MiB (default 1024 = 1 GiB)")
    parser.add_argument("--mode", choices=["both", "server", "streamed"], default="both")
    parser.add_argument("-n", type=int, default=3, help="measured copies per path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        os.environ["AZUREML_LOCAL_HOME"] = str(Path(tmp) / "home")
        from azure.storage.blob import BlobServiceClient
        from azureml.core import Datastore, Workspace
        from azureml.core.compute import ComputeTarget, DataFactoryCompute
        from azureml.data.data_reference import DataReference
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import DataTransferStep

        from azureml_local.service import control
        from azureml_local.store.azurite_process import DEV_KEY

        ws = Workspace.create("bench-transfer", subscription_id="bench", resource_group="bench", exist_ok=True,
                              show_output=False)
        try:
            account_url = ws._blobs.account_url
            port = re.search(r":(\d+)/", account_url + "/").group(1)
            ComputeTarget.attach(ws, "adf", DataFactoryCompute.attach_configuration(resource_group="rg",
                                                                                   factory_name="f"))
            src = Datastore.register_azure_blob_container(ws, "src", "bench-src", "devstoreaccount1",
                                                          account_key="key", create_if_not_exists=True)
            near = Datastore.register_azure_blob_container(ws, "near", "bench-near", "devstoreaccount1",
                                                           account_key="key", create_if_not_exists=True)
            far = Datastore.register_azure_blob_container(
                ws, "far", "bench-far", "devstoreaccount1", account_key=DEV_KEY, create_if_not_exists=True,
                endpoint=f"http://localhost:{port}/devstoreaccount1")
            conn = (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DEV_KEY};"
                    f"BlobEndpoint={account_url};")
            service = BlobServiceClient.from_connection_string(conn, max_chunk_get_size=CHUNK,
                                                               max_single_get_size=4 * CHUNK)
            from azureml_local.data import stores

            src_store, src_container = stores.container_for(ws, "src")
            near_container = stores.container_for(ws, "near")[1]
            far_store, far_container = stores.container_for(ws, "far")
            blob = Path(tmp) / "blob.bin"
            _blob_file(blob, args.size_mb)
            src_store.upload_file(src_container, "big/blob.bin", blob)
            blob.unlink()
            size = args.size_mb * 1024 * 1024
            Pipeline(ws, [DataTransferStep("warm", DataReference(src, "s", "big"), DataReference(near, "d", "w"),
                                           compute_target="adf")]).submit("warm").wait_for_completion(
                show_output=False)  # the service is up between submits in real use
            print(f"blob: {args.size_mb} MiB in Azurite ({account_url})")
            modes = ["server", "streamed"] if args.mode == "both" else [args.mode]
            for mode in modes:
                dst, container = (near, near_container) if mode == "server" else (far, far_container)
                direct_fn = _direct_server if mode == "server" else _direct_streamed
                direct = [direct_fn(service, container, src_container, "big/blob.bin") for _ in range(args.n)]
                copies, totals = [], []
                for _ in range(args.n):
                    copied, total = _step_copy(ws, Pipeline, DataTransferStep, DataReference, src, dst, "big")
                    copies.append(copied)
                    totals.append(total)
                    (src_store if mode == "server" else far_store).delete_prefix(container, "copied/")
                d, c, t = statistics.median(direct), statistics.median(copies), statistics.median(totals)
                ratio = d / c
                print(f"[{mode}] direct azure-storage-blob copy   median {d * 1000:9.1f} ms "
                      f"({size / d / 1e6:8.1f} MB/s)")
                print(f"[{mode}] DataTransferStep copy (step log) median {c * 1000:9.1f} ms "
                      f"({size / c / 1e6:8.1f} MB/s)")
                print(f"[{mode}] pipeline submit + wait (warm)    median {t * 1000:9.1f} ms")
                print(f"[{mode}] throughput ratio step/direct     {ratio:9.2f}x  (target >= {TARGET}x: "
                      f"{'met' if ratio >= TARGET else 'MISSED'}); whole pipeline / direct: {d / t:.2f}x")
            src_store.delete_prefix(src_container, "big/")
        finally:
            control.stop_workspace_processes(ws)
    return 0


if __name__ == "__main__":
    sys.exit(main())
