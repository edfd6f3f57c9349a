"""What a job's script receives: argv with placeholders substituted, and environment variables.

Mirrors the cloud job runtime (sdk-v1-behaviour.md section b): ``{"input": n}`` ->
dataset id (direct) or local path, ``{"output": n}`` -> the local folder to write,
``{"parameter": p}`` -> this run's value; plain strings still carrying the SDK's
textual placeholders (``$AZUREML_DATAREFERENCE_x``, ``DatasetConsumptionConfig:x``,
``DatasetOutputConfig:x``, ``$AML_PARAMETER_x``) are substituted the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from azureml_local.jobs.placeholders import TEXT_PLACEHOLDER, env_safe, param_text, parameter_env_name


@dataclass
class Bindings:
    """Resolved values of one job's inputs, outputs and parameters."""

    inputs: dict[str, str] = field(default_factory=dict)        # name -> argv value (id or local path)
    input_modes: dict[str, str] = field(default_factory=dict)   # name -> direct|mount|download
    dataset_inputs: set[str] = field(default_factory=set)       # names listed in AZUREML_DATASET_ENVIRONMENT_VARS
    outputs: dict[str, str] = field(default_factory=dict)       # name -> local folder
    file_dataset_outputs: set[str] = field(default_factory=set)  # names listed in AZUREML_DATASET_FILE_OUTPUTS
    parameters: dict[str, Any] = field(default_factory=dict)    # pipeline parameter name -> value
    extra_env: dict[str, str] = field(default_factory=dict)     # more env vars from the data layer
    step_params: dict[str, str] = field(default_factory=dict)   # AML_PARAMETER_<key> of step ``params``


def _lookup(b: Bindings, name: str) -> str | None:
    if name in b.inputs:
        return b.inputs[name]
    if name in b.outputs:
        return b.outputs[name]
    return None


def substitute_text(text: str, b: Bindings) -> str:
    """Replace the SDK's textual placeholders inside one argument string."""
    def repl(m: re.Match) -> str:
        ref, consumed, produced, param = m.groups()
        if param is not None:
            for pname, value in b.parameters.items():
                if env_safe(pname) == param:
                    return param_text(value)
            return b.step_params.get(parameter_env_name(param), m.group(0))
        value = _lookup(b, ref or consumed or produced)
        return m.group(0) if value is None else value
    return TEXT_PLACEHOLDER.sub(repl, text)


def step_param_env(step: dict, b: Bindings) -> dict[str, str]:
    """``AML_PARAMETER_<key>`` for the step's ``params`` (a PipelineParameter value resolved for this run)."""
    env = {}
    for key, value in (step.get("params") or {}).items():
        if isinstance(value, dict) and "parameter" in value:
            value = b.parameters.get(value["parameter"])
        env[parameter_env_name(key)] = param_text(value)
    return env


def build_argv(arguments: list, b: Bindings) -> list[str]:
    """The script's argv (after the script name) from the annotated argument list."""
    argv: list[str] = []
    for arg in arguments or []:
        if isinstance(arg, dict):
            if "literal" in arg:
                argv.append(substitute_text(str(arg["literal"]), b))
            elif "input" in arg:
                argv.append(b.inputs[arg["input"]])
            elif "output" in arg:
                argv.append(b.outputs[arg["output"]])
            elif "parameter" in arg:
                argv.append(param_text(b.parameters.get(arg["parameter"])))
            else:
                raise ValueError(f"Unknown argument form in the job spec: {arg!r}")
        else:
            argv.append(substitute_text(str(arg), b))
    return argv


def build_env(step: dict, b: Bindings) -> dict[str, str]:
    """Environment variables for the data, parameters and ``params`` of a step."""
    env: dict[str, str] = {}
    for name, value in b.parameters.items():
        env[parameter_env_name(name)] = param_text(value)
    env.update(step_param_env(step, b))
    for name, value in b.inputs.items():
        env[name] = value
        env[f"AZUREML_DATAREFERENCE_{name}"] = value
        env[f"AZURE_ML_INPUT_{name}"] = value
    for name, value in b.outputs.items():
        env[name] = value
        env[f"AZUREML_DATAREFERENCE_{name}"] = value
        env[f"AZURE_ML_OUTPUT_{name}"] = value
    if b.dataset_inputs:
        env["AZUREML_DATASET_ENVIRONMENT_VARS"] = ",".join(
            f"{n}:{b.input_modes.get(n, 'mount')}" for n in sorted(b.dataset_inputs))
    if b.file_dataset_outputs:
        env["AZUREML_DATASET_FILE_OUTPUTS"] = ";".join(sorted(b.file_dataset_outputs))
    env.update(b.extra_env)
    runconfig = step.get("runconfig") or {}
    for source in (runconfig.get("environment_variables") or {}, step.get("environment_variables") or {}):
        env.update({str(k): str(v) for k, v in source.items()})
    return env
