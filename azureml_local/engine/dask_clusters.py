"""Which compute targets are backed by a Dask cluster, and the client of each (docs/dask.md).

A target is Dask-backed when, in the process executing its jobs (the workspace service):

1. ``AZUREML_LOCAL_DASK_<TARGET>`` is set (target name upper-cased, other characters ``_``), or
2. its compute record has the tag ``azureml-local-dask`` (e.g.
   ``AmlCompute.provisioning_configuration(max_nodes=2, tags={"azureml-local-dask": "tcp://host:8786"})``).

The value is a scheduler address (``tcp://host:port``), or ``dask://local`` for a
``distributed.LocalCluster`` started in this process for that target (its worker count is the
target's ``max_nodes``; it is closed when the process exits). ``max_nodes`` of the target's record
also caps the jobs this process runs on it at once. Dask itself is imported only here, only for a
Dask-backed target (``pip install azureml-local[dask]``).
"""
from __future__ import annotations

import atexit
import os
import re
import threading
from typing import Any

from azureml_local.engine.dask_launcher import DaskLauncher
from azureml_local.exceptions import UserErrorException
from azureml_local.store.blobs.shared import CONNECTION_STRING_ENV

ENV_PREFIX = "AZUREML_LOCAL_DASK_"
TAG = "azureml-local-dask"
LOCAL_CLUSTER = "dask://local"
_lock = threading.Lock()
_clients: dict[tuple[str, int], Any] = {}
_clusters: dict[tuple[str, int], Any] = {}
_slots: dict[tuple[str, str], threading.Semaphore] = {}


def env_name(target: str) -> str:
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", target).upper()


def _record(ctx: Any, target: str) -> dict | None:
    return ctx.cached("computes", ("record", target), lambda: ctx.registries.computes.get(target))


def scheduler_address(ctx: Any, target: str | None) -> str | None:
    """The Dask scheduler (or ``dask://local``) behind ``target``; ``None`` for a local target."""
    if not target or target == "local":
        return None
    value = os.environ.get(env_name(target), "").strip()
    if value:
        return value
    record = _record(ctx, target)
    return ((record or {}).get("tags") or {}).get(TAG) or None


def max_nodes(ctx: Any, target: str) -> int | None:
    record = _record(ctx, target) or {}
    scale = ((record.get("properties") or {}).get("properties") or {}).get("scaleSettings") or {}
    value = scale.get("maxNodeCount")
    return max(1, int(value)) if value else None


def launcher_for(ws: Any, target: str | None) -> Any:
    """A :class:`~azureml_local.engine.dask_launcher.DaskLauncher` for a Dask-backed target, else ``None``."""
    address = scheduler_address(ws._context, target)
    if address is None:
        return None
    nodes = max_nodes(ws._context, target)
    client = _client(address, target, nodes)
    with _lock:
        slot = _slots.setdefault((address, target), threading.BoundedSemaphore(nodes or 1 << 16))
    return DaskLauncher(ws, client, connection_string(ws._context.blobs), slot)


def connection_string(blobs: Any) -> str:
    """How a worker reaches the workspace's blob store; the folder backend has none (refused)."""
    conn = os.environ.get(CONNECTION_STRING_ENV, "").strip()
    if conn:
        return conn
    current = getattr(blobs, "_current", blobs)
    conn = getattr(current, "connection_string", None)
    if not conn:
        raise UserErrorException(
            f"A Dask-backed compute target needs blob storage its workers can reach (Azurite or an Azure storage "
            f"account); this workspace stores blobs in a plain folder ({getattr(blobs, 'kind', '?')}). "
            f"Install Azurite (scripts/setup.sh) or set {CONNECTION_STRING_ENV}.")
    return conn


def _client(address: str, target: str, nodes: int | None) -> Any:
    try:
        from distributed import Client, LocalCluster  # heavy: the optional dask extra
    except ImportError as exc:
        raise UserErrorException(f"Compute target '{target}' runs on Dask ({address}) but Dask is not installed: "
                                 "pip install 'azureml-local[dask]'.") from exc
    key = (address if address != LOCAL_CLUSTER else f"{address}/{target}", os.getpid())
    with _lock:
        client = _clients.get(key)
        if client is not None and client.status in ("running", "connecting"):
            return client
        if address == LOCAL_CLUSTER:
            cluster = LocalCluster(n_workers=nodes or 2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            _clusters[key] = cluster
            client = Client(cluster, set_as_default=False)
        elif address.startswith("dask://"):
            raise UserErrorException(f"Unknown Dask address {address!r} for compute target '{target}': use "
                                     f"tcp://host:port (a running scheduler) or {LOCAL_CLUSTER}.")
        else:
            client = Client(address, set_as_default=False, timeout=30)
        _clients[key] = client
        return client


@atexit.register
def close_all() -> None:
    """Close this process's clients and the local clusters it started."""
    with _lock:
        clients, clusters = list(_clients.values()), list(_clusters.values())
        _clients.clear()
        _clusters.clear()
    for thing in clients + clusters:
        try:
            thing.close()
        except Exception:  # noqa: BLE001 - closing at exit: nothing left to report to
            pass
