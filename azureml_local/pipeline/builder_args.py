"""The SDK's step-construction rules for arguments, inputs and outputs (builder.py:104-886).

``process_arguments_and_io`` rewrites dataset objects in ``arguments`` into their
``DatasetConsumptionConfig:<name>`` / ``DatasetOutputConfig:<name>`` placeholders and adds
them to inputs/outputs; the validators raise the SDK's ``ValueError`` messages.
``annotate`` (used when the definition is built) maps each argument to the definition's
``{"literal"|"input"|"output"|"parameter"}`` form plus the SDK's annotated text for the
fingerprint.
"""
from __future__ import annotations

import re
from typing import Any

from azureml_local.jobs.placeholders import INPUT_TEMPLATE, OUTPUT_TEMPLATE
from azureml_local.pipeline.builder_io import (
    is_a, is_consumption, is_data_reference, is_dataset, is_output_config, is_port_data_reference,
)
from azureml_local.pipeline.graph import InputPortBinding, PipelineParameter, _PipelineIO

_INVALID = re.compile(r"\W")


def _is_pipeline_data(obj: Any) -> bool:
    return is_a(obj, "PipelineData")


def _is_output_dataset(obj: Any) -> bool:
    return is_a(obj, "PipelineOutputAbstractDataset")


def _contains(items: list, obj: Any) -> bool:
    return any(i is obj for i in items)


def _index(items: list, obj: Any) -> int:
    return next(n for n, i in enumerate(items) if i is obj)


def process_arguments_and_io(arguments: list, inputs: list, outputs: list) -> None:
    """Tuples -> ``_PipelineIO``; dataset objects in arguments -> placeholders (SDK builder.py:593-643)."""
    made: dict[int, Any] = {}
    for items in (arguments, inputs, outputs):
        for n, value in enumerate(items):
            if isinstance(value, tuple):
                key = id(value)
                if key not in made:
                    made[key] = _PipelineIO.create(value)
                items[n] = made[key]
    for i, argument in enumerate(arguments):
        if is_dataset(argument):
            raise ValueError("Datasets cannot be used directly as arguments. Please make sure you've "
                             "called the as_named_input method on the dataset object.")
        if is_output_config(argument):
            if _contains(inputs, argument):
                consumed = argument.as_input()
                arguments[i] = INPUT_TEMPLATE.format(consumed.name)
                inputs[_index(inputs, argument)] = consumed
            else:
                arguments[i] = OUTPUT_TEMPLATE.format(argument.name)
                if not _contains(outputs, argument):
                    outputs.append(argument)
            continue
        if not is_consumption(argument) and not _is_output_dataset(argument):
            continue
        if _contains(outputs, argument):
            if not _is_output_dataset(argument):
                raise ValueError("Argument {} cannot be used as an output".format(argument))
            arguments[i] = "$AZUREML_DATAREFERENCE_{0}".format(argument._output_name)
            continue
        name = argument.input_name if _is_output_dataset(argument) else argument.name
        arguments[i] = INPUT_TEMPLATE.format(name)
        if not _contains(inputs, argument):
            inputs.append(argument)
    for i, value in enumerate(inputs):
        if is_output_config(value):
            inputs[i] = value.as_input()


def validate_io_types(inputs: list, outputs: list, resource_inputs: list) -> None:
    """Reject raw datasets and unknown objects as ports (SDK messages)."""
    def check_input(value: Any) -> None:
        if is_dataset(value):
            raise ValueError(
                "{} cannot be directly used as a step's input. ".format(type(value))
                + "Please call the as_named_input method on {} and ".format(type(value))
                + "pass the returned DatasetConsumptionConfig instance into the step.")
        if not (_is_pipeline_data(value) or is_a(value, "InputPortBinding", "_PipelineIO", "PipelineDataset")
                or is_data_reference(value) or is_port_data_reference(value) or is_consumption(value)
                or _is_output_dataset(value)):
            raise ValueError("Unexpected input type: %s" % type(value))

    for value in list(inputs) + list(resource_inputs):
        check_input(value)
    for value in outputs:
        if not (_is_pipeline_data(value) or is_a(value, "OutputPortBinding") or _is_output_dataset(value)
                or is_output_config(value)):
            raise ValueError("Unexpected output type: %s" % type(value))


def input_port_name(value: Any) -> str:
    if is_data_reference(value) or is_port_data_reference(value):
        return value.data_reference_name
    if _is_output_dataset(value):
        return value.input_name
    return value.name


def output_port_name(value: Any) -> str:
    if is_output_config(value):
        return value.name
    return value._output_name


def assert_valid_port_names(input_names: list, output_names: list, fix_collisions: bool) -> None:
    def valid(names: list, kind: str) -> None:
        for name in names:
            if _INVALID.search(name):
                raise ValueError("[{0}] is not a valid {1} name as it may contain only letters, "
                                 "digits, and underscores.".format(name, kind))

    def unique(names: list, kind: str, seen: set | None = None) -> None:
        seen = set() if seen is None else seen
        for name in names:
            if name in seen:
                raise ValueError("[{0}] is repeated. {1} port names must be unique.".format(name, kind.capitalize()))
            seen.add(name)

    valid(input_names, "input")
    unique(input_names, "input")
    valid(output_names, "output")
    unique(output_names, "output")
    if not fix_collisions:
        unique(input_names, "Input and Output", set(output_names))


def fix_port_name_collisions(inputs: list, output_names: list, arguments: list) -> tuple[list, list]:
    """Inputs named like an output are renamed ``INPUT_<name>`` (PythonScriptStep behaviour)."""
    taken = set(output_names)
    changed: list[tuple[Any, Any]] = []
    new_inputs = []
    for value in inputs:
        name = input_port_name(value)
        if name not in taken:
            new_inputs.append(value)
            continue
        new_name = "INPUT_{0}".format(name)
        if is_consumption(value):
            import copy

            renamed = copy.copy(value)
            renamed._name = new_name
            if hasattr(renamed, "arg_val"):
                renamed.arg_val = INPUT_TEMPLATE.format(new_name)
        elif isinstance(value, InputPortBinding):
            renamed = InputPortBinding(new_name, value.bind_object, value.bind_mode, value.path_on_compute,
                                       value.overwrite)
        else:
            mode = getattr(value, "mode", None) or "mount"
            renamed = InputPortBinding(new_name, value, mode if mode in ("mount", "download") else "mount",
                                       getattr(value, "path_on_compute", None), getattr(value, "overwrite", None))
        changed.append((value, renamed))
        new_inputs.append(renamed)
    new_arguments = []
    for arg in arguments:
        match = next((new for old, new in changed if old is arg), None)
        if match is None and isinstance(arg, str):
            match = next((INPUT_TEMPLATE.format(new.name) for old, new in changed
                          if is_consumption(old) and arg == INPUT_TEMPLATE.format(old.name)), None)
        new_arguments.append(arg if match is None else match)
    return new_inputs, new_arguments


def _bound_to(value: Any, target: Any) -> bool:
    return value is target or (is_a(value, "InputPortBinding") and value.bind_object is target)


def validate_arguments(arguments: list, inputs: list, outputs: list) -> None:
    """Ports named in ``arguments`` must be in the step's inputs/outputs (SDK builder.py:674-743)."""
    for arg in arguments:
        if is_a(arg, "InputPortBinding"):
            if not any(i is arg or i is arg.bind_object for i in inputs):
                raise ValueError("Input %s appears in arguments list but is not in the input list" % arg.name)
        elif _is_pipeline_data(arg):
            if not _contains(outputs, arg) and not any(_bound_to(i, arg) for i in inputs):
                raise ValueError("Input/Output %s appears in arguments list but is not in the input/output lists"
                                 % arg.name)
        elif isinstance(arg, _PipelineIO):
            if not _contains(inputs, arg):
                raise ValueError("Parameterized datapath {0} is not in input list".format(arg.name))
        elif is_data_reference(arg) or is_port_data_reference(arg):
            if not any(_bound_to(i, arg) for i in inputs):
                raise ValueError("Input %s appears in arguments list but is not in the input list"
                                 % arg.data_reference_name)
        elif is_a(arg, "OutputPortBinding"):
            if not _contains(outputs, arg):
                raise ValueError("Output %s appears in arguments list but is not in the output list" % arg.name)


def collect_parameters(arguments: list, inputs: list, params: dict | None, runconfig_params: dict | None) -> list:
    """All ``PipelineParameter`` objects a step uses; same name with two defaults is the SDK's error."""
    found: dict[str, Any] = {}

    def add(param: Any) -> None:
        if not isinstance(param, PipelineParameter):
            return
        known = found.get(param.name)
        if known is not None and known.default_value != param.default_value:
            raise Exception("Pipeline parameters with same name {0} but different values {1}, {2} used"
                            .format(param.name, known.default_value, param.default_value))
        found.setdefault(param.name, param)

    for arg in arguments:
        add(arg)
    for value in inputs:
        if is_consumption(value):
            add(value.dataset)
        elif isinstance(value, _PipelineIO):
            add(value.as_pipeline_parameter())
        elif is_a(value, "InputPortBinding") and isinstance(value.bind_object, _PipelineIO):
            add(value.bind_object.as_pipeline_parameter())
    for value in (params or {}).values():
        add(value)
    for value in (runconfig_params or {}).values():
        add(value)
    return list(found.values())
