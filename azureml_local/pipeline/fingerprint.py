"""Step fingerprints: the SDK's module hash plus the source directory's content hash.

``ModuleDef.calculate_hash`` (SDK graph.py:138-187) hashes a sorted list of strings
(``name_``, ``input_``, ``output_``, ``param_``, ``deterministic_``, ``execution_``,
``version_``, ``arguments_``); the fingerprint is ``<sha256>_<content hash>``. Locally the
service's node-level comparison is folded in too (script, command, compute target,
run configuration), because here the fingerprint *is* the reuse key. Each part is kept
by name in ``fingerprint_parts`` so the executor can say which one changed. Values of
pipeline parameters and the content identity of data inputs are added by the executor
at run time (they are not known when the definition is built).
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from azureml_local.engine import snapshot

EMPTY_CONTENT_HASH = "00000000000000000000000000000000"


_AUTO_NAME = re.compile(r"^(input_{1,2}|output_)[0-9a-f]{8}$|^[A-Za-z0-9_]+_[0-9a-f]{8}$")


def stable_names(step: dict, node_names: dict[str, str]) -> dict[str, str]:
    """Port names the SDK generated at random (``as_input()`` -> ``input_<uuid8>``...) -> stable labels.

    The cloud hashes those random names, so re-running a notebook never reuses a step
    whose input was made with ``as_input()``; locally the label says what the port
    reads instead (producer step and output, dataset, datastore path), so it does.
    """
    aliases: dict[str, str] = {}
    for i in step["inputs"]:
        if not _AUTO_NAME.match(i["name"]):
            continue
        if i.get("kind") == "step_output":
            label = "from_%s.%s" % (node_names.get(i.get("producer"), "?"), i.get("output"))
        elif i.get("kind") == "dataset":
            ds = i.get("dataset") or {}
            label = "dataset_%s" % (i.get("parameter") or ds.get("name") or ds.get("id"))
        else:
            label = "path_%s" % (i.get("parameter") or "%s/%s" % (i.get("datastore"), i.get("path")))
        aliases[i["name"]] = label
    for n, o in enumerate(step["outputs"]):
        if _AUTO_NAME.match(o["name"]):
            aliases[o["name"]] = "output#%d" % n
    return aliases


def _alias_text(text: str, aliases: dict[str, str]) -> str:
    for name, label in aliases.items():
        text = text.replace(name, label)
    return text


def step_parts(step: dict, annotated_texts: list[str], params_text: dict[str, str],
               aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """The named parts of a step's reuse key (JSON-able)."""
    aliases = aliases or {}
    annotated_texts = [_alias_text(t, aliases) for t in annotated_texts]
    inputs = []
    for i in step["inputs"]:
        text = "input_" + aliases.get(i["name"], i["name"]) + ",ds_mode_" + str(i.get("mode"))
        if i.get("path_on_compute"):
            text += ",ds_path_" + str(i["path_on_compute"])
        inputs.append(text)
    outputs = []
    for o in step["outputs"]:
        text = "output_%s,ds_name_%s,ds_mode_%s,ds_path_%s" % (
            aliases.get(o["name"], o["name"]), o.get("datastore"), o.get("mode"), o.get("path"))
        if o.get("path_on_compute"):
            text += ",ds_path_on_compute_" + str(o["path_on_compute"])
        if o.get("tabular"):
            text += ",tabular_" + json.dumps(o["tabular"], sort_keys=True, default=str)
        outputs.append(text)
    return {
        "name": "name_" + step["name"],
        "inputs": sorted(inputs),
        "outputs": sorted(outputs),
        "params": sorted("param_%s,val_%s" % (k, v) for k, v in params_text.items()),
        "allow_reuse": "deterministic_%s" % step.get("allow_reuse", True),
        "execution": "execution_%s" % step.get("execution_type", "escloud"),
        "version": "version_%s" % step.get("version"),
        "arguments": "arguments_" + ",".join(annotated_texts),
        "script": "script_%s" % step.get("script_name"),
        "command": "command_%s" % (step["command"][0].get("literal") if step.get("command") else None),
        "compute_target": "compute_%s" % step.get("compute_target"),
        "runconfig": "runconfig_" + hashlib.sha256(
            json.dumps(step.get("runconfig") or {}, sort_keys=True, default=str).encode()).hexdigest()[:16],
        "run_after": "run_after_%d" % len(step.get("run_after") or []),
    }


def fingerprint(parts: dict[str, Any], content_hash: str) -> str:
    """``sha256(sorted module strings joined by '_')`` + ``'_'`` + content hash."""
    flat: list[str] = []
    for value in parts.values():
        flat.extend(value if isinstance(value, list) else [value])
    digest = hashlib.sha256("_".join(sorted(flat)).encode("utf-8")).hexdigest()
    return digest + "_" + content_hash


# -- content hash of a source directory --------------------------------------------------------
def content_hash(source_directory: str) -> str:
    """Hash of the files under ``source_directory`` (ignore files honoured): the engine's stat-cached hash."""
    return snapshot.hash_directory(source_directory)
