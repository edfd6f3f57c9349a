"""The executor of ``DataTransferStep``: a blob copy between two datastores, no process started.

Every datastore kind is a blob container here (``docs/data.md``: blob containers, file shares and
data lakes alike), in the workspace's storage or in the account of a registered connection string.
A copy within one account is a server-side Copy Blob; across accounts the source streams in
chunks into staged blocks (``BlobStore.copy_blob``): nothing is held whole in memory. The Data
Factory named by ``compute_target`` is only a record: the step log says the copy is emulated.

Reference types (the SDK's ``CopyOptions``): a source is a file when a blob has its exact path
(else a directory: every blob below it); a destination is what already exists there, else the
source's type, else a directory. A file copied into a directory keeps its base name. Nothing
half-written: a missing source fails before any write, and a failure part way through a
directory deletes the blobs this step already wrote.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from azureml_local.data import datasets, run_inputs, stores
from azureml_local.jobs import binding
from azureml_local.store.blobs.base import BlobInfo
from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.step import _log
from azureml_local.status import ACTIVE_STATES
from azureml_local.store.runs import error_dict

FILE, DIRECTORY = "file", "directory"


class TransferError(Exception):
    """A copy that cannot be done as asked (message for the step log and the run's error)."""


def run_data_transfer(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                      key: reuse.ReuseKey | None) -> StepResult:
    """Copy the source input to the destination input; the step's output is the destination."""
    ws, name = ctx.ws, step.get("name") or step["node_id"]
    runs = ws._context.runs
    if ctx.cancel.is_set():
        runs.set_status(step_run_id, "Canceled", only_from=ACTIVE_STATES)
        return StepResult(step["node_id"], step_run_id, "Canceled")
    runs.set_status(step_run_id, "Running", start=True, only_from=ACTIVE_STATES)
    params = step.get("params") or {}
    _log(ws, step_run_id, f"DataTransferStep '{name}': emulated locally. No Azure Data Factory runs this copy "
         f"(compute target '{step.get('compute_target')}' is only a record); the blobs are copied between the "
         "datastores' storage (server-side within one account, streamed in chunks across accounts).", link=True)
    try:
        by_name = {i["name"]: i for i in step.get("inputs") or []}
        source = by_name[params["SourceInputName"]]
        dst_ds, dst_path = _location(ctx, by_name[params["DestinationInputName"]])
        log = lambda line: _log(ws, step_run_id, line)  # noqa: E731
        if source.get("kind") == "dataset":
            summary = transfer_dataset(ws, binding.dataset_source(ctx.parameters, source), dst_ds, dst_path, log)
        else:
            src_ds, src_path = _location(ctx, source)
            summary = transfer(ws, src_ds, src_path, dst_ds, dst_path, step.get("copy_options") or {}, log)
    except Exception as exc:
        message = f"DataTransferStep '{name}' failed: {exc}"
        _log(ws, step_run_id, message)
        error = error_dict(message)
        runs.set_status(step_run_id, "Failed", error=error, only_from=ACTIVE_STATES)
        return StepResult(step["node_id"], step_run_id, "Failed", error=error)
    _log(ws, step_run_id, summary)
    out_name = params.get("OutputName") or "_data_transfer_output"
    outputs = {out_name: {"kind": "pipeline_data", "local_path": None, "datastore": dst_ds, "path": dst_path,
                          "tabular": None, "register": None, "mode": "mount", "upload": None,
                          "partition_format": None, "pipeline_output_name": None}}
    ws._context.pipeline_runs.update_step(step_run_id, outputs=outputs)
    if key is not None:
        reuse.record(ws, key, name, step_run_id, ctx.pipeline_run_id, step["node_id"], outputs)
    runs.set_status(step_run_id, "Completed", only_from=ACTIVE_STATES)
    return StepResult(step["node_id"], step_run_id, "Completed", outputs=outputs, key=key)


def _location(ctx: PipelineContext, inp: dict) -> tuple[str, str]:
    """``(datastore name, path)`` an input names (a datastore path, a DataPath parameter, a producer's output)."""
    kind = inp.get("kind")
    if kind == "datastore_path":
        return inp.get("datastore") or stores.default_name(ctx.ws), (inp.get("path") or "").strip("/")
    if kind == "datapath_parameter":
        ds_name, path = run_inputs.resolve_datapath(ctx.parameters.get(inp["parameter"]))
        return ds_name or stores.default_name(ctx.ws), path.strip("/")
    if kind == "step_output":
        producer = ctx.results[inp["producer"]]
        if producer.upload is not None:
            producer.upload.result()  # the producer's data must be in its datastore before it is copied
        out = producer.outputs[inp["output"]]
        return out["datastore"], out["path"].strip("/")
    raise TransferError(f"input '{inp.get('name')}' ({kind}) cannot be copied locally: use a DataReference, "
                        "a DataPath or the output of an earlier step as the source")


def transfer(ws: Any, src_ds: str, src_path: str, dst_ds: str, dst_path: str, options: dict,
             log: Any = lambda line: None) -> str:
    """Copy ``src_ds/src_path`` to ``dst_ds/dst_path`` as the reference types say; returns a summary line."""
    src_store, src_container = stores.container_for(ws, src_ds)
    dst_store, dst_container = stores.container_for(ws, dst_ds)
    src_type = _existing_type(src_store, src_container, src_path)
    wanted = options.get("source_reference_type")
    if src_type is None or (wanted == FILE and src_type != FILE):
        raise TransferError(f"the source {src_ds}/{src_path or '<root>'} does not exist"
                            + (" as a file" if wanted == FILE and src_type else "")
                            + f" (datastore '{src_ds}', container '{src_container}'): nothing was copied.")
    src_type = wanted or src_type
    dst_type = options.get("destination_reference_type") or _existing_type(dst_store, dst_container,
                                                                             dst_path) or src_type
    if src_type == DIRECTORY and dst_type == FILE:
        raise TransferError(f"a directory ({src_ds}/{src_path}) cannot be copied to a file ({dst_ds}/{dst_path}); "
                            "use destination_reference_type='directory'.")
    pairs = _plan(src_store, src_container, src_path, src_type, dst_path, dst_type)
    log(f"Copying {len(pairs)} blob(s) from {src_ds}/{src_path or '<root>'} ({src_type}) to "
        f"{dst_ds}/{dst_path or '<root>'} ({dst_type}).")
    return _copy_all(dst_store, dst_container, [(src_store, src_container, info, name) for info, name in pairs])


def transfer_dataset(ws: Any, dataset: Any, dst_ds: str, dst_path: str, log: Any = lambda line: None) -> str:
    """Copy the files of a FileDataset below ``dst_ds/dst_path`` (their paths relative to the dataset's root)."""
    entry = datasets.entry(ws, dataset)
    if entry["definition"].get("kind") != "file":
        raise TransferError(f"dataset '{entry.get('name') or entry['id']}' is a TabularDataset: only a FileDataset "
                            "(or a DataReference) can be a transfer source.")
    files = datasets.files(ws, entry["definition"])
    if not files:
        raise TransferError(f"dataset '{entry.get('name') or entry['id']}' has no files: nothing was copied.")
    dst_store, dst_container = stores.container_for(ws, dst_ds)
    log(f"Copying the {len(files)} file(s) of dataset '{entry.get('name') or entry['id']}' to "
        f"{dst_ds}/{dst_path or '<root>'}.")
    jobs = []
    for f in files:
        target = f"{dst_path}/{f.rel}".strip("/")
        info = BlobInfo(f.blob or f.rel, f.size, f.etag, None)  # type: ignore[arg-type]
        if f.store is None and not f.local:
            raise TransferError(f"{f.full} is not on a datastore: only datastore files can be transferred.")
        jobs.append((f.store, f.container, info, target) if f.store is not None else (None, f.local, info, target))
    return _copy_all(dst_store, dst_container, jobs)


def _copy_all(dst_store: Any, dst_container: str, jobs: list[tuple[Any, Any, BlobInfo, str]]) -> str:
    """Copy every ``(source store, source container, source info, destination name)``; a local file when the
    source store is None (its path in place of the container). All or nothing: what was written goes on failure."""
    started, done, size = time.perf_counter(), [], 0
    try:
        for src_store, src_container, source, dst_name in jobs:
            if src_store is None:
                info = dst_store.upload_file(dst_container, dst_name, src_container)
            else:
                info = dst_store.copy_blob(dst_container, dst_name, src_store, src_container, source.name,
                                           source_info=source)
            done.append(dst_name)
            size += info.size
    except Exception:
        for written in done:  # nothing half-written: the blobs of an unfinished directory copy go
            dst_store.delete_blob(dst_container, written)
        raise
    seconds = time.perf_counter() - started
    return (f"Copied {len(done)} blob(s), {size} bytes, in {seconds:.3f} s "
            f"({size / max(seconds, 1e-9) / 1e6:.1f} MB/s).")


def _existing_type(store: Any, container: str, path: str) -> str | None:
    if path and store.exists(container, path):
        return FILE
    prefix = path + "/" if path else ""
    return DIRECTORY if next(iter(store.list_blobs(container, prefix)), None) is not None else None


def _plan(store: Any, container: str, src_path: str, src_type: str, dst_path: str,
          dst_type: str) -> list[tuple[Any, str]]:
    """``(source BlobInfo, destination name)`` pairs (the listing's properties spare a request per copy)."""
    if src_type == FILE:
        base = src_path.rsplit("/", 1)[-1]
        info = store.get_info(container, src_path)
        return [(info, f"{dst_path}/{base}".strip("/") if dst_type == DIRECTORY else dst_path)]
    prefix = src_path + "/" if src_path else ""
    return [(b, f"{dst_path}/{b.name[len(prefix):]}".strip("/")) for b in store.list_blobs(container, prefix)]
