"""``DataTransferStep``: copy data between datastores as one pipeline step.

Construction follows the SDK's ``_DataTransferStepBase`` (same checks and messages); the
source and the destination are both inputs, and the step's one output (``get_output()``,
``_data_transfer_output``) stands for the destination, so later steps wait for the copy. The
copy itself is the ``DataTransferStep`` executor (``pipeline/execution/data_transfer.py``):
blob to blob through the datastores' storage, server-side where both live in one account.
``compute_target`` must name a ``DataFactoryCompute``; locally it is only a record (no Data
Factory runs the copy).
"""
from __future__ import annotations

import json
from typing import Any

from azureml_local.compute.services import DataFactoryCompute
from azureml_local.pipeline.builder import PipelineData, PipelineStep
from azureml_local.pipeline.builder_args import input_port_name
from azureml_local.pipeline.builder_io import is_data_reference
from azureml_local.pipeline.steps.arg_checks import required
from azureml_local.pipeline.graph import InputPortBinding, _PipelineIO, datapath_datastore_name

OUTPUT_PORT_NAME = "_data_transfer_output"
REFERENCE_TYPES = ("file", "directory")


class DataTransferStep(PipelineStep):
    """Transfer data between storage options (blob, file share, data lake datastores)."""

    _execution_type = "DataTransferCloud"
    _step_version = 2

    def __init__(self, name: str, source_data_reference: Any = None, destination_data_reference: Any = None,
                 compute_target: Any = None, source_reference_type: str | None = None,
                 destination_reference_type: str | None = None, allow_reuse: bool = True):
        required("name", name, str)
        for arg, value in (("source_data_reference", source_data_reference),
                           ("destination_data_reference", destination_data_reference),
                           ("compute_target", compute_target)):
            required(arg, value)
        if isinstance(source_data_reference, tuple):
            _PipelineIO._validate(source_data_reference)
            source_data_reference = _PipelineIO.create(source_data_reference)
        if isinstance(destination_data_reference, tuple):
            _PipelineIO._validate(destination_data_reference)
            destination_data_reference = _PipelineIO.create(destination_data_reference)
        self._compute_target = compute_target
        self._allow_reuse = allow_reuse
        self._source_data_reference = source_data_reference
        self._destination_data_reference = destination_data_reference
        self._source_reference_type = source_reference_type
        self._destination_reference_type = destination_reference_type
        self._output = _output_from_destination(destination_data_reference)
        self._output._set_producer(self)
        super().__init__(name, inputs=[source_data_reference, destination_data_reference], outputs=[self._output])

    def get_output(self) -> PipelineData:
        """The step's output as ``PipelineData``: a later step that takes it as an input waits for the copy."""
        return self._output

    def _definition(self, ctx: Any) -> dict:
        copy_options = copy_options_param(self._source_reference_type, self._destination_reference_type)
        return {
            "kind": self.step_type,
            "compute_target": _data_factory_name(ctx.workspace, self._compute_target),
            "params": {"Command": "DataCopy", "Version": self._step_version,
                       "SourceInputName": input_port_name(self._source_data_reference),
                       "DestinationInputName": input_port_name(self._destination_data_reference),
                       "OutputName": self._output._output_name,
                       **({"CopyOptions": copy_options} if copy_options else {})},
            "copy_options": json.loads(copy_options) if copy_options else {},
            "allow_reuse": bool(self._allow_reuse),
            "execution_type": self._execution_type,
            # the destination is an input the copy writes: its content must not defeat reuse
            "written_inputs": [input_port_name(self._destination_data_reference)],
        }


def copy_options_param(source_reference_type: Any, destination_reference_type: Any) -> str | None:
    """The SDK's ``CopyOptions`` JSON (None when neither type is given); its messages for bad values."""
    if source_reference_type is None and destination_reference_type is None:
        return None
    values = ", ".join(REFERENCE_TYPES)
    options = {}
    for name, value in (("source_reference_type", source_reference_type),
                        ("destination_reference_type", destination_reference_type)):
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValueError("{name} must be a string. Possible values include: {values}.".format(name=name,
                                                                                                   values=values))
        if value.lower() not in REFERENCE_TYPES:
            raise ValueError("Unknown value provided for {name}. Possible values include: {values}."
                             .format(name=name, values=values))
        options[name] = value.lower()
    return json.dumps(options)


def _data_factory_name(workspace: Any, compute_target: Any) -> str:
    """The name of the ``DataFactoryCompute`` (an object, or a name looked up in the workspace)."""
    if isinstance(compute_target, DataFactoryCompute):
        return compute_target.name
    if isinstance(compute_target, str):
        try:
            return DataFactoryCompute(workspace, compute_target).name
        except Exception as e:
            raise ValueError("Error in getting data factory compute named `{0}`. Exception: {1}".format(
                compute_target, e))
    raise ValueError("compute_target is not specified correctly")


def _output_from_destination(destination: Any) -> PipelineData:
    """``PipelineData('_data_transfer_output')`` on the destination's datastore (SDK rule)."""
    reference = _destination_reference(destination)
    return PipelineData(name=OUTPUT_PORT_NAME, datastore=reference.datastore, output_mode=reference.mode,
                        output_path_on_compute=reference.path_on_compute, output_overwrite=reference.overwrite)


def _destination_reference(destination: Any) -> Any:
    if is_data_reference(destination):
        return destination
    if isinstance(destination, InputPortBinding):
        if is_data_reference(destination.bind_object):
            return destination.bind_object
        raise ValueError("destination_data_reference has unexpected bind_object type: %s"
                         % type(destination.bind_object))
    if isinstance(destination, _PipelineIO):
        return _DatapathReference(destination)
    raise ValueError("Unexpected destination_data_reference type: %s" % type(destination))


class _DatapathReference:
    """What the output needs from a ``(DataPath, DataPathComputeBinding)`` destination."""

    def __init__(self, io: _PipelineIO):
        datapath = io._datapath if io._datapath is not None else io._datapath_param.default_value
        binding = io._datapath_compute_binding
        self.datastore = datapath_datastore_name(datapath)
        self.mode = getattr(binding, "_mode", None) or "mount"
        self.path_on_compute = getattr(binding, "_path_on_compute", None)
        self.overwrite = getattr(binding, "_overwrite", False)
