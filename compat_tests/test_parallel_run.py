"""SDK-shaped ParallelRunStep pipelines, as the docs and samples write them (public SDK v1 API only).

(a) Batch scoring of a folder of files: a registered model loaded in ``init()`` with
``Model.get_model_path``, ``EntryScript().logger``, ``append_row`` to the default
``parallel_run_step.txt``. (b) A tabular ParallelRunStep with ``partition_keys``: one mini batch per
(Store, Brand), ``run(mini_batch, mini_batch_context)``, ``append_row_file_name``.
"""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pandas as pd

SCORE_FILES = textwrap.dedent("""
    import argparse, json, os
    from azureml.core.model import Model
    from azureml_user.parallel_run import EntryScript

    def init():
        global threshold
        parser = argparse.ArgumentParser()
        parser.add_argument('--model_name', dest='model_name', required=True)
        args, _ = parser.parse_known_args()
        threshold = json.load(open(Model.get_model_path(args.model_name)))['threshold']
        EntryScript().logger.info('model loaded, threshold %s', threshold)

    def run(mini_batch):
        EntryScript().logger.info('scoring %d files', len(mini_batch))
        results = []
        for path in mini_batch:
            value = int(open(path).read())
            results.append('{}: {}'.format(os.path.basename(path), 'high' if value > threshold else 'low'))
        return results
""")

SUMMARIZE = textwrap.dedent("""
    def init():
        pass

    def run(mini_batch, mini_batch_context):
        key = mini_batch_context.partition_key_value
        mini_batch['total_income'] = mini_batch['INCOME'].sum()
        mini_batch['partition_rows'] = len(mini_batch_context.dataset.to_pandas_dataframe())
        return mini_batch[['Store', 'Brand', 'INCOME', 'total_income', 'partition_rows']]
""")


def _source(tmp_path: Path, name: str, text: str) -> str:
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return str(folder)


def _environment():
    from azureml.core import Environment
    from azureml.core.conda_dependencies import CondaDependencies

    env = Environment(name="batch_environment")
    env.python.conda_dependencies = CondaDependencies.create(
        pip_packages=["azureml-core", "azureml-dataset-runtime[pandas,fuse]"])
    return env


def _cluster(ws):
    from azureml.core.compute import AmlCompute, ComputeTarget

    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", min_nodes=0, max_nodes=2)
    target = ComputeTarget.create(ws, "cpu-cluster", config)
    target.wait_for_completion(show_output=False)
    return target


def _output_text(step_run, output_name: str, file_name: str, tmp_path: Path) -> str:
    output = step_run.get_output_data(output_name)
    target = tmp_path / output_name
    output.download(local_path=str(target))
    return (target / output.path_on_datastore / file_name).read_text()


def test_batch_scoring_a_folder_of_files(ws, tmp_path):
    from azureml.core import Dataset, Experiment, Model
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    images = tmp_path / "images"
    images.mkdir()
    for i in range(23):
        (images / f"img{i:02d}.txt").write_text(str(i))
    datastore = ws.get_default_datastore()
    datastore.upload(str(images), target_path="batchscoring/images", overwrite=True, show_progress=False)
    (tmp_path / "model.json").write_text('{"threshold": 10}')
    Model.register(ws, model_path=str(tmp_path / "model.json"), model_name="threshold-model")

    input_images = Dataset.File.from_files((datastore, "batchscoring/images/"))
    output_dir = PipelineData(name="inferences", datastore=datastore)
    config = ParallelRunConfig(source_directory=_source(tmp_path, "score.py", SCORE_FILES), entry_script="score.py",
                               mini_batch_size="5", error_threshold=10, output_action="append_row",
                               environment=_environment(), compute_target=_cluster(ws), node_count=1,
                               process_count_per_node=2)
    step = ParallelRunStep(name="batch-score-images", parallel_run_config=config,
                           inputs=[input_images.as_named_input("input_images")], output=output_dir,
                           arguments=["--model_name", "threshold-model"], allow_reuse=False)
    run = Experiment(ws, "batch-scoring").submit(Pipeline(ws, steps=[step]))
    assert run.wait_for_completion(show_output=False) == "Finished"

    step_run = run.find_step_run("batch-score-images")[0]
    rows = sorted(_output_text(step_run, "inferences", "parallel_run_step.txt", tmp_path).splitlines())
    assert rows == sorted(f"img{i:02d}.txt: {'high' if i > 10 else 'low'}" for i in range(23))
    names = step_run.get_file_names()
    assert "logs/user/entry_script_log/node0/process000.log.txt" in names
    assert "logs/job_result.txt" in names
    logs = step_run.get_details_with_logs()["logFiles"]
    entry_logs = "".join(v for k, v in logs.items() if k.startswith("logs/user/entry_script_log/"))
    assert entry_logs.count("model loaded, threshold 10") == 2  # init() once in each of the 2 workers
    assert entry_logs.count("scoring") == 5  # 23 files, 5 per mini batch
    assert "5/5 mini batches processed, 0 failed; 23 items succeeded" in logs["azureml-logs/70_driver_log.txt"]


def test_tabular_partition_keys(ws, tmp_path):
    from azureml.core import Dataset, Experiment
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    sales = tmp_path / "sales"
    for store, brand, incomes in ((1, "tropicana", [10, 20]), (1, "dominicks", [5]), (2, "tropicana", [7, 8, 9])):
        (sales / str(store)).mkdir(parents=True, exist_ok=True)
        (sales / str(store) / f"{brand}.csv").write_text("WeekStarting,INCOME\n" + "".join(
            f"1992-0{n + 1}-01,{v}\n" for n, v in enumerate(incomes)))
    datastore = ws.get_default_datastore()
    datastore.upload(str(sales), target_path="oj_sales", overwrite=True, show_progress=False)
    partitioned = Dataset.Tabular.from_delimited_files(path=(datastore, "oj_sales/*/*.csv"),
                                                       partition_format="oj_sales/{Store}/{Brand}.csv")
    assert sorted(partitioned.partition_keys) == ["Brand", "Store"]
    output_dir = PipelineData(name="revenue", datastore=datastore)
    config = ParallelRunConfig(source_directory=_source(tmp_path, "summarize.py", SUMMARIZE),
                               entry_script="summarize.py", partition_keys=["Store", "Brand"], error_threshold=5,
                               output_action="append_row", append_row_file_name="revenue_outputs.txt",
                               environment=_environment(), compute_target=_cluster(ws), node_count=2,
                               run_invocation_timeout=600)
    step = ParallelRunStep(name="summarize-revenue", parallel_run_config=config,
                           inputs=[partitioned.as_named_input("partitioned_tabular_input")], output=output_dir,
                           allow_reuse=False)
    run = Experiment(ws, "tabular-partition").submit(Pipeline(ws, steps=[step]))
    assert run.wait_for_completion(show_output=False) == "Finished"

    step_run = run.find_step_run("summarize-revenue")[0]
    text = _output_text(step_run, "revenue", "revenue_outputs.txt", tmp_path)
    df = pd.read_csv(io.StringIO(text), delimiter=" ", header=None,
                     names=["Store", "Brand", "INCOME", "total_income", "partition_rows"])
    totals = {(int(r.Store), r.Brand): (int(r.total_income), int(r.partition_rows)) for r in df.itertuples()}
    assert totals == {(1, "tropicana"): (30, 2), (1, "dominicks"): (5, 1), (2, "tropicana"): (24, 3)}
    assert len(df) == 6
    log = step_run.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert "3 mini batches (6 items) from 1 input(s), partitioned by ['Store', 'Brand']" in log
