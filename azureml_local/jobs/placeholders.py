"""The SDK's textual placeholders and generated names, in one place (sdk-v1 behaviour, section b).

Arguments of a submitted run may carry ``DatasetConsumptionConfig:<name>``,
``DatasetOutputConfig:<name>``, ``$AZUREML_DATAREFERENCE_<name>`` or ``$AML_PARAMETER_<name>``;
the binder replaces them at run time. Output paths hold ``{run-id}`` / ``{output-name}``.
"""
from __future__ import annotations

import re
from typing import Any

INPUT_TEMPLATE = "DatasetConsumptionConfig:{}"
OUTPUT_TEMPLATE = "DatasetOutputConfig:{}"
DATAREFERENCE_TEMPLATE = "$AZUREML_DATAREFERENCE_{}"
DEFAULT_OUTPUT_PATH = "dataset/{run-id}/{output-name}"
PIPELINE_DATA_PATH = "azureml/{run-id}/{output-name}"

TEXT_PLACEHOLDER = re.compile(
    r"\$AZUREML_DATAREFERENCE_(\w+)|DatasetConsumptionConfig:(\w+)|DatasetOutputConfig:(\w+)|\$AML_PARAMETER_(\w+)")
DATAREFERENCE_RE = re.compile(r"\$AZUREML_DATAREFERENCE_(\w+)")
_NOT_ENV = re.compile(r"[~\W]")


def placeholder_name(text: str, template: str) -> str | None:
    """The name in ``text`` when it is exactly ``template`` filled with a name (else None)."""
    prefix = template.format("")
    return text[len(prefix):] if text.startswith(prefix) and len(text) > len(prefix) else None


def env_safe(name: str) -> str:
    """A parameter name as the SDK puts it into an environment variable name (graph.py:927-939)."""
    return _NOT_ENV.sub("_", name)


def parameter_env_name(name: str) -> str:
    """``AML_PARAMETER_<name>``: the environment variable a parameter reaches the script as."""
    return "AML_PARAMETER_" + env_safe(name)


def param_text(value: Any) -> str:
    """How a parameter value appears on the command line / in env vars."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and "path" in value:
        return str(value["path"])
    return "" if value is None else str(value)


def fill_path(template: str, run_id: str, output_name: str) -> str:
    """An output's datastore path with ``{run-id}`` / ``{output-name}`` filled (the *producing* run's id)."""
    return template.replace("{run-id}", run_id).replace("{output-name}", output_name).strip("/")
