"""Data-source nodes: the SDK's "Created/Using data reference ..." lines at submit.

In the SDK every DataReference, DataPath and dataset input becomes a data-source node
of the graph, registered once in the service by fingerprint; submit prints whether it
was new ("Consumers of this data will generate new runs.") or already known. Locally
the workspace database remembers the fingerprints.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

_KINDS = ("dataset", "datastore_path", "datapath_parameter")


def datasources(definition: dict) -> list[dict]:
    """One entry per distinct data source the steps read: ``{"name", "fingerprint"}`` in step order."""
    found: dict[str, dict] = {}
    for step in definition["steps"]:
        for inp in step["inputs"]:
            if inp.get("kind") not in _KINDS:
                continue
            identity = {k: inp.get(k) for k in ("kind", "datastore", "path", "parameter")}
            if inp.get("kind") == "dataset":
                identity["dataset"] = (inp.get("dataset") or {}).get("id")
            fp = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
            found.setdefault(fp, {"name": inp["name"], "fingerprint": fp})
    return list(found.values())


def node_ids(sources: list[dict], known: dict[str, str]) -> dict[str, str]:
    """Stable 8-hex node ids per data source fingerprint (kept by the Pipeline object across submits)."""
    for source in sources:
        known.setdefault(source["fingerprint"], uuid.uuid4().hex[:8])
    return known


def print_datasources(ws: Any, sources: list[dict], ids: dict[str, str], dry_run: bool = False,
                      regenerate_outputs: bool = False) -> None:
    """Print the SDK's line for each data source; record new ones (not in a dry run).

    ``regenerate_outputs`` skips the lookup, as the SDK does: every data source is created anew.
    """
    for source in sources:
        known_id = ws._context.pipelines.datasource_id(source["fingerprint"])
        if regenerate_outputs and not dry_run and known_id is not None:
            print("Created data reference %s for StepId [%s][%s], (Consumers of this data will generate new "
                  "runs.)" % (source["name"], ids[source["fingerprint"]], uuid.uuid4()))
            continue
        node_id = ids[source["fingerprint"]]
        if dry_run:
            if known_id is None:
                print("Data reference %s is ready to be created [%s], "
                      "(Consumers of this data will generate new runs.)" % (source["name"], node_id))
            continue
        if known_id is None:
            datasource_id = str(uuid.uuid5(uuid.NAMESPACE_URL, source["fingerprint"]))
            ws._context.pipelines.add_datasource(source["fingerprint"], datasource_id, source["name"])
            print("Created data reference %s for StepId [%s][%s], "
                  "(Consumers of this data will generate new runs.)" % (source["name"], node_id, datasource_id))
        else:
            print("Using data reference %s for StepId [%s][%s], "
                  "(Consumers of this data are eligible to reuse prior runs.)"
                  % (source["name"], node_id, known_id))
