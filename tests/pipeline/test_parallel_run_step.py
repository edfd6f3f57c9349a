"""ParallelRunStep: SDK validation, and a local run over file and tabular datasets."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

ENTRY = """
import os
def init():
    global prefix
    prefix = "seen"
def run(mini_batch):
    if hasattr(mini_batch, "columns"):
        mini_batch = mini_batch.assign(double=mini_batch["a"] * 2)
        return mini_batch[["a", "double"]]
    return [prefix + " " + os.path.basename(path) for path in mini_batch]
"""


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "score.py").write_text(ENTRY)
    return folder


def _config(entry, **kw):
    from azureml.core import Environment

    kw.setdefault("output_action", "append_row")
    kw.setdefault("error_threshold", 0)
    return ParallelRunConfig(environment=Environment("batch-env"), entry_script="score.py",
                             compute_target="local", node_count=1, source_directory=str(entry), **kw)


def test_config_validation(entry):
    from azureml.core import Environment

    with pytest.raises(ValueError, match="Parameter environment is required"):
        ParallelRunConfig(None, "score.py", 0, "append_row", "local", 1)
    with pytest.raises(ValueError, match="Parameter output_action must be summary_only or append_row."):
        _config(entry, output_action="everything")
    with pytest.raises(ValueError, match="error_threshold '-2' is not an int value greater than or equal to -1."):
        ParallelRunConfig(Environment("e"), "score.py", -2, "append_row", "local", 1)
    with pytest.raises(ValueError, match=r"Parameter mini_batch_size must follow regex rule"):
        _config(entry, mini_batch_size="ten")
    assert _config(entry, mini_batch_size="2MB").mini_batch_size == 2 * 1024 * 1024


@pytest.mark.parametrize("kwargs,message", [
    ({"error_threshold": "5"}, "error_threshold '5' is not an int value greater than or equal to -1."),
    ({"allowed_failed_count": -3}, "allowed_failed_count '-3' is not an int value greater than or equal to -1."),
    ({"allowed_failed_percent": "x"}, "allowed_failed_percent 'x' is not an int or float."),
    ({"allowed_failed_percent": 101}, "allowed_failed_percent '101' is not between 0 and 100."),
    ({"mini_batch_size": 3, "partition_keys": ["a"]}, "Parameters mini_batch_size and partition_keys are mutually "
                                                      "exclusive, because they specify different ways to partition"),
    ({"mini_batch_size": 1.5}, "Parameter mini_batch_size must be of type int or str."),
    ({"partition_keys": "a"}, "Parameter partition_keys must be of type list."),
    ({"partition_keys": ["a", 1]}, "Element 1 in partition_keys is not a str."),
    ({"process_count_per_node": 0}, "Parameter process_count_per_node must be an integer greater than 0."),
    ({"run_invocation_timeout": 0}, "Parameter run_invocation_timeout must be an integer greater than 0."),
    ({"run_max_try": 0}, "Parameter run_max_try must be an integer greater than 0."),
    ({"append_row_file_name": "a:b.txt"}, "Parameter append_row_file_name must be a valid UNIX file name."),
])
def test_config_validation_messages(entry, kwargs, message):
    with pytest.raises(ValueError) as info:
        _config(entry, **kwargs)
    assert str(info.value).startswith(message)


def test_partition_keys_as_a_pipeline_parameter(entry):
    from azureml.pipeline.core import PipelineParameter

    with pytest.raises(ValueError, match="default_value of PipelineParameter partition_keys must be json dump"):
        _config(entry, partition_keys=PipelineParameter("keys", default_value="user"))
    config = _config(entry, partition_keys=PipelineParameter("keys", default_value='["user"]'))
    assert config.mini_batch_size is None


def test_node_count_within_the_cluster(ws, entry):
    from azureml.core import Environment
    from azureml.core.compute import AmlCompute, ComputeTarget

    cluster = ComputeTarget.create(ws, "cpu-prs", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                                        max_nodes=2))
    with pytest.raises(ValueError, match="node_count '3' is not between 1 and max_nodes 2."):
        ParallelRunConfig(Environment("e"), "score.py", 0, "append_row", cluster, 3, source_directory=str(entry))


def test_step_validation(ws, entry):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    files = Dataset.File.from_files(path=(store, "x/"), validate=False)
    with pytest.raises(Exception, match="Please specify output parameter."):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")])
    with pytest.raises(ValueError, match="'mini_batch_size' is a reserved argument in ParallelRunStep"):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")], output=PipelineData("o"),
                        arguments=["--mini_batch_size", "3"])
    with pytest.raises(ValueError, match="Found invalid argument 'x'"):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")], output=PipelineData("o"),
                        arguments=["x"])
    table = Dataset.Tabular.from_delimited_files(path=(store, "x.csv"), validate=False)
    out = PipelineData("o")
    with pytest.raises(Exception, match="^Please ensure input dataset consumption mode is direct for partitioned"):
        ParallelRunStep("s", _config(entry, partition_keys=["u"]), inputs=[files.as_named_input("f").as_mount()],
                        output=out)
    with pytest.raises(Exception, match="^All inputs of step must be same type$"):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f"), table.as_named_input("t")],
                        output=out)
    with pytest.raises(Exception, match="^Step input must be of any type: DatasetConsumptionConfig"):
        ParallelRunStep("s", _config(entry), inputs=[files], output=out)
    with pytest.raises(AssertionError, match="The parameter 'inputs' must be a list and have at least one element"):
        ParallelRunStep("s", _config(entry), inputs=[], output=out)
    with pytest.raises(ValueError, match="The value 'nope.py' specified in entry_script doesn't exist."):
        config = _config(entry)
        config.entry_script = "nope.py"
        ParallelRunStep("s", config, inputs=[files.as_named_input("f")], output=out)
    with pytest.raises(Exception, match="^Param parallel_run_config must be a azureml.pipeline.steps.ParallelRunConfig"):
        ParallelRunStep("s", object(), inputs=[files.as_named_input("f")], output=out)


def test_file_and_tabular_runs(ws, entry, tmp_path):
    from azureml.core import Dataset, Experiment

    store = ws.get_default_datastore()
    data = tmp_path / "data"
    data.mkdir()
    for i in range(5):
        (data / f"f{i}.txt").write_text(str(i))
    (tmp_path / "t.csv").write_text("a\n1\n2\n3\n")
    store.upload(str(data), target_path="prs/files", overwrite=True, show_progress=False)
    store.upload_files([str(tmp_path / "t.csv")], target_path="prs", overwrite=True, show_progress=False)
    files = Dataset.File.from_files(path=(store, "prs/files/"))
    table = Dataset.Tabular.from_delimited_files(path=(store, "prs/t.csv"))
    out_files, out_table = PipelineData("files_out"), PipelineData("table_out")
    from azureml.pipeline.core import PipelineParameter

    config = _config(entry, mini_batch_size=PipelineParameter("batch_size_param", default_value="2"),
                     process_count_per_node=PipelineParameter("process_count_param", default_value=2))
    file_step = ParallelRunStep("score-files", config,
                                inputs=[files.as_named_input("files")], output=out_files)
    table_step = ParallelRunStep("score-table", _config(entry), inputs=[table.as_named_input("table")],
                                 output=out_table)
    run = Experiment(ws, "prs").submit(Pipeline(ws, steps=[file_step, table_step]))
    assert run.wait_for_completion(show_output=False) == "Finished"
    got = {}
    for name in ("score-files", "score-table"):
        step_run = run.find_step_run(name)[0]
        output = step_run.get_output_data("files_out" if name == "score-files" else "table_out")
        output.download(str(tmp_path / name))
        (result,) = list((tmp_path / name).rglob("parallel_run_step.txt"))
        got[name] = sorted(result.read_text().splitlines())
    assert got["score-files"] == [f"seen f{i}.txt" for i in range(5)]
    assert got["score-table"] == ["1 2", "2 4", "3 6"]
    log = run.find_step_run("score-files")[0].get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert "3 mini batches (5 items) from 1 input(s), mini_batch_size=2" in log  # the PipelineParameter's value
    assert "1 node(s) x 2 process(es) = 2 local worker process(es)" in log


FAILING = """
def run(mini_batch):
    for path in mini_batch:
        if open(path).read() == "bad":
            raise ValueError("cannot score " + path)
    return mini_batch
"""
SUMMARY = """
import argparse, os
from azureml_user.parallel_run import EntryScript

def init():
    global label
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels")
    args, _ = parser.parse_known_args()
    label = open(os.path.join(args.labels, "labels.txt")).read()

def run(mini_batch, mini_batch_context):
    name = "batch_%d.txt" % mini_batch_context.minibatch_index
    with open(os.path.join(EntryScript().output_dir, name), "w") as f:
        f.write(os.environ["GREETING"] + " " + label + " " + str(len(mini_batch)))
    return mini_batch
"""


def test_failed_step_publishes_nothing_and_summary_only_with_side_inputs(ws, tmp_path):
    from azureml.core import Dataset, Environment, Experiment

    store = ws.get_default_datastore()
    data, labels, scripts = tmp_path / "data", tmp_path / "labels", tmp_path / "scripts"
    for folder in (data, labels, scripts):
        folder.mkdir()
    for i in range(4):
        (data / f"f{i}.txt").write_text("bad" if i == 2 else "ok")
    (labels / "labels.txt").write_text("cats")
    (scripts / "failing.py").write_text(FAILING)
    (scripts / "summary.py").write_text(SUMMARY)
    store.upload(str(data), target_path="prs-fail/data", overwrite=True, show_progress=False)
    store.upload(str(labels), target_path="prs-fail/labels", overwrite=True, show_progress=False)
    files = Dataset.File.from_files(path=(store, "prs-fail/data/"))
    side = Dataset.File.from_files(path=(store, "prs-fail/labels/")).as_named_input("labels")

    def config(script, **kw):
        return ParallelRunConfig(environment=Environment("e"), entry_script=script, compute_target="local",
                                 node_count=1, process_count_per_node=2, source_directory=str(scripts), **kw)

    failing = ParallelRunStep("failing", config("failing.py", error_threshold=0, output_action="append_row",
                                                mini_batch_size=1, run_max_try=1),
                              inputs=[files.as_named_input("files")], output=PipelineData("scored"))
    summary_config = config("summary.py", error_threshold=0, output_action="summary_only", mini_batch_size="2",
                            environment_variables={"GREETING": "hello"})
    summary = ParallelRunStep("summary", summary_config, inputs=[files.as_named_input("files2")],
                              output=PipelineData("summaries"), side_inputs=[side], arguments=["--labels", side])
    run = Experiment(ws, "prs-failures").submit(Pipeline(ws, steps=[failing, summary]),
                                                continue_on_step_failure=True)
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"

    bad = run.find_step_run("failing")[0]
    assert bad.get_status() == "Failed"
    log = bad.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert "ParallelRunStep failed: The number of failed items (1) exceeded error_threshold (0)." in log
    assert "exceeded error_threshold (0)" in bad.get_details()["error"]["error"]["message"]
    assert "ValueError: cannot score" in bad.get_details_with_logs()["logFiles"]["logs/job_error.txt"] + \
        "".join(v for k, v in bad.get_details_with_logs()["logFiles"].items() if k.startswith("logs/user/error/"))
    published = Dataset.File.from_files((store, "azureml/**"), validate=False).to_path()
    assert not [p for p in published if "parallel_run_step" in p]  # nothing of the failed step's output

    good = run.find_step_run("summary")[0]
    assert good.get_status() == "Finished"
    output = good.get_output_data("summaries")
    output.download(local_path=str(tmp_path / "summaries"))
    written = sorted(p.read_text() for p in (tmp_path / "summaries").rglob("batch_*.txt"))
    assert written == ["hello cats 2", "hello cats 2"]
    assert not list((tmp_path / "summaries").rglob("parallel_run_step.txt"))


HANGING = """
import os, time

def init():
    with open(os.path.join(os.environ["PIDS_DIR"], str(os.getpid())), "w") as f:
        f.write("worker")

def run(mini_batch):
    time.sleep(600)
"""


def test_cancel_stops_the_driver_and_every_worker(ws, tmp_path):
    import time

    from azureml.core import Dataset, Environment, Experiment

    store = ws.get_default_datastore()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text("a")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "hang.py").write_text(HANGING)
    pids = tmp_path / "pids"
    pids.mkdir()
    store.upload(str(tmp_path / "data"), target_path="prs-cancel", overwrite=True, show_progress=False)
    config = ParallelRunConfig(environment=Environment("e"), entry_script="hang.py", error_threshold=0,
                               output_action="summary_only", compute_target="local", node_count=1,
                               process_count_per_node=2, source_directory=str(tmp_path / "scripts"),
                               environment_variables={"PIDS_DIR": str(pids)})
    step = ParallelRunStep("hang", config, inputs=[Dataset.File.from_files((store, "prs-cancel/")).as_named_input("f")])
    run = Experiment(ws, "prs-cancel").submit(Pipeline(ws, steps=[step]))
    deadline = time.monotonic() + 120
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2  # both workers ran init()
    run.cancel()
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Canceled"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent to reap it is gone for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_config_yaml_round_trip(ws, entry, tmp_path):
    from azureml.core import Environment
    from azureml.core.compute import AmlCompute, ComputeTarget

    cluster = ComputeTarget.create(ws, "cpu-yaml", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                                         max_nodes=2))
    config = ParallelRunConfig(Environment("yaml-env"), "score.py", 5, "append_row", cluster, 2,
                               mini_batch_size="1KB", source_directory=str(entry), append_row_file_name="r.txt",
                               environment_variables={"A": "1"})
    config.save_to_yaml(str(tmp_path / "prs.yml"))
    loaded = ParallelRunConfig.load_yaml(ws, str(tmp_path / "prs.yml"))
    assert (loaded.entry_script, loaded.mini_batch_size, loaded.error_threshold, loaded.node_count) == (
        "score.py", 1024, 5, 2)
    assert loaded.compute_target.name == "cpu-yaml" and loaded.environment.name == "yaml-env"
    assert (loaded.append_row_file_name, loaded.environment_variables) == ("r.txt", {"A": "1"})
