"""ScriptRunConfig submit through the real runner process: success, failure, cancel, timeout, bad input."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml.exceptions import ActivityFailedException, ExperimentExecutionException, UserErrorException


def _src(tmp_path: Path, body: str, name: str = "train.py") -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / name).write_text(body)
    return src


def test_submit_runs_script_with_cloud_env_and_returns_at_once(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import os, sys, json\n"
                         "keys = ['AZUREML_RUN_ID', 'AZUREML_ARM_SUBSCRIPTION', 'AZUREML_ARM_RESOURCEGROUP',\n"
                         "        'AZUREML_ARM_WORKSPACE_NAME', 'AZUREML_ARM_PROJECT_NAME', 'AZUREML_RUN_TOKEN',\n"
                         "        'AZUREML_SERVICE_ENDPOINT', 'AZUREML_LOCAL_HOME']\n"
                         "json.dump({k: os.environ[k] for k in keys} | {'argv': sys.argv[1:], 'cwd': os.getcwd()},\n"
                         "          open('outputs/env.json', 'w'))\n"
                         "print('hello from the script')\n")
    exp = Experiment(ws, "exp1")
    run = exp.submit(ScriptRunConfig(str(src), "train.py", arguments=["--n", 3, "--flag"]))
    assert type(run).__name__ == "ScriptRun"
    assert run.get_status() in ("Queued", "Running", "Finalizing", "Completed")
    details = run.wait_for_completion()
    assert details["status"] == "Completed" and "endTimeUtc" in details
    assert run.id.startswith("exp1_")
    run.download_file("outputs/env.json", str(tmp_path / "env.json"))
    env = json.loads((tmp_path / "env.json").read_text())
    assert env["AZUREML_RUN_ID"] == run.id
    assert env["AZUREML_ARM_PROJECT_NAME"] == "exp1"
    assert env["AZUREML_ARM_WORKSPACE_NAME"] == "ws1"
    assert env["argv"] == ["--n", "3", "--flag"]
    assert env["AZUREML_RUN_TOKEN"].count(".") == 2  # a JWT
    assert Path(env["cwd"]).resolve() != src.resolve()  # ran in a private working copy
    assert set(run.get_file_names()) >= {"outputs/env.json", "user_logs/std_log.txt",
                                         "azureml-logs/70_driver_log.txt"}
    assert "hello from the script" in run._download_artifact_contents_to_string("user_logs/std_log.txt")
    assert details["properties"]["ContentSnapshotId"]
    assert set(details) >= {"runId", "target", "status", "startTimeUtc", "endTimeUtc", "properties",
                            "inputDatasets", "outputDatasets", "runDefinition", "logFiles", "submittedBy"}


def test_script_logs_metrics_through_get_context(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "from azureml.core import Run\n"
                         "run = Run.get_context()\n"
                         "assert run is Run.get_context()\n"
                         "for i in range(3):\n    run.log('loss', 1.0 / (i + 1), step=i)\n"
                         "run.log('acc', 0.5)\nrun.tag('who', 'script')\n"
                         "run.complete()  # no status change for a submitted run\n"
                         "assert run.get_status() == 'Running'\n"
                         "print(run.experiment.name, run.experiment.workspace.name)\n")
    run = Experiment(ws, "metrics").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion()
    assert run.get_metrics() == {"loss": [1.0, 0.5, 1.0 / 3], "acc": 0.5}
    assert run.get_tags() == {"who": "script"}
    assert "metrics ws1" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_crash_fails_with_traceback(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "print('before')\nraise ValueError('boom from user code')\n")
    run = Experiment(ws, "crash").submit(ScriptRunConfig(str(src), "train.py"))
    with pytest.raises(ActivityFailedException) as info:
        run.wait_for_completion()
    assert "boom from user code" in str(info.value) and "Traceback" in str(info.value)
    details = run.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Failed"
    assert "ValueError: boom from user code" in details["error"]["error"]["message"]
    assert "before" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_show_output_prints_sdk_stream_format(ws, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _src(tmp_path, "print('line one')\nprint('line two')\n")
    run = Experiment(ws, "stream").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion(show_output=True)
    out = capsys.readouterr().out
    url = run.get_portal_url()
    assert out.startswith(f"RunId: {run.id}\nWeb View: {url}\n")
    assert "\nStreaming user_logs/std_log.txt\n" + "=" * len("user_logs/std_log.txt" + " " * 10) + "\n\n" in out
    assert "line one\nline two\n" in out
    assert out.endswith(f"\nExecution Summary\n=================\nRunId: {run.id}\nWeb View: {url}\n\n")


def test_show_output_failed_without_raise_prints_error(ws, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _src(tmp_path, "import sys\nsys.exit(3)\n")
    run = Experiment(ws, "stream").submit(ScriptRunConfig(str(src), "train.py"))
    details = run.wait_for_completion(show_output=True, raise_on_error=False)
    out = capsys.readouterr().out
    assert details["status"] == "Failed"
    assert "\nError:\n{\n" in out and "exited with status code 3" in out


def test_missing_script_is_rejected_at_submit(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "print(1)\n")
    with pytest.raises(ExperimentExecutionException, match="script path doesn't exist"):
        Experiment(ws, "bad").submit(ScriptRunConfig(str(src), "nope.py"))
    with pytest.raises(UserErrorException, match="does not exist"):
        Experiment(ws, "bad").submit(ScriptRunConfig(str(tmp_path / "missing"), "train.py"))
    assert list(Experiment(ws, "bad").get_runs()) == []  # nothing half-written


def test_raw_dataset_argument_is_rejected(ws, tmp_path: Path) -> None:
    from azureml.core import Dataset

    src = _src(tmp_path, "print(1)\n")
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n")
    ds = ws.get_default_datastore()
    ds.upload_files([str(data)], target_path="d", overwrite=True, show_progress=False)
    dataset = Dataset.Tabular.from_delimited_files(path=(ds, "d/d.csv"))
    with pytest.raises(UserErrorException, match="Dataset cannot be used directly in a run"):
        Experiment(ws, "bad").submit(ScriptRunConfig(str(src), "train.py", arguments=[dataset]))


def test_cancel_kills_the_process(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    run = Experiment(ws, "cancel").submit(ScriptRunConfig(str(src), "train.py"))
    deadline = time.time() + 20
    while run.get_status() != "Running" and time.time() < deadline:
        time.sleep(0.02)
    started = time.time()
    run.cancel()
    run.wait_for_completion()
    assert run.get_status() == "Canceled"
    assert time.time() - started < 5


def test_timeout_fails_the_run(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import time\ntime.sleep(60)\n")
    run = Experiment(ws, "timeout").submit(ScriptRunConfig(str(src), "train.py", max_run_duration_seconds=1))
    details = run.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Failed"
    assert "maximum duration" in details["error"]["error"]["message"]


def test_command_instead_of_script(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import sys\nprint('cmd', sys.argv[1])\n")
    run = Experiment(ws, "cmd").submit(ScriptRunConfig(str(src), command=["python", "train.py", "x"]))
    run.wait_for_completion()
    assert "cmd x" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_missing_environment_packages_warn(ws, tmp_path: Path) -> None:
    from azureml.core import Environment
    from azureml.core.conda_dependencies import CondaDependencies

    env = Environment("needs-stuff")
    env.python.conda_dependencies = CondaDependencies.create(pip_packages=["surely-not-installed-pkg==1.0", "numpy"])
    src = _src(tmp_path, "print(1)\n")
    run = Experiment(ws, "envwarn").submit(ScriptRunConfig(str(src), "train.py", environment=env))
    details = run.wait_for_completion()
    messages = [w["message"] for w in details.get("warnings", [])]
    assert any("surely-not-installed-pkg==1.0" in m and "numpy" not in m for m in messages)


def test_amlignore_keeps_files_out_of_the_run(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import os\nprint('secret present:', os.path.exists('big.bin'))\n")
    (src / "big.bin").write_bytes(b"x" * 10)
    (src / ".amlignore").write_text("*.bin\n")
    run = Experiment(ws, "ignore").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion()
    assert "secret present: False" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_runs_continue_after_the_submitting_process_exits(ws, tmp_path: Path) -> None:
    import subprocess
    import sys

    src = _src(tmp_path, "import time\ntime.sleep(0.5)\nopen('outputs/done.txt', 'w').write('ok')\n")
    code = ("from azureml.core import Workspace, Experiment, ScriptRunConfig\n"
            "ws = Workspace.from_config()\n"
            f"run = Experiment(ws, 'detached').submit(ScriptRunConfig({str(src)!r}, 'train.py'))\n"
            "print(run.id)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    run_id = out.stdout.strip().splitlines()[-1]
    from azureml.core import Run

    run = Run.get(ws, run_id)
    assert run.wait_for_completion()["status"] == "Completed"
    assert "outputs/done.txt" in run.get_file_names()


def test_logs_and_snapshot_helpers(ws, tmp_path: Path) -> None:
    import zipfile

    src = _src(tmp_path, "print('log me')\n")
    run = Experiment(ws, "helpers").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion()
    logs = run.get_details_with_logs()["logFiles"]
    assert "log me" in logs["user_logs/std_log.txt"]
    written = run.get_all_logs(destination=str(tmp_path / "logs"))
    assert str(tmp_path / "logs" / "azureml-logs" / "70_driver_log.txt") in written
    archive = run.restore_snapshot(path=str(tmp_path / "snap.zip"))
    assert zipfile.ZipFile(archive).namelist() == ["train.py"]
    run.clean()


def test_children_from_inside_a_script(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "print('child script')\n", name="child.py")
    (src / "train.py").write_text(
        "from azureml.core import Run, ScriptRunConfig\n"
        "run = Run.get_context()\n"
        "kid = run.child_run(name='open-kid')\n"
        "kid.log('k', 1)\n"
        "sub = run.submit_child(ScriptRunConfig('.', 'child.py'))\n"
        "sub.wait_for_completion()\n"
        "print('child status', sub.get_status())\n")
    run = Experiment(ws, "parent").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion()
    children = {c.type: c for c in run.get_children()}
    assert set(children) == {"interactive", "azureml.scriptrun"}
    assert children["interactive"].get_status() == "Completed"  # closed with its parent
    assert children["azureml.scriptrun"].get_status() == "Completed"
    assert children["azureml.scriptrun"].parent.id == run.id
    assert "child status Completed" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_cancel_queued_run_drops_it_from_the_queue(ws) -> None:
    from azureml.core import Run
    from azureml_local.store.runs import new_run_id

    run_id = ws._context.runs.create_run("q", new_run_id(), status="Queued", enqueue_handler="")
    Run.get(ws, run_id).cancel()
    assert ws._context.runs.status(run_id) == "Canceled"
    assert ws._store.query_one("SELECT COUNT(*) FROM run_queue")[0] == 0


def test_run_configuration_style_submit(ws, tmp_path: Path) -> None:
    from azureml.core import Environment
    from azureml.core.runconfig import RunConfiguration

    src = _src(tmp_path, "import os\nprint('vars', os.environ['FROM_RC'], os.environ['FROM_ENV'])\n")
    rc = RunConfiguration()
    rc.environment_variables = {"FROM_RC": "rc"}
    env = Environment("e")
    env.environment_variables = {"FROM_ENV": "env"}
    rc.environment = env
    run = Experiment(ws, "rc").submit(ScriptRunConfig(str(src), "train.py", run_config=rc))
    details = run.wait_for_completion()
    assert details["target"] == "local"
    assert "vars rc env" in run._download_artifact_contents_to_string("user_logs/std_log.txt")


def test_streaming_prints_each_line_once(ws, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _src(tmp_path, "import sys, time\n"
                         "for i in range(5):\n"
                         "    sys.stdout.write(f'part {i} é')\n    sys.stdout.flush()\n    time.sleep(0.05)\n"
                         "    print(' end', flush=True)\n"
                         "sys.stdout.write('no newline at the end')\n")
    run = Experiment(ws, "stream2").submit(ScriptRunConfig(str(src), "train.py"))
    run.wait_for_completion(show_output=True)
    out = capsys.readouterr().out
    body = out.split("=" * 31 + "\n\n", 1)[1].split("\nExecution Summary", 1)[0]
    assert body == "".join(f"part {i} é end\n" for i in range(5)) + "no newline at the end\n"


def test_arguments_as_one_string_are_split_like_a_command_line(ws, tmp_path: Path) -> None:
    src = _src(tmp_path, "import sys, json\njson.dump(sys.argv[1:], open('outputs/argv.json', 'w'))\n")
    config = ScriptRunConfig(str(src), "train.py", arguments="--lr 0.1 --name 'a b'")
    run = Experiment(ws, "strargs").submit(config)
    run.wait_for_completion()
    assert json.loads(run._download_artifact_contents_to_string("outputs/argv.json")) == ["--lr", "0.1", "--name", "a b"]
    from azureml_local.script_run_config import get_run_config_from_script_run

    assert get_run_config_from_script_run(config).arguments == ["--lr", "0.1", "--name", "a b"]


def test_submit_with_an_existing_run_id_leaves_that_run_untouched(ws, tmp_path: Path) -> None:
    from azureml.core import Dataset
    from azureml_local.engine.execute import run_folder

    src = _src(tmp_path, "print(1)\n")
    first = Experiment(ws, "dup").submit(ScriptRunConfig(str(src), "train.py"))
    first.wait_for_completion()
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n")
    ds = ws.get_default_datastore()
    ds.upload_files([str(data)], target_path="d", overwrite=True, show_progress=False)
    dataset = Dataset.Tabular.from_delimited_files(path=(ds, "d/d.csv"))
    config = ScriptRunConfig(str(src), "train.py", arguments=[dataset.as_named_input("d")])
    with pytest.raises(UserErrorException, match="already exists"):
        Experiment(ws, "dup").submit(config, run_id=first.id)
    assert sorted(p.name for p in run_folder(ws, first.id).iterdir()) == ["logs", "wd"]  # its folder is not written
    assert first.get_status() == "Completed" and len(list(Experiment(ws, "dup").get_runs())) == 1


def test_raw_dataset_in_run_config_data_is_rejected(ws, tmp_path: Path) -> None:
    from azureml.core import Dataset

    src = _src(tmp_path, "print(1)\n")
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n")
    ds = ws.get_default_datastore()
    ds.upload_files([str(data)], target_path="d", overwrite=True, show_progress=False)
    config = ScriptRunConfig(str(src), "train.py")
    config.run_config.data = {"d": Dataset.Tabular.from_delimited_files(path=(ds, "d/d.csv"))}
    with pytest.raises(UserErrorException, match="Dataset cannot be used without providing a name for the run"):
        Experiment(ws, "rawdata").submit(config)
    assert list(Experiment(ws, "rawdata").get_runs()) == []


def test_unknown_compute_target_is_rejected_at_submit(ws, tmp_path: Path, monkeypatch) -> None:
    from azureml.core.compute_target import ComputeTargetException

    monkeypatch.delenv("AZUREML_LOCAL_AUTO_CREATE_COMPUTE", raising=False)
    src = _src(tmp_path, "print(1)\n")
    with pytest.raises(ComputeTargetException, match="no-such-cluster"):
        Experiment(ws, "notarget").submit(ScriptRunConfig(str(src), "train.py", compute_target="no-such-cluster"))
    assert list(Experiment(ws, "notarget").get_runs()) == []
    assert ws._store.query_one("SELECT COUNT(*) FROM run_queue")[0] == 0


def test_a_created_compute_target_is_accepted_at_submit(ws, tmp_path: Path) -> None:
    from azureml.core.compute import AmlCompute, ComputeTarget

    target = ComputeTarget.create(ws, "cpu-cluster", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                                           max_nodes=2))
    target.wait_for_completion(show_output=False)
    src = _src(tmp_path, "print(1)\n")
    run = Experiment(ws, "target").submit(ScriptRunConfig(str(src), "train.py", compute_target=target))
    assert run.wait_for_completion()["target"] == "cpu-cluster"
