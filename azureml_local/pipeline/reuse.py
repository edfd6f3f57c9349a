"""Step reuse: a durable store of finished steps keyed by what determines their outputs.

The cloud reuses a step when its *definition* (module fingerprint: name, ports,
parameters, arguments, ``allow_reuse``, source-directory hash) and its inputs'
*definitions* are unchanged; changed data behind an unchanged dataset is served
stale. Here the reuse key is made of named parts:

* ``definition:<part>`` - the construction side's ``fingerprint_parts`` (or the
  whole ``fingerprint`` when no parts are given);
* ``parameter:<name>``  - the value this run gives each pipeline parameter the
  step uses (a changed value re-runs the step, as in the cloud);
* ``input:<name>``      - for ``step_output`` inputs the producing step run id (a
  re-run producer means new data); for datasets / datastore paths their
  *content identity* (definition + blob etags, from ``data.run_inputs``).

``AZUREML_LOCAL_REUSE=definition`` switches the data inputs back to the cloud's
definition-only rule (dataset id/version, datastore + path). See docs/reuse.md.
Every decision comes with a sentence saying which part changed, for the step log.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

REUSE_MODE_ENV = "AZUREML_LOCAL_REUSE"
CONTENT, DEFINITION = "content", "definition"


def reuse_mode() -> str:
    """``content`` (default: data identity folded in) or ``definition`` (the cloud's rule)."""
    mode = (os.environ.get(REUSE_MODE_ENV) or CONTENT).strip().lower()
    return DEFINITION if mode == DEFINITION else CONTENT


def is_known_fingerprint(ws: "Workspace", fingerprint: str) -> bool:
    """Whether a step with this definition fingerprint has finished before (the SDK's
    "eligible to reuse" print at submit time; the data part is only decided at run time)."""
    if not fingerprint:
        return False
    return ws._context.pipelines.has_fingerprint(fingerprint)


@dataclass
class ReuseKey:
    """The key of one step execution and the named parts it was made of."""

    fingerprint: str
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        blob = json.dumps(sorted(self.parts.items()), separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()


def _short(value: Any) -> str:
    """A stable digest of any JSON-able value (parts stay small in the store)."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def compute_key(step: dict, parameter_values: dict[str, Any], input_identity: Callable[[dict], str],
                mode: str | None = None) -> ReuseKey:
    """Build the reuse key of ``step`` (a definition step dict).

    ``input_identity(input_dict)`` returns the identity of one input under ``mode``:
    the executor supplies it because it knows producer run ids and the data layer.
    """
    mode = mode or reuse_mode()
    parts: dict[str, str] = {}
    fp_parts = step.get("fingerprint_parts") or {}
    if fp_parts:
        for name, value in fp_parts.items():
            parts[f"definition:{name}"] = _short(value)
    else:
        parts["definition"] = _short(step.get("fingerprint") or step)
    for name in sorted(used_parameters(step)):
        parts[f"parameter:{name}"] = _short(parameter_values.get(name))
    for index, inp in enumerate(step.get("inputs") or []):
        parts[f"input:{input_label(inp, index)}"] = _short(input_identity(inp))
    parts["reuse_mode"] = mode
    return ReuseKey(step.get("fingerprint") or parts.get("definition", ""), parts)


_AUTO_NAME = re.compile(r"^\w+_[0-9a-f]{8}$")


def input_label(inp: dict, index: int) -> str:
    """The input's name, or ``#<position>`` for SDK auto-names (``as_input()`` -> ``input_<uuid8>``,
    DataPath inputs -> ``<datastore>_<uuid8>``),
    which change every time the pipeline objects are rebuilt and must not defeat reuse."""
    name = inp.get("name") or ""
    return f"#{index + 1}" if not name or _AUTO_NAME.match(name) else name


def used_parameters(step: dict) -> set[str]:
    """Names of the pipeline parameters a step's arguments, inputs or runconfig refer to."""
    names = {a["parameter"] for a in step.get("arguments") or [] if isinstance(a, dict) and "parameter" in a}
    names.update(i["parameter"] for i in step.get("inputs") or [] if i.get("kind") == "datapath_parameter")
    for value in (step.get("params") or {}).values():
        if isinstance(value, dict) and "parameter" in value:
            names.add(value["parameter"])
    names.update((step.get("runconfig_pipeline_params") or {}).values())
    names.update(step.get("parameters_used") or [])
    return {n for n in names if isinstance(n, str)}


def find_reusable(ws: "Workspace", key: ReuseKey) -> dict | None:
    """The stored entry for this key, if its step finished successfully before."""
    return ws._context.pipelines.find_reuse(key.digest)


def record(ws: "Workspace", key: ReuseKey, step_name: str, step_run_id: str, pipeline_run_id: str,
           node_id: str, outputs: dict) -> None:
    """Remember a successful step run (atomic: a half-finished step is never recorded)."""
    ws._context.pipelines.record_reuse(key.digest, key.fingerprint, key.parts, step_name, step_run_id,
                                       pipeline_run_id, node_id, outputs)


def forget_run(ws: "Workspace", step_run_id: str) -> None:
    """Drop entries pointing at a step run whose outputs are gone."""
    ws._context.pipelines.forget_step_run(step_run_id)


def previous_parts(ws: "Workspace", step_name: str, exclude_pipeline_run: str) -> tuple[str, dict] | None:
    """``(step_run_id, key parts)`` of the latest earlier run of a step with this name."""
    return ws._context.pipelines.previous_key_parts(step_name, exclude_pipeline_run)


def explain(key: ReuseKey, previous: tuple[str, dict] | None) -> str:
    """Which named parts differ from the previous run of the step (for the "why re-run" line)."""
    if previous is None:
        return "no previous run of this step"
    prev_id, prev_parts = previous
    changed = sorted(k for k in set(key.parts) | set(prev_parts) if key.parts.get(k) != prev_parts.get(k))
    if not changed:
        return f"same key as the previous run {prev_id} but its entry is gone (its outputs were not kept)"
    return f"changed since the previous run {prev_id}: {', '.join(_describe(c) for c in changed)}"


def _describe(part: str) -> str:
    kind, _, name = part.partition(":")
    if kind == "input":
        label = f"input {name}" if name.startswith("#") else f"input '{name}'"
        return f"{label} (data or producing run)"
    if kind == "parameter":
        return f"pipeline parameter '{name}'"
    if kind == "definition":
        return f"step definition '{name}'" if name else "step definition"
    return part
