"""Helpers that build hand-written pipeline definitions (docs/pipeline-definition.md) for tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def step(node_id: str, name: str, script: str, src: Path, arguments: list | None = None, inputs: list | None = None,
         outputs: list | None = None, **extra: Any) -> dict:
    """One step dict of docs/pipeline-definition.md."""
    d = {"node_id": node_id, "name": name, "kind": "PythonScriptStep", "compute_target": "local",
         "source_directory": str(src), "script_name": script, "arguments": arguments or [],
         "inputs": inputs or [], "outputs": outputs or [], "allow_reuse": True,
         "fingerprint": f"fp-{name}", "fingerprint_parts": {"name": name, "script": script}}
    d.update(extra)
    return d


def out(name: str, kind: str = "output_file_dataset") -> dict:
    return {"name": name, "kind": kind, "datastore": None,
            "path": "azureml/{run-id}/{output-name}" if kind == "pipeline_data" else "dataset/{run-id}/{output-name}",
            "mode": "mount"}


def consume(name: str, producer: str, output: str) -> dict:
    return {"name": name, "kind": "step_output", "producer": producer, "output": output, "mode": "mount"}


def definition(*steps: dict, parameters: dict | None = None) -> dict:
    return {"version": 1, "parameters": parameters or {}, "steps": list(steps)}
