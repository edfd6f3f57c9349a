"""The seed document's pipeline, end to end, on this machine.

Sets up the workspace the seed's code assumes (``ws`` from ``config.json``, the raw CSV
uploaded to the default datastore and registered as ``raw_dataset``, an experiment and a
``run_config``), then runs the seed's code blocks **as written** (marked ``seed block``):

1. the two-step ``OutputFileDatasetConfig`` pipeline (``data_prep.py`` -> ``train_model.py``),
   submitted, then submitted again (every step reused);
2. the ``allow_reuse=False`` step (with the seed's stray ``)`` removed);
3. ``experiment.submit(train_pipeline, regenerate_outputs=True)`` (every step re-runs);
4. the second half (``publish_and_schedule.py``): ``pipeline.publish``, ``run.publish_pipeline``, a REST
   POST with an authorization header, ``ParameterAssignments`` over REST, a daily schedule (its first
   run starts at creation) and a data-change schedule.

Run it with ``bash scripts/run_seed.sh`` from the repository root, or ``python run_pipeline.py`` here.
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.chdir(HERE)  # the seed's steps use source_directory='scripts'

from azureml.core import Dataset, Experiment, Workspace  # noqa: E402
from azureml.core.compute import AmlCompute, ComputeTarget  # noqa: E402
from azureml.core.runconfig import RunConfiguration  # noqa: E402
from azureml.pipeline.core import Pipeline  # noqa: E402


def setup() -> Workspace:
    """The workspace, compute, data and registered dataset the seed's code expects to exist."""
    ws = Workspace.from_config()
    if "aml-cluster" not in ws.compute_targets:  # created once, as in the portal or a setup notebook
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=2)
        ComputeTarget.create(ws, "aml-cluster", config).wait_for_completion(show_output=False)
    datastore = ws.get_default_datastore()
    datastore.upload_files([str(HERE / "data" / "raw_data.csv")], target_path="seed/raw", overwrite=True,
                           show_progress=False)
    raw = Dataset.Tabular.from_delimited_files(path=(datastore, "seed/raw/raw_data.csv"))
    raw.register(ws, "raw_dataset", description="The seed's raw data (col1, col2, col3, label)",
                 create_new_version=True)
    return ws


def report(title: str, pipeline_run) -> str:
    """Wait, then print each step's status, whether it was reused, and its metrics."""
    print(f"\n=== {title} ===")
    status = pipeline_run.wait_for_completion(show_output=True)
    print(f"PipelineRun {pipeline_run.id}: {status}")
    for step_run in pipeline_run.get_steps():
        note = f"reused the outputs of run {step_run.id}" if getattr(step_run, "_is_reused", False) else "ran"
        print(f"  step {step_run.name!r}: {step_run.get_status()} ({note}) metrics={step_run.get_metrics()}")
    return status


ws = setup()
experiment = Experiment(ws, "training-pipeline")
run_config = RunConfiguration()

# ---- seed block (verbatim) --------------------------------------------------------------------------
# Input

from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.steps import PythonScriptStep, EstimatorStep

raw_ds = Dataset.get_by_name(ws, 'raw_dataset')

data_store = ws.get_default_datastore()                                                        
prepped_data = OutputFileDatasetConfig('prepped')                                               # Creamos un objeto OutputFileDatasetConfig con la ubicación de salida


step1 = PythonScriptStep(name = 'prepare data',                                                 # Creamos el primer paso del pipeline para ejecutar data_prep.py
                         source_directory = 'scripts',
                         script_name = 'data_prep.py',
                         compute_target = 'aml-cluster',
                         
                         # Los argumentos del script incluyen PipelineData
                         arguments = ['--raw-ds', raw_ds.as_named_input('raw_data'),            # Pasamos el conjunto de datos como argumento
                                      '--out_folder', prepped_data])                            # Pasamos la ubicación de salida como argumento 


step2 = PythonScriptStep(name = 'train model',                                                  # Creamos el segundo paso del pipeline para ejecutar train_model.py                                                             
                         source_directory = 'scripts',
                         script_name = 'train_model.py',
                         compute_target = 'aml-cluster',
                         
                         # Pasamos como argumento del script
                         arguments=['--training-data', prepped_data.as_input()])                # Pasamos la ubicación de salida como argumento
# ---- end of seed block ----------------------------------------------------------------------------

train_pipeline = Pipeline(ws, steps=[step1, step2])  # "se asignan al pipeline y se ejecutan como un experimento"
statuses = [report("first run", experiment.submit(train_pipeline))]
statuses.append(report("second run (nothing changed: every step is reused)", experiment.submit(train_pipeline)))

# ---- seed block: allow_reuse=False (verbatim but for the stray ')' after arguments) ---------------
step1 = PythonScriptStep(name = 'prepare data',
                         source_directory = 'scripts',
                         script_name = 'data_prep.py',
                         compute_target = 'aml-cluster',
                         runconfig = run_config,
                         inputs=[raw_ds.as_named_input('raw_data')],
                         outputs=[prepped_data],
                         arguments = ['--folder', prepped_data],
                         # Disable step reuse
                         allow_reuse = False)
# ---- end of seed block ----------------------------------------------------------------------------
print(f"\nThe allow_reuse=False step {step1.name!r} would pass {step1._arguments} and never be reused "
      "(the seed's data_prep.py reads --out_folder, so it is not submitted here with '--folder').")

# ---- seed block: regenerate_outputs (verbatim) ----------------------------------------------------
pipeline_run = experiment.submit(train_pipeline, regenerate_outputs=True)
# ---- end of seed block ----------------------------------------------------------------------------
statuses.append(report("third run (regenerate_outputs=True: every step runs again)", pipeline_run))

# ---- the seed's second half: publish, REST, parameters, schedules (publish_and_schedule.py) ----------
from publish_and_schedule import second_half  # noqa: E402

statuses += second_half(ws, train_pipeline, raw_ds)

print("\nAll runs:", ", ".join(statuses))
sys.exit(0 if all(s == "Finished" for s in statuses) else 1)
