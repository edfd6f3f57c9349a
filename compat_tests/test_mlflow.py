"""The official course notebook's MLflow cells, unmodified in shape (mslearn-dp100 "Track experiments with
MLflow"): set the tracking URI from the workspace, log in an MLflow run, then read it through the SDK; and a
submitted script that uses only MLflow calls, whose metrics land on the submitted run."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mlflow", reason="MLflow is the optional extra azureml-local[mlflow]")

INTERACTIVE = textwrap.dedent('''
    from azureml.core import Workspace, Experiment
    import pandas as pd
    import mlflow

    ws = Workspace.from_config()

    # Set the MLflow tracking URI to the workspace
    mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())

    # Create an Azure ML experiment in your workspace
    experiment = Experiment(workspace=ws, name='mslearn-diabetes-mlflow')
    mlflow.set_experiment(experiment.name)

    # start the MLflow experiment
    with mlflow.start_run():
        print("Starting experiment:", experiment.name)
        # Load data
        data = pd.read_csv('data/diabetes.csv')
        # Count the rows and log the result
        row_count = (len(data))
        mlflow.log_metric('observations', row_count)
        print("Run complete")

    # Get the latest run of the experiment
    run = list(experiment.get_runs())[0]

    # Get logged metrics
    print("\\nMetrics:")
    metrics = run.get_metrics()
    for key in metrics.keys():
            print(key, metrics.get(key))

    # Get a link to the experiment in Azure ML studio
    experiment_url = experiment.get_portal_url()
    print('See details at', experiment_url)
''')

SCRIPT = textwrap.dedent('''
    from azureml.core import Run
    import pandas as pd
    import mlflow


    # start the MLflow experiment
    with mlflow.start_run():
        # Load data
        data = pd.read_csv('diabetes.csv')
        # Count the rows and log the result
        row_count = (len(data))
        print('observations:', row_count)
        mlflow.log_metric('observations', row_count)
        for epoch in range(3):
            mlflow.log_metric('loss', 1.0 / (epoch + 1), step=epoch)
        mlflow.log_param('source', 'diabetes.csv')
        mlflow.set_tag('framework', 'none')
        mlflow.log_dict({'rows': row_count}, 'outputs/summary.json')
        with mlflow.start_run(nested=True):
            mlflow.log_metric('inner', 1)
''')

SUBMIT = textwrap.dedent('''
    from azureml.core import Workspace, Experiment, ScriptRunConfig

    ws = Workspace.from_config()
    experiment_folder = 'mlflow-experiment-files'

    # Create a script config
    script_mlflow = ScriptRunConfig(source_directory=experiment_folder,
                                    script='mlflow_diabetes.py')

    # submit the experiment
    experiment = Experiment(workspace=ws, name='mslearn-diabetes-mlflow')
    run = experiment.submit(config=script_mlflow)
    run.wait_for_completion()

    # Get logged metrics
    metrics = run.get_metrics()
    for key in metrics.keys():
            print(key, metrics.get(key))
    print('STATUS', run.get_status())
    print('TAGS', run.get_tags().get('framework'))
    print('FILES', 'outputs/summary.json' in run.get_file_names())
    print('CHILDREN', [c.get_metrics() for c in run.get_children()])
    print('RUNS', [r.id for r in experiment.get_runs()] == [run.id])
''')


def _diabetes(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Pregnancies,Age,Diabetic\n" + "".join(f"{i % 5},{20 + i},{i % 2}\n" for i in range(12)))


def test_notebook_mlflow_cells_land_in_the_experiment(ws) -> None:
    _diabetes(Path("data/diabetes.csv"))
    Path("notebook.py").write_text(INTERACTIVE)
    out = subprocess.run([sys.executable, "notebook.py"], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert "Starting experiment: mslearn-diabetes-mlflow\nRun complete\n" in out.stdout
    assert "\nMetrics:\nobservations 12.0\n" in out.stdout
    assert "See details at " in out.stdout


def test_submitted_script_with_only_mlflow_calls(ws) -> None:
    _diabetes(Path("mlflow-experiment-files/diabetes.csv"))
    Path("mlflow-experiment-files/mlflow_diabetes.py").write_text(SCRIPT)
    Path("submit.py").write_text(SUBMIT)
    out = subprocess.run([sys.executable, "submit.py"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "observations 12.0\n" in text
    assert "loss [1.0, 0.5, 0.3333333333333333]\n" in text
    assert "STATUS Completed\n" in text and "TAGS none\n" in text and "FILES True\n" in text
    assert "CHILDREN [{'inner': 1.0}]\n" in text
    assert "RUNS True\n" in text
