"""SDK-shaped code, unmodified, for the other step types (as the official data-transfer and Databricks
notebooks write it): a DataTransferStep between two blob datastores feeding a training step, a
DatabricksStep running a notebook and one running a local script. Submitted through the workspace
service like any pipeline; asserts real outcomes (blobs, statuses, printed values, reuse)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

NOTEBOOK_CELLS = [
    'dbutils.widgets.get("myparam")\np = getArgument("myparam")\nprint ("Param -\'myparam\':")\nprint (p)',
    'dbutils.widgets.get("input")\ni = getArgument("input")\nprint ("Param -\'input\':")\nprint (i)',
    'dbutils.widgets.get("output")\no = getArgument("output")\nprint ("Param -\'output\':")\nprint (o)',
    'import os\nn = os.path.join(i, "testdata.txt")\ntext = open(n).read()\nos.makedirs(o, exist_ok=True)\n'
    'open(os.path.join(o, "output.txt"), "w").write(text[::-1])\nprint("myparam2 =", dbutils.widgets.get("myparam2"))',
]

TRAIN_DB_LOCAL = textwrap.dedent("""
    print("In train.py")
    print("As a data scientist, this is where I use my training code.")
    import sys
    print("ARGS", sys.argv[1:])
""")


def test_data_transfer_between_two_blob_datastores(ws, tmp_path: Path):
    from azureml.core import Datastore, Experiment
    from azureml.core.compute import ComputeTarget, DataFactoryCompute
    from azureml.data.data_reference import DataReference
    from azureml.exceptions import ComputeTargetException
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import DataTransferStep, PythonScriptStep

    source_store = Datastore.register_azure_blob_container(ws, "src_blob", "transfer-src", "devstoreaccount1", account_key="key",
                                                           create_if_not_exists=True)
    dest_store = Datastore.register_azure_blob_container(ws, "dst_blob", "transfer-dst", "devstoreaccount1", account_key="key",
                                                         create_if_not_exists=True)
    data = tmp_path / "data"
    data.mkdir()
    (data / "part1.csv").write_text("a,b\n1,2\n")
    (data / "part2.csv").write_text("a,b\n3,4\n")
    source_store.upload(src_dir=str(data), target_path="input", overwrite=True)

    try:
        data_factory_compute = DataFactoryCompute(ws, "adf-compute")
    except ComputeTargetException:
        config = DataFactoryCompute.attach_configuration(resource_group="rg", factory_name="adf")
        data_factory_compute = ComputeTarget.attach(ws, "adf-compute", config)
        data_factory_compute.wait_for_completion()

    blob_data_ref = DataReference(datastore=source_store, data_reference_name="blob_test_data",
                                  path_on_datastore="input")
    dest_data_ref = DataReference(datastore=dest_store, data_reference_name="copied_data",
                                  path_on_datastore="copied")
    transfer_blob_to_blob = DataTransferStep(name="transfer_blob_to_blob", source_data_reference=blob_data_ref,
                                             destination_data_reference=dest_data_ref,
                                             compute_target=data_factory_compute,
                                             destination_reference_type="directory")
    src = tmp_path / "scripts"
    src.mkdir()
    (src / "count.py").write_text("import os, sys\nprint('COPIED', sorted(os.listdir(sys.argv[2])))\n")
    copied = transfer_blob_to_blob.get_output()
    count = PythonScriptStep(name="count", script_name="count.py", arguments=["--data", copied], inputs=[copied],
                             source_directory=str(src))
    pipeline = Pipeline(workspace=ws, steps=[count])
    run = Experiment(ws, "Data_dependency").submit(pipeline)
    assert run.wait_for_completion(show_output=False) == "Finished"
    downloaded = tmp_path / "downloaded"
    dest_store.download(str(downloaded), prefix="copied")
    assert sorted(p.name for p in (downloaded / "copied").iterdir()) == ["part1.csv", "part2.csv"]
    count_run = next(r for r in run.get_children() if r.name == "count")
    assert "COPIED ['part1.csv', 'part2.csv']" in _std_log(ws, count_run)
    again = Experiment(ws, "Data_dependency").submit(pipeline)
    assert again.wait_for_completion(show_output=False) == "Finished"
    assert all(step._is_reused for step in again.get_children())


def test_databricks_notebook_and_local_script(ws, tmp_path: Path, monkeypatch):
    from azureml.core import Datastore, Experiment
    from azureml.core.compute import ComputeTarget, DatabricksCompute
    from azureml.data.data_reference import DataReference
    from azureml.exceptions import ComputeTargetException
    from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
    from azureml.pipeline.steps import DatabricksStep

    monkeypatch.chdir(tmp_path)
    Path("testdata.txt").write_text("local test data")
    Path("databricks_train").mkdir()
    Path("databricks_train/train-db-local.py").write_text(TRAIN_DB_LOCAL)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS]
    nbformat.write(notebook, "db_notebook.ipynb")

    db_compute_name = "my-databricks"
    try:
        databricks_compute = DatabricksCompute(workspace=ws, name=db_compute_name)
    except ComputeTargetException:
        config = DatabricksCompute.attach_configuration(resource_group="rg", workspace_name="dbws",
                                                        access_token="dapi-local")
        databricks_compute = ComputeTarget.attach(ws, db_compute_name, config)
        databricks_compute.wait_for_completion(True)

    def_blob_store = Datastore(ws, "workspaceblobstore")
    pipeline_param = PipelineParameter(name="my_pipeline_param", default_value="pipeline_param1")
    def_blob_store.upload_files(files=["./testdata.txt"], target_path="dbtest", overwrite=False)
    step_1_input = DataReference(datastore=def_blob_store, path_on_datastore="dbtest", data_reference_name="input")
    step_1_output = PipelineData("output", datastore=def_blob_store)

    dbNbStep = DatabricksStep(
        name="DBNotebookInWS",
        inputs=[step_1_input],
        outputs=[step_1_output],
        num_workers=1,
        notebook_path="db_notebook.ipynb",
        notebook_params={'myparam': 'testparam',
                         'myparam2': pipeline_param},
        run_name='DB_Notebook_demo',
        compute_target=databricks_compute,
        allow_reuse=True
    )
    dbPythonInLocalMachineStep = DatabricksStep(
        name="DBPythonInLocalMachine",
        inputs=[step_1_input],
        num_workers=1,
        python_script_name="train-db-local.py",
        source_directory="./databricks_train",
        run_name='DB_Python_Local_demo',
        compute_target=databricks_compute,
        allow_reuse=True
    )
    pipeline = Pipeline(workspace=ws, steps=[dbNbStep, dbPythonInLocalMachineStep])
    pipeline_run = Experiment(ws, 'DB_Notebook_demo').submit(pipeline, pipeline_parameters={
        "my_pipeline_param": "from_submit"})
    assert pipeline_run.wait_for_completion(show_output=False) == "Finished"

    children = {r.name: r for r in pipeline_run.get_children()}
    nb_log = _std_log(ws, children["DBNotebookInWS"])
    assert "Param -'myparam':\ntestparam" in nb_log and "myparam2 = from_submit" in nb_log
    assert "No Databricks cluster exists on this machine" in nb_log
    output = children["DBNotebookInWS"].get_output_data("output")
    target = tmp_path / "downloaded"
    output.download(str(target))
    assert next(target.rglob("output.txt")).read_text() == "atad tset lacol"
    script_log = _std_log(ws, children["DBPythonInLocalMachine"])
    assert "In train.py" in script_log and "'-input'" in script_log
    assert "'--AZUREML_SCRIPT_DIRECTORY_NAME'" in script_log


def _std_log(ws, run) -> str:
    from azureml_local.engine.execute import STD_LOG, log_paths

    return log_paths(ws, run.id)[STD_LOG].read_text()
