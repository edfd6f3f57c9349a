"""Build the pipeline definition (``docs/pipeline-definition.md``) from a graph.

Two phases, as in the SDK: ``describe`` runs at ``Pipeline(...)`` time (ports,
arguments, compute and script checks: construction errors surface there), and
``finalize`` runs at submit/publish time (snapshot + content hash of each source
directory, fingerprints). The result is plain JSON: the executor never needs the
user's objects.
"""
from __future__ import annotations

import copy
import os
from typing import Any

from azureml_local.engine import snapshot as engine_snapshot
from azureml_local.pipeline import definition_ports as ports, fingerprint as fp
from azureml_local.pipeline.builder_io import is_a, is_dataset
from azureml_local.pipeline.graph import datapath_datastore_name
from azureml_local.pipeline.graph_build import Graph

DEFINITION_VERSION = 1


class BuildContext:
    """What steps need from the workspace while they describe themselves."""

    def __init__(self, workspace: Any, default_datastore: str, default_source_directory: str | None):
        self.workspace = workspace
        self.default_datastore = default_datastore
        self.default_source_directory = default_source_directory

    def compute_name(self, target: Any) -> str | None:
        """Validate ``compute_target`` (name, object or ``(name, type)``) against the compute registry.

        ``None`` means this machine (``'local'``): where the cloud says "Please specify a remote
        compute_target", a local pipeline simply runs here.
        """
        if isinstance(target, tuple):
            if len(target) != 2:
                raise ValueError("Compute target tuple must have 2 elements (compute name, compute type)")
            if not all(isinstance(t, str) for t in target):
                raise ValueError("Compute target tuple must consist of 2 strings (compute name, compute type)")
            return target[0]
        from azureml_local.compute.resolve import resolve_compute  # light: compute classes only at submit

        resolved = resolve_compute(self.workspace, target)
        return resolved if isinstance(resolved, str) else getattr(resolved, "name", None) or "local"

    def script_directory(self, step_name: str, source_directory: str | None, script_name: str) -> str:
        source_directory = source_directory if source_directory is not None else self.default_source_directory
        source_directory = source_directory if source_directory is not None else "."
        script_path = os.path.join(source_directory, script_name)
        if not os.path.isfile(script_path):
            raise ValueError("Step [%s]: script not found at: %s. Make sure to specify an appropriate "
                             "source_directory on the Step or default_source_directory on the Pipeline."
                             % (step_name, os.path.abspath(script_path)))
        return os.path.abspath(source_directory)

    def existing_directory(self, source_directory: str | None) -> str:
        return os.path.abspath(source_directory or self.default_source_directory or os.getcwd())

    @staticmethod
    def runconfig_dict(runconfig: Any) -> dict:
        """A JSON-able view of a ``RunConfiguration`` (whatever serialiser it offers)."""
        if runconfig is None:
            return {}
        for attr in ("_to_dict", "to_dict", "_serialize_to_dict"):
            method = getattr(runconfig, attr, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:
                    continue
                if isinstance(value, dict):
                    return _jsonable(value)
        return _jsonable({k: v for k, v in vars(runconfig).items()})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lstrip("_"): _jsonable(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "__dict__"):
        return {"__type__": type(value).__name__, **_jsonable(vars(value))}
    return str(value)


def describe(graph: Graph, ctx: BuildContext) -> list[dict]:
    """Per-step definitions without hashes (construction time)."""
    steps = []
    for node in graph.nodes.values():
        step = node.step
        for output in step._outputs:  # the SDK's "output of two steps" check
            producer = output._producer if hasattr(output, "_producer") else getattr(output, "_local_producer", None)
            if producer is not None and producer is not step:
                raise ValueError("Step output %s can not be used as an output for step %s, as it is already an "
                                 "output of step %s." % (output.name, step.name, producer.name))
        entry: dict[str, Any] = {"node_id": node.node_id, "name": step.name}
        entry.update(step._definition(ctx))
        entry["inputs"] = [ports.input_def(v, ctx.workspace, node.producers, node.producer_outputs) for v in step._inputs]
        entry["outputs"] = [ports.output_def(v, ctx.default_datastore) for v in step._outputs]
        entry["arguments"], texts = ports.annotate_arguments(step, entry["inputs"], entry["outputs"])
        if entry.get("command"):  # the full annotated command line: program, then the arguments
            entry["command"] = [{"literal": part} for part in entry["command"]] + list(entry["arguments"])
        entry["run_after"] = list(node.run_after)
        entry["parameters_used"] = sorted(p.name for p in step._pipeline_parameters())
        entry["_sdk_arguments"] = texts
        entry["_params_text"] = {k: str(v) for k, v in (getattr(step, "_params", None) or {}).items()}
        steps.append(entry)
    return steps


def parameters(graph: Graph) -> dict[str, dict]:
    """Every ``PipelineParameter`` of the graph -> ``{"type", "value_type", "default"}``."""
    found: dict[str, Any] = {}
    for node in graph.nodes.values():
        for param in node.step._pipeline_parameters():
            known = found.get(param.name)
            if known is not None and known.default_value != param.default_value:
                raise Exception("Pipeline parameters with same name {0} but different values {1}, {2} used"
                                .format(param.name, known.default_value, param.default_value))
            found.setdefault(param.name, param)
    result = {}
    for name, param in found.items():
        result[name] = parameter_def(param.default_value)
    return result


def parameter_def(default: Any) -> dict:
    if is_a(default, "DataPath"):
        return {"type": "DataPath", "default": {"datastore": datapath_datastore_name(default),
                                                "path": getattr(default, "path_on_datastore", None) or ""}}
    if is_dataset(default):
        return {"type": "dataset", "default": ports.dataset_info(default, None)}
    value_type = {bool: "bool", int: "int", float: "float", str: "string"}.get(type(default), "string")
    return {"type": "scalar", "value_type": value_type, "default": default}


def finalize(described: list[dict], params: dict, ctx: BuildContext, description: str | None,
             snapshot: bool = True) -> dict:
    """The complete definition: snapshots, content hashes and fingerprints added."""
    hashes: dict[str, tuple[str, str | None]] = {}
    node_names = {entry["node_id"]: entry["name"] for entry in described}
    steps = []
    for entry in described:
        step = copy.deepcopy(entry)
        texts = step.pop("_sdk_arguments")
        params_text = step.pop("_params_text")
        source = step.get("source_directory")
        if source and source not in hashes:
            hashes[source] = _snapshot(ctx.workspace, source) if snapshot else (fp.content_hash(source), None)
        content, snapshot_dir = hashes.get(source, (fp.EMPTY_CONTENT_HASH, None))
        step["snapshot_id"] = content
        step["snapshot_dir"] = snapshot_dir
        parts = fp.step_parts(step, texts, params_text, fp.stable_names(step, node_names))
        step["fingerprint"] = fp.fingerprint(parts, content)
        step["fingerprint_parts"] = dict(parts, source="content_" + content)
        steps.append(step)
    return {
        "version": DEFINITION_VERSION,
        "description": description,
        "default_datastore": ctx.default_datastore,
        "continue_on_step_failure": False,
        "parameters": params,
        "steps": steps,
    }


def _snapshot(ws: Any, source_directory: str) -> tuple[str, str | None]:
    """``(content hash, snapshot folder)``: the engine's snapshot of the source directory."""
    content, folder = engine_snapshot.snapshot(ws, source_directory)
    return content, str(folder) if folder is not None else None
