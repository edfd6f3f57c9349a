"""``azureml.pipeline.core.builder``: ``PipelineStep``, ``PipelineData``, ``StepSequence``.

A step, once constructed, holds its normalised inputs, outputs and arguments (the
same rewriting and checks as the SDK's ``PipelineStep.__init__``, in
``builder_args.py``). Turning steps into a graph is ``graph_build.py``'s job; turning
one step into its JSON definition is the step's ``_definition(ctx)``.
"""
from __future__ import annotations

import re
from typing import Any

from azureml_local.pipeline import builder_args
from azureml_local.pipeline.builder_datasets import PipelineOutputFileDataset
from azureml_local.pipeline.builder_io import is_dataset, set_producer
from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.pipeline.input_binding import InputBindable

_INVALID_NAME = re.compile(r"\W")


class PipelineStep:
    """Base of every pipeline step: named ports, arguments and run-after edges."""

    def __init__(self, name: str, inputs: list | None, outputs: list | None, arguments: list | None = None,
                 fix_port_name_collisions: bool = False, resource_inputs: list | None = None):
        self.name = name
        self.run_after_steps: list[PipelineStep] = []
        # a user's subclass keeps its SDK class's type (the step kind picks its executor)
        step_type = next(c for c in type(self).__mro__ if c.__module__.startswith("azureml_local.")).__name__
        if step_type.endswith("Base"):
            step_type = step_type[:-4]
        self.step_type = step_type.lstrip("_")
        # Copies: the SDK edits the caller's lists in place, which surprises users re-using them.
        inputs = list(inputs or [])
        outputs = list(outputs or [])
        resource_inputs = list(resource_inputs or [])
        arguments = list(arguments or [])
        builder_args.process_arguments_and_io(arguments, inputs, outputs)
        builder_args.validate_io_types(inputs, outputs, resource_inputs)
        input_names = [builder_args.input_port_name(i) for i in inputs]
        resource_names = [builder_args.input_port_name(i) for i in resource_inputs]
        output_names = [builder_args.output_port_name(o) for o in outputs]
        builder_args.assert_valid_port_names(input_names + resource_names, output_names, fix_port_name_collisions)
        self._inputs = inputs
        self._resource_inputs = resource_inputs
        self._arguments = arguments
        self._outputs = outputs
        for output in self._outputs:
            set_producer(output, self)
        if fix_port_name_collisions:
            self._inputs, self._arguments = builder_args.fix_port_name_collisions(
                self._inputs, output_names, self._arguments)
        self._update_input_with_pipeline_parameters()
        builder_args.validate_arguments(self._arguments, self._inputs, self._outputs)

    def run_after(self, step: "PipelineStep") -> None:
        """Run this step after ``step`` (a control edge, no data passed)."""
        self.run_after_steps.append(step)

    def create_node(self, graph: Any, default_datastore: Any, context: Any) -> Any:
        """Steps become definition dicts through ``_definition``; kept for SDK subclass signatures."""
        raise NotImplementedError("Local pipelines build steps through _definition(ctx).")

    def _update_input_with_pipeline_parameters(self) -> None:
        """A dataset-valued ``PipelineParameter`` used as an argument is also an input (SDK rule)."""
        for arg in self._arguments:
            if isinstance(arg, PipelineParameter) and is_dataset(arg.default_value):
                from azureml.data.dataset_consumption_config import DatasetConsumptionConfig

                self._inputs.append(DatasetConsumptionConfig(arg.name, arg))

    # -- hooks for graph building -----------------------------------------------------------
    def _definition(self, ctx: Any) -> dict:
        """Step-type specific part of the definition (script, command, params...)."""
        raise NotImplementedError(f"{self.step_type} cannot run locally yet.")

    def _pipeline_parameters(self) -> list:
        """Every ``PipelineParameter`` this step uses (arguments, params, data inputs)."""
        return builder_args.collect_parameters(self._arguments, self._inputs, getattr(self, "_params", None),
                                               getattr(self, "_runconfig_pipeline_params", None))

    def __repr__(self) -> str:
        return f"{self.step_type}(name={self.name!r})"


class PipelineData(InputBindable):
    """Intermediate data written by one step and read by others (``azureml/{run-id}/{name}`` on a datastore)."""

    def __init__(self, name: str, datastore: Any = None, output_name: str | None = None, output_mode: str = "mount",
                 output_path_on_compute: str | None = None, output_overwrite: bool | None = None,
                 data_type: str | None = None, is_directory: bool | None = None,
                 pipeline_output_name: str | None = None, training_output: Any = None):
        if not name:
            raise ValueError("PipelineData name cannot be empty")
        if _INVALID_NAME.search(name):
            raise ValueError("PipelineData name: [{name}] is not a valid, as it may contain only letters, "
                             "digits, and underscores.".format(name=name))
        self._name = name
        output_name = name if output_name is None else output_name
        if _INVALID_NAME.search(output_name):
            raise ValueError("PipelineData output_name: [{name}] is not a valid, as it may contain only letters, "
                             "digits, and underscores.".format(name=output_name))
        self._output_name = output_name
        self._datastore = datastore
        self._producer: Any = None
        self._output_mode = output_mode
        self._output_path_on_compute = output_path_on_compute
        self._output_overwrite = output_overwrite
        self._data_type = data_type
        self._is_directory = is_directory
        self._pipeline_output_name = pipeline_output_name
        if self._output_mode not in ["mount", "upload"]:
            raise ValueError("Invalid output mode [%s]" % self._output_mode)
        self._training_output = training_output
        self._is_output_promoted_to_dataset = False

    def _set_producer(self, step: Any) -> None:
        self._producer = step

    def _default_input_name(self) -> str:
        return self._name

    def get_env_variable_name(self) -> str:
        return self.__str__()

    def as_dataset(self) -> Any:
        """Promote the output to a FileDataset (consumers then get a dataset, not a path)."""
        return PipelineOutputFileDataset(self)

    name = property(lambda self: self._name)
    datastore = property(lambda self: self._datastore)
    data_type = property(lambda self: self._data_type)

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_{0}".format(self.name)

    def __repr__(self) -> str:
        return self.__str__()


class StepSequence:
    """Steps to run in order: every step of element *i* runs after every step of element *i-1*."""

    def __init__(self, steps: list | None = None):
        self._steps = [] if steps is None else steps

    def __iter__(self):
        return self._steps.__iter__()
