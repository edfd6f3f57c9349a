"""Facade table for ``azureml.pipeline.core.*`` and ``azureml.pipeline.steps.*``."""

_P = "azureml_local.pipeline"

# Construction (pipeline construction engineer).
_CORE_CONSTRUCTION = {
    "Pipeline": f"{_P}.pipeline:Pipeline",
    "PipelineStep": f"{_P}.builder:PipelineStep",
    "PipelineData": f"{_P}.builder:PipelineData",
    "StepSequence": f"{_P}.builder:StepSequence",
    "PipelineParameter": f"{_P}.graph:PipelineParameter",
    "InputPortBinding": f"{_P}.graph:InputPortBinding",
    "OutputPortBinding": f"{_P}.graph:OutputPortBinding",
    "TrainingOutput": f"{_P}.graph:TrainingOutput",
}
_STEPS = {
    "PythonScriptStep": f"{_P}.steps.python_script_step:PythonScriptStep",
    "CommandStep": f"{_P}.steps.command_step:CommandStep",
    "EstimatorStep": f"{_P}.steps.estimator_step:EstimatorStep",
    "ParallelRunStep": f"{_P}.steps.parallel_run_step:ParallelRunStep",
    "ParallelRunConfig": f"{_P}.steps.parallel_run_config:ParallelRunConfig",
}

# Execution (pipeline execution engineer).
_RUN = {
    "PipelineRun": f"{_P}.pipeline_run:PipelineRun",
    "StepRun": f"{_P}.step_run:StepRun",
    "StepRunOutput": f"{_P}.step_run:StepRunOutput",
}
_PORT = {"PortDataReference": f"{_P}.port_data_reference:PortDataReference"}

SURFACE: dict[str, dict[str, str]] = {
    "azureml.pipeline.core": dict(_CORE_CONSTRUCTION, **_RUN, **_PORT),
    "azureml.pipeline.core.run": dict(_RUN),
    "azureml.pipeline.core.pipeline": {"Pipeline": f"{_P}.pipeline:Pipeline"},
    "azureml.pipeline.core.builder": {
        "PipelineStep": f"{_P}.builder:PipelineStep",
        "PipelineData": f"{_P}.builder:PipelineData",
        "StepSequence": f"{_P}.builder:StepSequence",
    },
    "azureml.pipeline.core.graph": {
        "PipelineParameter": f"{_P}.graph:PipelineParameter",
        "InputPortBinding": f"{_P}.graph:InputPortBinding",
        "OutputPortBinding": f"{_P}.graph:OutputPortBinding",
        "TrainingOutput": f"{_P}.graph:TrainingOutput",
        **_PORT,
    },
    "azureml.pipeline.core.pipeline_output_dataset": {
        "PipelineOutputAbstractDataset": f"{_P}.builder_datasets:PipelineOutputAbstractDataset",
        "PipelineOutputFileDataset": f"{_P}.builder_datasets:PipelineOutputFileDataset",
        "PipelineOutputTabularDataset": f"{_P}.builder_datasets:PipelineOutputTabularDataset",
    },
    "azureml.pipeline.steps": dict(_STEPS),
    "azureml.pipeline.steps.python_script_step": {"PythonScriptStep": _STEPS["PythonScriptStep"]},
    "azureml.pipeline.steps.command_step": {"CommandStep": _STEPS["CommandStep"]},
    "azureml.pipeline.steps.estimator_step": {"EstimatorStep": _STEPS["EstimatorStep"]},
    "azureml.pipeline.steps.parallel_run_step": {"ParallelRunStep": _STEPS["ParallelRunStep"]},
    "azureml.pipeline.steps.parallel_run_config": {"ParallelRunConfig": _STEPS["ParallelRunConfig"]},
}
