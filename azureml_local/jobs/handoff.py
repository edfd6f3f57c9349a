"""How a consumer step gets the folder a producer step wrote (the data hand-off seam).

Two ways:

* ``LocalFolder`` (default): the consumer reads the producer's output folder in place, no copy and no
  wait for the background upload. Needs a filesystem both steps see.
* ``ViaDatastore``: wait for the producer's upload to finish, then download its blobs below the
  consumer's working directory. Works wherever the datastore is reachable (e.g. a remote worker).

``choose`` picks per input: ``AZUREML_LOCAL_DATA_HANDOFF=local|datastore`` forces one (tests, or a
worker that knows it shares nothing); otherwise the local folder when it is reachable, else the
datastore (a reused step's folder may be long gone).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from azureml_local.exceptions import UserErrorException
from azureml_local.data import stores

HANDOFF_ENV = "AZUREML_LOCAL_DATA_HANDOFF"
LOCAL, DATASTORE = "local", "datastore"


class Handoff(Protocol):
    """``fetch`` returns the local path a consumer reads for one producer output."""

    name: str

    def fetch(self, ws: Any, producer: Any, out: dict, target: Path) -> str: ...


class LocalFolder:
    """Read the producer's folder in place."""

    name = LOCAL

    def fetch(self, ws: Any, producer: Any, out: dict, target: Path) -> str:
        return str(out["local_path"])


class ViaDatastore:
    """Wait for the producer's upload, then download ``datastore/path`` into ``target``."""

    name = DATASTORE

    def fetch(self, ws: Any, producer: Any, out: dict, target: Path) -> str:
        upload = getattr(producer, "upload", None)
        if upload is not None:
            upload.result()  # raises the upload's error: the consumer must not read half the data
        return str(stores.download_prefix(ws, out["datastore"], out["path"], target))


_HANDOFFS: dict[str, Handoff] = {LOCAL: LocalFolder(), DATASTORE: ViaDatastore()}


def choose(out: dict) -> Handoff:
    """The hand-off for one producer output (see the module docstring)."""
    forced = os.environ.get(HANDOFF_ENV, "").strip().lower()
    if forced:
        if forced not in _HANDOFFS:
            raise UserErrorException(f"{HANDOFF_ENV}={forced!r} is not a data hand-off; use "
                                     f"{' or '.join(sorted(_HANDOFFS))}.")
        if forced == LOCAL and _reachable(out):
            return _HANDOFFS[LOCAL]
        return _HANDOFFS[DATASTORE]
    return _HANDOFFS[LOCAL] if _reachable(out) else _HANDOFFS[DATASTORE]


def _reachable(out: dict) -> bool:
    local = out.get("local_path")
    return bool(local) and os.path.isdir(local)
