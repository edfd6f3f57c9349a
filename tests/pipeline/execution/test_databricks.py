"""The DatabricksStep executor: a notebook with a local dbutils, scripts with the SDK's argv, a JAR, the
recorded cluster. No Databricks cluster exists here (nothing is mocked: the code runs locally)."""
from __future__ import annotations

import json
import shutil
import subprocess

import nbformat
import pytest

from transfer_helpers import names, put, read, run_in_process


@pytest.fixture
def dbx(ws):
    from azureml.core.compute import ComputeTarget, DatabricksCompute

    return ComputeTarget.attach(ws, "dbx", DatabricksCompute.attach_configuration(
        resource_group="rg", workspace_name="dbws", access_token="token"))


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))


def _pipeline(ws, *steps):
    from azureml.pipeline.core import Pipeline

    return Pipeline(ws, steps=list(steps))


def _child(run, name):
    return next(c for c in run.get_children() if c.name == name)


def _log(run) -> str:
    from azureml_local.engine.execute import STD_LOG, log_paths

    return log_paths(run.experiment.workspace, run.id)[STD_LOG].read_text()


def _store(ws):
    from azureml.core import Datastore

    return Datastore(ws, "workspaceblobstore")


def test_notebook_reads_widgets_and_writes_its_output(ws, dbx, tmp_path, monkeypatch):
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.core import PipelineData, PipelineParameter
    from azureml.pipeline.steps import DatabricksStep, PythonScriptStep

    store = _store(ws)
    put(store, "dbtest/testdata.txt", b"hello databricks")
    src = tmp_path / "nb"
    src.mkdir()
    _notebook(src / "process.ipynb",
              "i = getArgument('input'); o = dbutils.widgets.get('output')\n"
              "print('PARAMS', dbutils.widgets.get('myparam'), dbutils.widgets.get('myparam2'))",
              "import os\ntext = open(os.path.join(i, 'testdata.txt')).read()\n"
              "os.makedirs(o, exist_ok=True)\nopen(os.path.join(o, 'output.txt'), 'w').write(text.upper())",
              "dbutils.fs.put('dbfs:/tmp/marker.txt', 'x', True)\ndbutils.notebook.exit('done')",
              "raise RuntimeError('never reached')")
    (src / "check.py").write_text("import sys, os\nprint('GOT', open(os.path.join(sys.argv[1], 'output.txt')).read())\n")
    inp = DataReference(datastore=store, path_on_datastore="dbtest", data_reference_name="input")
    out = PipelineData("output", datastore=store)
    param = PipelineParameter(name="my_pipeline_param", default_value="pipeline_param1")
    step = DatabricksStep(name="DBNotebook", inputs=[inp], outputs=[out], num_workers=1,
                          notebook_path="process", source_directory=str(src),
                          notebook_params={"myparam": "testparam", "myparam2": param}, run_name="demo",
                          compute_target=dbx, allow_reuse=True)
    check = PythonScriptStep(name="check", script_name="check.py", arguments=[out], inputs=[out],
                             source_directory=str(src))
    run = run_in_process(ws, _pipeline(ws, check), monkeypatch, pipeline_parameters={"my_pipeline_param": "given"})
    nb_run = _child(run, "DBNotebook")
    log = _log(nb_run)
    assert run.get_status() == "Finished", log
    assert "PARAMS testparam given" in log and "No Databricks cluster exists" in log
    assert "GOT HELLO DATABRICKS" in _log(_child(run, "check"))
    props = nb_run.get_properties()
    assert props["azureml.databricks.emulated"] == "true"
    assert json.loads(props["azureml.databricks.cluster"])["num_workers"] == 1
    assert (ws._local_folder / "dbfs" / "tmp" / "marker.txt").read_text() == "x"
    assert "outputs/process.ipynb" in nb_run.get_file_names()


def test_notebook_failure_fails_the_step_with_the_cell_error(ws, dbx, tmp_path, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    _notebook(tmp_path / "bad.ipynb", "raise ValueError('broken notebook')")
    step = DatabricksStep(name="bad", num_workers=1, notebook_path=str(tmp_path / "bad.ipynb"),
                          compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Failed"
    assert "broken notebook" in _log(_child(run, "bad"))


def test_python_script_name_gets_the_sdk_argv(ws, dbx, tmp_path, monkeypatch):
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.core import PipelineData, PipelineParameter
    from azureml.pipeline.steps import DatabricksStep

    store = _store(ws)
    put(store, "dbtest/testdata.txt", b"abc")
    src = tmp_path / "databricks_train"
    src.mkdir()
    (src / "train.py").write_text(
        "import sys, os\nprint('ARGV', sys.argv[1:])\nprint('RUN', os.environ['AZUREML_RUN_ID'])\n"
        "args = dict(zip(sys.argv[1::2], sys.argv[2::2]))\n"
        "os.makedirs(args['-output1'], exist_ok=True)\n"
        "open(os.path.join(args['-output1'], 'n.txt'), 'w').write(str(len(os.listdir(args['-input1']))))\n")
    out = PipelineData("output1", datastore=store)
    step = DatabricksStep(name="script", inputs=[DataReference(store, "input1", "dbtest")], outputs=[out],
                          existing_cluster_id="0101-abc", python_script_name="train.py", source_directory=str(src),
                          python_script_params=["--arg1", PipelineParameter("p", "v1")], compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    child = _child(run, "script")
    log = _log(child)
    assert run.get_status() == "Finished", log
    argv_line = next(line for line in log.splitlines() if line.startswith("ARGV"))
    argv = eval(argv_line[len("ARGV "):])
    assert argv[:2] == ["--arg1", "v1"] and argv[2] == "-input1" and argv[4] == "-output1"
    assert argv[-2:] == ["--AZUREML_SCRIPT_DIRECTORY_NAME", "."]
    assert f"RUN {child.id}" in log
    assert any(n.endswith("output1/n.txt") for n in names(store, "azureml/"))


def test_python_script_path_from_the_local_dbfs(ws, dbx, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    script = ws._local_folder / "dbfs" / "scripts" / "hello.py"
    script.parent.mkdir(parents=True)
    script.write_text("import sys\nprint('HELLO', sys.argv[1:])\n")
    step = DatabricksStep(name="dbfs", num_workers=2, python_script_path="dbfs:/scripts/hello.py",
                          python_script_params=["a", "b"], compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Finished"
    assert "HELLO ['a', 'b']" in _log(_child(run, "dbfs"))


def test_python_script_path_missing_fails_clearly(ws, dbx, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    step = DatabricksStep(name="gone", num_workers=1, python_script_path="dbfs:/nope.py", compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Failed"
    message = _child(run, "gone").get_details()["error"]["error"]["message"]
    assert "dbfs:/nope.py" in message and "local DBFS folder" in message


@pytest.mark.skipif(not shutil.which("javac") or not shutil.which("jar"), reason="needs a JDK (javac, jar)")
def test_jar_runs_with_the_local_java(ws, dbx, tmp_path, monkeypatch):
    from azureml.core.databricks import JarLibrary
    from azureml.pipeline.steps import DatabricksStep

    (tmp_path / "Main.java").write_text(
        'public class Main { public static void main(String[] a) { System.out.println("JAR " + String.join(",", a)); } }')
    subprocess.run(["javac", "Main.java"], cwd=tmp_path, check=True)
    subprocess.run(["jar", "cf", "main.jar", "Main.class"], cwd=tmp_path, check=True)
    step = DatabricksStep(name="jar", num_workers=1, main_class_name="Main", jar_params=["x", "y"],
                          jar_libraries=[JarLibrary(str(tmp_path / "main.jar"))], compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Finished"
    assert "JAR x,y" in _log(_child(run, "jar"))


def test_missing_jar_fails_the_step(ws, dbx, monkeypatch):
    from azureml.core.databricks import JarLibrary
    from azureml.pipeline.steps import DatabricksStep

    step = DatabricksStep(name="nojar", num_workers=1, main_class_name="com.x.Main",
                          jar_libraries=[JarLibrary("dbfs:/jars/missing.jar")], compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Failed"
    assert "missing.jar" in _child(run, "nojar").get_details()["error"]["error"]["message"]


def test_unchanged_databricks_step_is_reused(ws, dbx, tmp_path, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    (tmp_path / "job.py").write_text("print('ran')\n")

    def build(workers):
        return _pipeline(ws, DatabricksStep(name="job", num_workers=workers, python_script_name="job.py",
                                            source_directory=str(tmp_path), compute_target="dbx"))

    first = run_in_process(ws, build(1), monkeypatch)
    second = run_in_process(ws, build(1), monkeypatch)
    assert _child(second, "job")._is_reused and _child(second, "job").id == _child(first, "job").id
    third = run_in_process(ws, build(2), monkeypatch)  # a cluster setting is part of the step, as in the SDK
    assert not _child(third, "job")._is_reused


@pytest.mark.skipif(__import__("importlib").util.find_spec("pyspark") is None, reason="pyspark is not installed")
def test_notebook_gets_a_local_spark_session_when_pyspark_is_installed(ws, dbx, tmp_path, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    _notebook(tmp_path / "spark.ipynb", "df = spark.createDataFrame([('a', 1), ('b', 2)], ['k', 'v'])\n"
                                        "print('SUM', df.groupBy().sum('v').collect()[0][0])")
    step = DatabricksStep(name="spark", num_workers=1, notebook_path=str(tmp_path / "spark.ipynb"),
                          spark_conf={"spark.ui.enabled": "false"}, compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Finished" and "SUM 3" in _log(_child(run, "spark"))


def test_timeout_seconds_kills_a_hung_script(ws, dbx, tmp_path, monkeypatch):
    from azureml.pipeline.steps import DatabricksStep

    (tmp_path / "hang.py").write_text("import time\nprint('hanging', flush=True)\ntime.sleep(600)\n")
    step = DatabricksStep(name="hang", num_workers=1, python_script_name="hang.py", source_directory=str(tmp_path),
                          timeout_seconds=2, compute_target="dbx")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Failed"
    assert _child(run, "hang").get_status() == "Failed"
