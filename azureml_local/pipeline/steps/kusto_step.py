"""``KustoStep``: importable and validated as in the SDK; refused at submit (no Azure Data Explorer here)."""
from __future__ import annotations

import json
from typing import Any

from azureml_local.pipeline.builder import PipelineData, PipelineStep
from azureml_local.pipeline.graph import OutputPortBinding
from azureml_local.pipeline.steps.arg_checks import required, typed
from azureml_local.pipeline.steps.not_emulated import not_emulated_definition


class KustoStep(PipelineStep):
    """Run a Kusto query and write its result (not emulated: refused at submit)."""

    def __init__(self, name: str, compute_target: str, database_name: str, query_directory: str, output: Any,
                 parameter_dict: dict | None = None, allow_reuse: bool = False):
        for arg, value in (("name", name), ("compute_target", compute_target), ("database_name", database_name),
                           ("query_directory", query_directory)):
            required(arg, value, str)
        required("output", output, (OutputPortBinding, PipelineData), "type PipelineData or OutputPortBinding")
        typed("parameter_dict", parameter_dict, dict, "a dictionary")
        self._parameter_dict_string = json.dumps(parameter_dict) if parameter_dict is not None else " "
        self._compute_target = compute_target
        self._database_name = database_name
        self._query_directory = query_directory
        self._allow_reuse = allow_reuse
        self._output = output
        self._params = {"compute_name": compute_target, "database_name": database_name,
                        "parameter_dict": self._parameter_dict_string}
        super().__init__(name, inputs=[], outputs=[output])

    def _definition(self, ctx: Any) -> dict:
        return not_emulated_definition(self, self._compute_target, params=dict(self._params),
                                       query_directory=self._query_directory)
