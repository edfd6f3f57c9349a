"""Inside a submitted run or a pipeline step, MLflow calls with no configuration land in that run."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

from azureml.core import Experiment, ScriptRunConfig
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

from azureml_local.engine.env import run_environment

STEP = textwrap.dedent('''
    import os
    import mlflow

    mlflow.log_metric("rows", 42)              # no start_run, no tracking URI: the job's run
    mlflow.log_param("step", os.environ["AZUREML_RUN_ID"][:4])
    mlflow.autolog(disable=True)
    print("URI", mlflow.get_tracking_uri().startswith("azureml-local://"))
''')


def test_job_environment_carries_the_mlflow_variables(ws) -> None:
    run = Experiment(ws, "env").start_logging()
    env = run_environment(ws, run.id, "env", experiment_id=run.experiment.id)
    assert env["MLFLOW_TRACKING_URI"] == ws.get_mlflow_tracking_uri()
    assert env["MLFLOW_RUN_ID"] == run.id
    assert env["MLFLOW_EXPERIMENT_NAME"] == "env" and env["MLFLOW_EXPERIMENT_ID"] == run.experiment.id
    run.complete()


def test_pipeline_step_mlflow_calls_land_on_the_step_run(ws, tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "step.py").write_text(STEP)
    step = PythonScriptStep("step.py", name="mlflow-step", source_directory=str(scripts), compute_target="local",
                            allow_reuse=False)
    pipeline_run = Experiment(ws, "mlflow-pipeline").submit(Pipeline(ws, steps=[step]))
    pipeline_run.wait_for_completion(show_output=False)
    step_run = pipeline_run.find_step_run("mlflow-step")[0]
    assert step_run.get_status() == "Finished"  # the step-run vocabulary
    assert step_run.get_metrics() == {"rows": 42.0}
    assert pipeline_run.get_metrics() == {}
    import mlflow

    mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
    try:
        assert mlflow.get_run(step_run.id).data.params == {"step": step_run.id[:4]}
    finally:
        mlflow.set_tracking_uri(None)


def test_mlflow_end_run_in_a_script_does_not_complete_the_job_early(ws, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(textwrap.dedent('''
        import mlflow
        with mlflow.start_run() as active:
            mlflow.log_metric("a", 1)
        import os
        from azureml.core import Run
        print("SAME", active.info.run_id == os.environ["AZUREML_RUN_ID"])
        print("STATUS", Run.get_context().get_status())
    '''))
    run = Experiment(ws, "end-run").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion()
    run.download_file("user_logs/std_log.txt", str(tmp_path / "std_log.txt"))
    log = (tmp_path / "std_log.txt").read_text()
    assert run.get_status() == "Completed"
    assert run.get_metrics() == {"a": 1.0}
    assert "SAME True" in log and "STATUS Running" in log, log
    assert os.environ.get("MLFLOW_RUN_ID") is None  # the job's variables stay in the job
