"""The job spec: the one JSON form of "run this script with this data" (a pipeline step dict).

A pipeline step (``docs/pipeline-definition.md``) already is a job spec; ``ScriptRunConfig.submit``
compiles to a one-step spec stored in the run's definition under ``JOB_KEY``. The runner never needs
the user's Python objects, so REST submissions, schedules and remote workers can queue a job too.
Only JSON types: a spec that does not survive ``json.dumps`` is refused here, not in the runner.

Keys the runner reads (extra keys, e.g. a step's fingerprint, are allowed and ignored)::

    script_name | command          script relative to the snapshot, or the whole command line
                                   (str = shell line; list = annotated items like ``arguments``)
    arguments                      [{"literal": s} | {"input": n} | {"output": n} | {"parameter": p} | str]
    inputs / outputs               [InputSpec] / [OutputSpec] (kinds below)
    params                         {key: value | {"parameter": p}} -> AML_PARAMETER_<key>
    environment_variables, runconfig ({"environment_variables": ...}), timeout_seconds,
    compute_target, snapshot_id / snapshot_dir, python (interpreter of a script run)
"""
from __future__ import annotations

import json
from typing import Any, TypedDict

JOB_KEY = "_job"  # the key of a run's stored definition holding its job spec
VERSION = 1

INPUT_KINDS = ("dataset", "step_output", "datastore_path", "datapath_parameter")
OUTPUT_KINDS = ("output_file_dataset", "pipeline_data", "datastore_path")
ARGUMENT_FORMS = ("literal", "input", "output", "parameter")


class InputSpec(TypedDict, total=False):
    """One input: ``dataset`` (id/definition in ``dataset``, or a dataset ``parameter``), ``step_output``
    (``producer`` node id + ``output`` port), ``datastore_path`` (``datastore`` + ``path``) or
    ``datapath_parameter`` (a DataPath ``parameter``). ``mode``: direct | mount | download."""

    name: str
    kind: str
    mode: str
    path_on_compute: str | None
    overwrite: bool | None
    dataset: dict
    parameter: str
    producer: str
    output: str
    as_dataset: bool
    tabular: dict | None
    datastore: str | None
    path: str


class OutputSpec(TypedDict, total=False):
    """One output: ``output_file_dataset`` (OutputFileDatasetConfig), ``pipeline_data`` (PipelineData) or
    ``datastore_path`` (a DataReference in upload mode: uploaded to exactly ``path``)."""

    name: str
    kind: str
    datastore: str | None
    path: str
    mode: str
    source: str | None
    path_on_compute: str | None
    upload: dict | None
    overwrite: bool | None
    partition_format: str | None
    tabular: dict | None
    register: dict | None
    pipeline_output_name: str | None


class JobSpec(TypedDict, total=False):
    """A runnable job (see the module docstring for the meaning of each key)."""

    version: int
    name: str
    kind: str
    script_name: str | None
    command: str | list | None
    arguments: list
    inputs: list[InputSpec]
    outputs: list[OutputSpec]
    params: dict
    environment_variables: dict
    runconfig: dict
    timeout_seconds: float | None
    compute_target: str | None
    python: str | None


class JobSpecError(ValueError):
    """A job spec the runner could not execute (says which part is wrong)."""


def validate(spec: Any) -> JobSpec:
    """Check ``spec`` and return it; raises :class:`JobSpecError` naming the first problem."""
    if not isinstance(spec, dict):
        raise JobSpecError(f"A job spec is a dict, not {type(spec).__name__}.")
    name = spec.get("name") or spec.get("node_id") or "job"
    command = spec.get("command")
    if not spec.get("script_name") and not command:
        raise JobSpecError(f"Job '{name}' has neither script_name nor command.")
    if command is not None and not isinstance(command, (str, list)):
        raise JobSpecError(f"Job '{name}': command must be a string or a list, not {type(command).__name__}.")
    inputs = _named(spec, "inputs", INPUT_KINDS, name)
    outputs = _named(spec, "outputs", OUTPUT_KINDS, name)
    items = list(spec.get("arguments") or []) + (command if isinstance(command, list) else [])
    for arg in items:
        _check_argument(arg, inputs, outputs, name)
    try:
        json.dumps(spec)
    except (TypeError, ValueError) as exc:
        raise JobSpecError(f"Job '{name}' is not JSON ({exc}); a job spec holds names and plain values, "
                           "never Python objects.") from exc
    return spec  # type: ignore[return-value]


def _named(spec: dict, key: str, kinds: tuple, job: str) -> set[str]:
    names: set[str] = set()
    for entry in spec.get(key) or []:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise JobSpecError(f"Job '{job}': every entry of {key} needs a name, got {entry!r}.")
        if entry.get("kind") not in kinds:
            raise JobSpecError(f"Job '{job}': {key} entry '{entry['name']}' has kind {entry.get('kind')!r}; "
                               f"expected one of {', '.join(kinds)}.")
        if entry["name"] in names:
            raise JobSpecError(f"Job '{job}': {key} name '{entry['name']}' is used twice.")
        names.add(entry["name"])
    return names


def _check_argument(arg: Any, inputs: set[str], outputs: set[str], job: str) -> None:
    if not isinstance(arg, dict):
        if isinstance(arg, (str, int, float, bool)):
            return
        raise JobSpecError(f"Job '{job}': argument {arg!r} is not a JSON value.")
    forms = [k for k in ARGUMENT_FORMS if k in arg]
    if len(forms) != 1:
        raise JobSpecError(f"Job '{job}': argument {arg!r} must have exactly one of {', '.join(ARGUMENT_FORMS)}.")
    form = forms[0]
    if form == "input" and arg["input"] not in inputs:
        raise JobSpecError(f"Job '{job}': argument {arg!r} names no input (inputs: {sorted(inputs)}).")
    if form == "output" and arg["output"] not in outputs:
        raise JobSpecError(f"Job '{job}': argument {arg!r} names no output (outputs: {sorted(outputs)}).")


def from_definition(run_id: str, definition: dict, run_folder_has_pickle: bool = False) -> JobSpec:
    """The job spec stored with a run; a clear error for a run queued by an older version."""
    spec = definition.get(JOB_KEY)
    if spec is None:
        hint = " (its data bindings are a pickle file, data_bindings.pkl)" if run_folder_has_pickle else ""
        raise JobSpecError(f"Run {run_id} was queued by an older azureml-local{hint} and has no job spec; this "
                           "version only runs JSON job specs. Submit the run again.")
    return validate(spec)
