"""DataTransferStep construction: the SDK's checks and messages, get_output, the definition."""
from __future__ import annotations

import json

import pytest


@pytest.fixture
def refs(ws):
    from azureml.core import Datastore
    from azureml.core.compute import ComputeTarget, DataFactoryCompute
    from azureml.data.data_reference import DataReference

    ComputeTarget.attach(ws, "adf", DataFactoryCompute.attach_configuration(resource_group="rg", factory_name="f"))
    store = Datastore(ws, "workspaceblobstore")
    return DataReference(store, "src", "in"), DataReference(store, "dst", "out")


@pytest.mark.parametrize("kwargs, message", [
    ({"name": None}, "name is required"),
    ({"name": 3}, "name must be a string"),
    ({"source_data_reference": None}, "source_data_reference is required"),
    ({"destination_data_reference": None}, "destination_data_reference is required"),
    ({"compute_target": None}, "compute_target is required"),
    ({"destination_data_reference": "a string"}, "Unexpected destination_data_reference type: <class 'str'>"),
])
def test_constructor_errors(refs, kwargs, message):
    from azureml.pipeline.steps import DataTransferStep

    args = dict(name="copy", source_data_reference=refs[0], destination_data_reference=refs[1], compute_target="adf")
    args.update(kwargs)
    with pytest.raises(ValueError) as info:
        DataTransferStep(**args)
    assert str(info.value) == message


def test_destination_binding_must_hold_a_data_reference(refs):
    from azureml.pipeline.core import PipelineData
    from azureml.pipeline.core.graph import InputPortBinding
    from azureml.pipeline.steps import DataTransferStep

    binding = InputPortBinding("dst", PipelineData("p"))
    with pytest.raises(ValueError, match="destination_data_reference has unexpected bind_object type"):
        DataTransferStep("copy", refs[0], binding, compute_target="adf")


@pytest.mark.parametrize("kwargs, message", [
    ({"source_reference_type": 1}, "source_reference_type must be a string. Possible values include: file, directory."),
    ({"destination_reference_type": "blob"},
     "Unknown value provided for destination_reference_type. Possible values include: file, directory."),
])
def test_reference_type_errors_surface_when_the_pipeline_is_built(ws, refs, kwargs, message):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import DataTransferStep

    step = DataTransferStep("copy", refs[0], refs[1], compute_target="adf", **kwargs)
    with pytest.raises(ValueError) as info:
        Pipeline(ws, [step])
    assert str(info.value) == message


def test_compute_target_must_be_a_data_factory(ws, refs):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import DataTransferStep

    with pytest.raises(ValueError, match="Error in getting data factory compute named `nope`"):
        Pipeline(ws, [DataTransferStep("copy", refs[0], refs[1], compute_target="nope")])
    with pytest.raises(ValueError, match="compute_target is not specified correctly"):
        Pipeline(ws, [DataTransferStep("copy", refs[0], refs[1], compute_target=42)])


def test_get_output_and_the_definition(ws, refs):
    from azureml.core.compute import DataFactoryCompute
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import DataTransferStep

    step = DataTransferStep("copy", refs[0], refs[1], compute_target=DataFactoryCompute(ws, "adf"),
                            source_reference_type="Directory", destination_reference_type="directory")
    output = step.get_output()
    assert isinstance(output, PipelineData) and output.name == "_data_transfer_output"
    assert output.datastore.name == "workspaceblobstore"
    described = Pipeline(ws, [step])._described[0]
    assert described["kind"] == "DataTransferStep" and described["compute_target"] == "adf"
    assert described["params"]["Command"] == "DataCopy" and described["params"]["Version"] == 2
    assert json.loads(described["params"]["CopyOptions"]) == {"source_reference_type": "directory",
                                                               "destination_reference_type": "directory"}
    assert [i["name"] for i in described["inputs"]] == ["src", "dst"]
    assert described["written_inputs"] == ["dst"]
