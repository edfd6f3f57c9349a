"""The seed document's second half: publish, call the REST endpoint, parameters over REST, schedules.

Run by ``run_pipeline.py`` after the first half (it needs the finished ``training-pipeline`` runs).
The seed's blocks are marked ``seed block`` and kept as written; the lines around them only give them
what the notes' notebook had defined before (``pipeline``, ``auth_header``, ``published_pipeline_id``,
a ``blob_data`` datastore) and read the outcomes back.
"""
from __future__ import annotations

from typing import Any

import azureml.core
from azureml.data import OutputFileDatasetConfig
from azureml.core.authentication import InteractiveLoginAuthentication
from azureml.pipeline.core import Pipeline, PipelineRun
from azureml.pipeline.steps import PythonScriptStep


def follow(ws: Any, experiment_name: str, run_id: str, title: str) -> str:
    """Wait for a run started over REST or by a schedule; print its steps' metrics."""
    print(f"\n=== {title} ===")
    run = PipelineRun(ws.experiments[experiment_name], run_id)
    status = run.wait_for_completion(show_output=False)
    print(f"PipelineRun {run.id} ({experiment_name}): {status}")
    for step_run in run.get_steps():
        print(f"  step {step_run.name!r}: {step_run.get_status()} metrics={step_run.get_metrics()}")
    return status


def second_half(ws: Any, train_pipeline: Pipeline, raw_ds: Any) -> list[str]:
    """Publish, POST, parameters over REST, a daily and a data-change schedule; returns the runs' statuses."""
    statuses = []
    pipeline = train_pipeline  # the notes publish "pipeline": the training pipeline built above

    # ---- seed block: publish (verbatim) -------------------------------------------------------------
    published_pipeline = pipeline.publish(name='training_pipeline',
                                          description='Model training pipeline',
                                          version='1.0')
    # ---- end of seed block --------------------------------------------------------------------------
    print(published_pipeline)

    # ---- seed block: publish from the latest run (verbatim) ------------------------------------------
    # Get the most recent run of the pipeline
    pipeline_experiment = ws.experiments.get('training-pipeline')
    run = list(pipeline_experiment.get_runs())[0]

    # Publish the pipeline from the run
    published_pipeline = run.publish_pipeline(name='training_pipeline',
                                              description='Model training pipeline',
                                              version='1.0')
    # ---- end of seed block --------------------------------------------------------------------------

    # ---- seed block: the endpoint (verbatim) --------------------------------------------------------
    rest_endpoint = published_pipeline.endpoint
    print(rest_endpoint)
    # ---- end of seed block --------------------------------------------------------------------------

    # the notes' "token for a principal allowed to run the pipeline" (Azure AD is the one thing mocked)
    auth_header = InteractiveLoginAuthentication().get_authentication_header()

    # ---- seed block: call the endpoint (verbatim) ----------------------------------------------------
    import requests

    response = requests.post(rest_endpoint,
                             headers=auth_header,
                             json={"ExperimentName": "run_training_pipeline"})
    run_id = response.json()["Id"]
    print(run_id)
    # ---- end of seed block --------------------------------------------------------------------------
    statuses.append(follow(ws, "run_training_pipeline", run_id, "REST run of the published pipeline"))

    # ---- seed block: a pipeline parameter (the notes' "..." written out; train_model.py, an input) ------
    from azureml.pipeline.core.graph import PipelineParameter

    reg_param = PipelineParameter(name='reg_rate', default_value=0.01)

    prepped_data = OutputFileDatasetConfig('prepped')
    step1 = PythonScriptStep(name = 'prepare data',
                             source_directory = 'scripts',
                             script_name = 'data_prep.py',
                             compute_target = 'aml-cluster',
                             arguments = ['--raw-ds', raw_ds.as_named_input('raw_data'),
                                          '--out_folder', prepped_data])

    step2 = PythonScriptStep(name = 'train model',
                             source_directory = 'scripts',
                             script_name = 'train_model.py',  # the notes say data_prep.py, which reads no --reg
                             compute_target = 'aml-cluster',
                             # Pass parameter as script argument
                             arguments=['--in_folder', prepped_data.as_input(),  # the notes: prepped_data
                                        '--reg', reg_param])
    # ---- end of seed block --------------------------------------------------------------------------
    parameter_pipeline = Pipeline(ws, steps=[step1, step2])
    published_pipeline = parameter_pipeline.publish(name='training_pipeline_with_reg_rate',
                                                    description='Model training pipeline, reg_rate parameter',
                                                    version='1.0')
    rest_endpoint = published_pipeline.endpoint

    # ---- seed block: run with a parameter (verbatim) ------------------------------------------------
    response = requests.post(rest_endpoint,
                             headers=auth_header,
                             json={"ExperimentName": "run_training_pipeline",
                                   "ParameterAssignments": {"reg_rate": 0.1}})
    # ---- end of seed block --------------------------------------------------------------------------
    statuses.append(follow(ws, "run_training_pipeline", response.json()["Id"],
                           "REST run with ParameterAssignments {'reg_rate': 0.1} (see the train step's reg_rate)"))

    # ---- seed block: a daily schedule (verbatim) ----------------------------------------------------
    from azureml.pipeline.core import ScheduleRecurrence, Schedule

    daily = ScheduleRecurrence(frequency='Day', interval=1)
    pipeline_schedule = Schedule.create(ws, name='Daily Training',
                                        description='trains model every day',
                                        pipeline_id=published_pipeline.id,
                                        experiment_name='Training_Pipeline',
                                        recurrence=daily)
    # ---- end of seed block --------------------------------------------------------------------------
    print(pipeline_schedule)
    first = _first_run(pipeline_schedule)  # with no start_time the first run starts at creation, as in Azure
    statuses.append(follow(ws, "Training_Pipeline", first.id, "the daily schedule's first run (at creation)"))
    pipeline_schedule.disable()

    # the notes' data-change schedule watches a 'blob_data' datastore: register one (a container of Azurite)
    default = ws.get_default_datastore()
    azureml.core.Datastore.register_azure_blob_container(
        ws, datastore_name='blob_data', container_name='blob-data', account_name=default.account_name,
        account_key=default.account_key, create_if_not_exists=True)
    published_pipeline_id = published_pipeline.id

    # ---- seed block: a data-change schedule (verbatim) ----------------------------------------------
    from azureml.core import Datastore
    from azureml.pipeline.core import Schedule

    training_datastore = Datastore(workspace=ws, name='blob_data')
    pipeline_schedule = Schedule.create(ws, name='Reactive Training',
                                        description='trains model on data change',
                                        pipeline_id=published_pipeline_id,
                                        experiment_name='Training_Pipeline',
                                        datastore=training_datastore,
                                        path_on_datastore='data/training')
    # ---- end of seed block --------------------------------------------------------------------------
    print(pipeline_schedule)
    print(f"It polls blob_data/data/training every {pipeline_schedule.polling_interval} minutes and starts one run"
          " per new or changed blob (azureml-local schedule history shows each fire).")
    pipeline_schedule.disable()  # so the workspace service may stop when this job ends
    return statuses


def _first_run(schedule: Any, timeout: float = 60.0) -> Any:
    """The schedule's first run, once the workspace service has started it."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = schedule.get_last_pipeline_run()
        if run is not None:
            return run
        time.sleep(0.2)
    raise TimeoutError(f"The schedule {schedule.id} started no run within {timeout:.0f} s: "
                       f"see `azureml-local schedule history {schedule.id}`.")

