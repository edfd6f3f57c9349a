"""ParallelRunStep on a Dask-backed target: the driver runs as a Dask job, its mini batches as Dask tasks."""
from __future__ import annotations

import os
from pathlib import Path

from azureml.core import Dataset, Environment, Experiment
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

ENTRY = """
import os
def init():
    global pid
    pid = os.getpid()
def run(mini_batch):
    return [f"{pid} {os.path.basename(p)} {open(p).read()}" for p in mini_batch]
"""


def test_parallel_run_step_over_500_files_on_dask_workers(ws, tmp_path: Path, dask_cluster, dask_compute):
    _, client = dask_cluster
    target = dask_compute("daskprs", 2)
    store = ws.get_default_datastore()
    names = [tmp_path / f"f{i:03d}.txt" for i in range(500)]
    _ = [path.write_text(str(i)) for i, path in enumerate(names)]
    store.upload_files([str(p) for p in names], target_path="prs500", overwrite=True, show_progress=False)
    files = Dataset.File.from_files(path=(store, "prs500/"))
    src = tmp_path / "batch"
    src.mkdir()
    (src / "score.py").write_text(ENTRY)
    config = ParallelRunConfig(environment=Environment("batch-env"), entry_script="score.py", source_directory=str(src),
                               mini_batch_size="25", error_threshold=0, output_action="append_row",
                               compute_target=target, node_count=2, process_count_per_node=1)
    out = PipelineData("scores")
    step = ParallelRunStep("score", config, inputs=[files.as_named_input("files")], output=out)
    run = Experiment(ws, "dask-prs").submit(Pipeline(ws, steps=[step]))
    assert run.wait_for_completion(show_output=False) == "Finished"
    step_run = run.find_step_run("score")[0]
    step_run.get_output_data("scores").download(str(tmp_path / "got"))
    (result,) = list((tmp_path / "got").rglob("parallel_run_step.txt"))
    rows = [line.split() for line in result.read_text().splitlines()]
    assert sorted((name, value) for _, name, value in rows) == [(f"f{i:03d}.txt", str(i)) for i in range(500)]
    workers = set(client.run(os.getpid).values())
    assert {int(pid) for pid, _, _ in rows} <= workers  # run() ran in the Dask worker processes
    log = Path(step_run.download_file("user_logs/std_log.txt", str(tmp_path / "log.txt")) or tmp_path / "log.txt")
    assert "mini batches run as tasks on the Dask cluster" in log.read_text()
