"""Script runs and pipeline steps on a Dask-backed compute target run as tasks of real Dask workers."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil

from azureml.core import Experiment, ScriptRunConfig

PROP = "azureml-local.dask."


def _worker_pids(client) -> set[int]:
    return set(client.run(os.getpid).values())


def test_script_run_with_metrics_runs_on_a_worker(ws, tmp_path: Path, dask_cluster, dask_compute):
    _, client = dask_cluster
    target = dask_compute("daskc", 2)
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(
        "import os\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "for i in range(3):\n    run.log('loss', 1.0 / (i + 1), step=i)\n"
        "run.log('acc', 0.9)\nrun.tag('where', 'dask')\nrun.log_list('xs', [1, 2])\n"
        "os.makedirs('outputs', exist_ok=True)\nopen('outputs/model.txt', 'w').write('m')\n"
        "open('note.txt', 'w').write('n')\nrun.upload_file('extra/note.txt', 'note.txt')\n"
        "print('hello from', os.getpid())\n")
    run = Experiment(ws, "dask-script").submit(ScriptRunConfig(str(src), "train.py", compute_target=target))
    assert run.wait_for_completion(show_output=False)["status"] == "Completed", run.get_details()
    metrics = run.get_metrics()
    assert metrics["loss"] == [1.0, 0.5, 1.0 / 3] and metrics["acc"] == 0.9 and metrics["xs"] == [1, 2]
    assert run.get_tags()["where"] == "dask"
    names = run.get_file_names()
    assert "outputs/model.txt" in names and "extra/note.txt" in names and "user_logs/std_log.txt" in names
    props = run.get_properties()
    assert int(props[PROP + "worker_pid"]) in _worker_pids(client)
    assert int(props[PROP + "worker_pid"]) != os.getpid()
    log = (Path(run.download_file("user_logs/std_log.txt", str(tmp_path / "log.txt"))
                or tmp_path / "log.txt")).read_text()
    assert "hello from" in log and "running on the Dask cluster" in log


def test_pipeline_with_two_branches_on_dask_respects_max_nodes(ws, tmp_path: Path, dask_cluster, dask_compute):
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    _, client = dask_cluster
    target = dask_compute("dask1", 1)
    src = tmp_path / "steps"
    src.mkdir()
    (src / "step.py").write_text(
        "import os, sys, time, glob\nargs = sys.argv[1:]\nout = args[args.index('--out') + 1]\n"
        "ins = [args[i + 1] for i, a in enumerate(args) if a == '--in']\ntotal = 0\n"
        "for d in ins:\n    total += sum(int(open(f).read()) for f in glob.glob(os.path.join(d, '*.txt')))\n"
        "time.sleep(1.0)\nos.makedirs(out, exist_ok=True)\n"
        "open(os.path.join(out, os.environ['AZUREML_RUN_ID'] + '.txt'), 'w').write(str(total + 1))\n"
        "from azureml.core import Run\nrun = Run.get_context()\nrun.log('total', total + 1)\n"
        "run.parent.log('steps_done', 1)\n")
    a_out, b_out, c_out, d_out = (PipelineData(n) for n in ("a", "b", "c", "d"))

    def step(name, ins, out):
        args = [x for i in ins for x in ("--in", i)] + ["--out", out]
        return PythonScriptStep("step.py", name=name, source_directory=str(src), compute_target=target,
                                inputs=ins, outputs=[out], arguments=args, allow_reuse=False)

    steps = [step("a", [], a_out), step("b", [a_out], b_out), step("c", [a_out], c_out),
             step("d", [b_out, c_out], d_out)]
    run = Experiment(ws, "dask-pipe").submit(Pipeline(ws, steps=steps))
    assert run.wait_for_completion(show_output=False) == "Finished"
    by_name = {s.name: s for s in run.get_steps()}
    assert {n: s.get_metrics()["total"] for n, s in by_name.items()} == {"a": 1, "b": 2, "c": 2, "d": 5}
    assert run.get_metrics()["steps_done"] == [1, 1, 1, 1]  # run.parent on a worker: the pipeline run
    workers = _worker_pids(client)
    props = {n: s.get_properties() for n, s in by_name.items()}
    assert all(int(p[PROP + "worker_pid"]) in workers for p in props.values())
    b, c = props["b"], props["c"]  # max_nodes=1: the two branches never ran at the same time
    spans = sorted((float(p[PROP + "started"]), float(p[PROP + "ended"])) for p in (b, c))
    assert spans[0][1] <= spans[1][0]


def test_worker_killed_mid_step_is_retried_once(ws, tmp_path: Path, dask_cluster, dask_compute):
    target = dask_compute("daskk", 2)
    src = tmp_path / "src"
    src.mkdir()
    marker = tmp_path / "started"  # test instrumentation only: how the test learns which worker to kill
    (src / "slow.py").write_text(
        "import os, sys, time\nmarker = sys.argv[1]\n"
        "if os.path.exists(marker):\n    print('second attempt'); sys.exit(0)\n"
        "open(marker + '.tmp', 'w').write(f'{os.getppid()} {os.getpid()}')\nos.rename(marker + '.tmp', marker)\n"
        "time.sleep(600)\n")
    run = Experiment(ws, "dask-kill").submit(ScriptRunConfig(str(src), "slow.py", arguments=[str(marker)],
                                                             compute_target=target))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert time.monotonic() < deadline, "the step never started"
        time.sleep(0.1)
    worker_pid, job_pid = (int(x) for x in marker.read_text().split())
    os.kill(worker_pid, signal.SIGKILL)
    assert run.wait_for_completion(show_output=False)["status"] == "Completed"
    assert run.get_properties()[PROP + "attempt"] == "2"
    log = Path(run.download_file("user_logs/std_log.txt", str(tmp_path / "log.txt")) or tmp_path / "log.txt")
    assert "Dask attempt 2" in log.read_text() and "second attempt" in log.read_text()
    _wait_gone([job_pid], "the job of the killed worker outlived it")


def _wait_for(path: Path, what: str) -> tuple[int, int]:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)
    worker_pid, job_pid = (int(x) for x in path.read_text().split())
    return worker_pid, job_pid


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(pids: list[int], what: str) -> None:
    deadline = time.monotonic() + 30
    while not all(_gone(pid) for pid in pids):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


HANG = ("import os, sys, time\nmarker = sys.argv[1] + str(len(os.listdir(os.path.dirname(sys.argv[1]))))\n"
        "open(marker + '.tmp', 'w').write(f'{os.getppid()} {os.getpid()}')\nos.rename(marker + '.tmp', marker)\n"
        "time.sleep(600)\n")


def test_worker_lost_twice_fails_the_run_with_the_reason(ws, tmp_path: Path, dask_cluster, dask_compute):
    target = dask_compute("daskl", 2)
    src, signals = tmp_path / "src", tmp_path / "signals"
    src.mkdir()
    signals.mkdir()
    (src / "hang.py").write_text(HANG)
    run = Experiment(ws, "dask-lost").submit(ScriptRunConfig(str(src), "hang.py", arguments=[str(signals / "m")],
                                                             compute_target=target))
    jobs = []
    for attempt in range(2):
        worker_pid, job_pid = _wait_for(signals / f"m{attempt}", f"attempt {attempt + 1} never started")
        os.kill(worker_pid, signal.SIGKILL)
        jobs.append(job_pid)
    details = run.wait_for_completion(show_output=False, raise_on_error=False)
    assert details["status"] == "Failed"
    assert "Dask worker running this job was lost 2 times" in details["error"]["error"]["message"]
    _wait_gone(jobs, "a job of a killed worker outlived it")


def test_cancel_stops_the_job_on_the_worker(ws, tmp_path: Path, dask_cluster, dask_compute):
    target = dask_compute("daskx", 2)
    src, signals = tmp_path / "src", tmp_path / "signals"
    src.mkdir()
    signals.mkdir()
    (src / "hang.py").write_text(HANG)
    run = Experiment(ws, "dask-cancel").submit(ScriptRunConfig(str(src), "hang.py",
                                                               arguments=[str(signals / "m")], compute_target=target))
    _, job_pid = _wait_for(signals / "m0", "the job never started")
    run.cancel()
    assert run.wait_for_completion(show_output=False)["status"] == "Canceled"
    _wait_gone([job_pid], "the canceled job still runs on the worker")


def test_dask_local_starts_a_local_cluster_in_the_service_and_stops_it_with_it(ws, tmp_path: Path):
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml_local.service import control

    config = AmlCompute.provisioning_configuration(max_nodes=2, tags={"azureml-local-dask": "dask://local"})
    ComputeTarget.create(ws, "lcl", config).wait_for_completion(show_output=False)
    src = tmp_path / "src"
    src.mkdir()
    (src / "t.py").write_text("from azureml.core import Run\nRun.get_context().log('x', 1)\n")
    run = Experiment(ws, "dask-local").submit(ScriptRunConfig(str(src), "t.py", compute_target="lcl"))
    assert run.wait_for_completion(show_output=False)["status"] == "Completed"
    assert run.get_metrics() == {"x": 1}
    worker_pid = int(run.get_properties()[PROP + "worker_pid"])
    assert worker_pid != os.getpid() and not _gone(worker_pid)
    control.stop_workspace_processes(ws)
    _wait_gone([worker_pid], "the LocalCluster's worker outlived the workspace service")


def test_script_run_data_in_and_out_through_the_blob_store(ws, tmp_path: Path, dask_cluster, dask_compute):
    from azureml.core import Dataset
    from azureml.data import OutputFileDatasetConfig

    target = dask_compute("daskd", 2)
    store = ws.get_default_datastore()
    (tmp_path / "in.txt").write_text("21")
    store.upload_files([str(tmp_path / "in.txt")], target_path="daskin", overwrite=True, show_progress=False)
    files = Dataset.File.from_files(path=(store, "daskin/"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "double.py").write_text(
        "import os, sys\nfolder, out = sys.argv[1:3]\nvalue = int(open(os.path.join(folder, 'in.txt')).read())\n"
        "open(os.path.join(out, 'doubled.txt'), 'w').write(str(2 * value))\nprint('worker paths', folder, out)\n")
    run = Experiment(ws, "dask-data").submit(ScriptRunConfig(str(src), "double.py", compute_target=target, arguments=[
        files.as_named_input("nums").as_download(), OutputFileDatasetConfig(name="doubled")]))
    details = run.wait_for_completion(show_output=False)
    assert details["status"] == "Completed"
    assert details["outputDatasets"][0]["outputDetails"] == {"outputName": "doubled"}
    blob = f"dataset/{run.id}/doubled/doubled.txt"
    assert ws._blobs.download_bytes(store._container(), blob) == b"42"
    log = Path(run.download_file("user_logs/std_log.txt", str(tmp_path / "log.txt")) or tmp_path / "log.txt")
    assert str(ws._local_folder) not in log.read_text().split("worker paths", 1)[1]  # the worker saw its own folders


def test_the_log_streams_while_the_job_runs_and_is_whole_once_at_the_end(ws, tmp_path: Path, dask_cluster,
                                                                          dask_compute):
    target = dask_compute("daskv", 2)
    src = tmp_path / "src"
    src.mkdir()
    go = tmp_path / "go"  # test instrumentation: the job waits until the test saw its first line
    (src / "talk.py").write_text(
        "import os, sys, time\nprint('first line', flush=True)\n"
        "deadline = time.time() + 120\nwhile not os.path.exists(sys.argv[1]) and time.time() < deadline:\n"
        "    time.sleep(0.1)\nprint('last line')\n")
    run = Experiment(ws, "dask-live").submit(ScriptRunConfig(str(src), "talk.py", arguments=[str(go)],
                                                             compute_target=target))
    service_log = ws._local_folder / "runs" / run.id / "logs" / "user_logs" / "std_log.txt"
    deadline = time.monotonic() + 120
    while not (service_log.exists() and "first line" in service_log.read_text()):
        assert time.monotonic() < deadline, "the running job's log never reached the run's log"
        time.sleep(0.2)
    assert run.get_status() == "Running"
    go.write_text("go")
    assert run.wait_for_completion(show_output=False)["status"] == "Completed"
    text = service_log.read_text()
    assert text.count("first line") == 1 and text.count("last line") == 1


def test_service_killed_mid_job_stops_the_job_on_the_worker(ws, tmp_path: Path, dask_cluster, dask_compute):
    from azureml_local.service.control import service_processes

    target = dask_compute("dasks", 2)
    src, signals = tmp_path / "src", tmp_path / "signals"
    src.mkdir()
    signals.mkdir()
    (src / "hang.py").write_text(HANG)
    run = Experiment(ws, "dask-orphan").submit(ScriptRunConfig(str(src), "hang.py",
                                                               arguments=[str(signals / "m")], compute_target=target))
    _, job_pid = _wait_for(signals / "m0", "the job never started")
    for proc in service_processes(ws._local_folder):
        os.kill(proc.pid, signal.SIGKILL)
    _wait_gone([job_pid], "the job kept running on the worker after the service that submitted it died")
    details = run.wait_for_completion(show_output=False, raise_on_error=False)  # a new service recovers the run
    assert details["status"] == "Failed" and "stopped unexpectedly" in details["error"]["error"]["message"]
