"""Data between steps with the SDK's objects: tabular outputs, registration, PipelineData, DataPath parameters."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def ws2(runner_ws):
    return runner_ws


def _write(folder: str, name: str, body: str) -> str:
    Path(folder).mkdir(parents=True, exist_ok=True)
    Path(folder, name).write_text(textwrap.dedent(body))
    return folder


def test_tabular_output_registration_pipeline_data_and_datapath_parameter(ws2):
    from azureml.core import Dataset, Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.data.datapath import DataPath, DataPathComputeBinding
    from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    ws = ws2
    store = ws.get_default_datastore()
    Path("in.csv").write_text("a,b\n1,2\n3,4\n")
    store.upload_files(["in.csv"], target_path="dp", overwrite=True, show_progress=False)
    Path("other.csv").write_text("a,b\n5,6\n")
    store.upload_files(["other.csv"], target_path="dp2", overwrite=True, show_progress=False)

    src1 = _write("s1", "make.py", """
        import os, sys, shutil
        src = sys.argv[2]
        path = os.path.join(src, os.listdir(src)[0]) if os.path.isdir(src) else src
        shutil.copy(path, os.path.join(sys.argv[1], 'data.csv'))
        open(os.path.join(sys.argv[3], 'note.txt'), 'w').write('pipeline data')
    """)
    src2 = _write("s2", "use.py", """
        import os, sys
        from azureml.core import Run
        run = Run.get_context()
        df = run.input_datasets['table'].to_pandas_dataframe()
        note = open(os.path.join(sys.argv[1], 'note.txt')).read()
        run.log('rows', len(df))
        print('rows', len(df), note)
    """)
    table = OutputFileDatasetConfig("table").read_delimited_files().register_on_complete("made_table")
    note = PipelineData("note", datastore=store)
    data_param = PipelineParameter(name="input_path", default_value=DataPath(store, "dp/in.csv"))
    path_input = (data_param, DataPathComputeBinding(mode="download"))
    make = PythonScriptStep(name="make", source_directory=src1, script_name="make.py", compute_target="local",
                            arguments=[table, path_input, note], inputs=[path_input], outputs=[note])
    note_in = note.as_download()
    use = PythonScriptStep(name="use", source_directory=src2, script_name="use.py", compute_target="local",
                           arguments=[note_in], inputs=[note_in, table.as_input("table")])
    pipeline = Pipeline(ws, steps=[make, use])
    exp = Experiment(ws, "data-binding")

    run = exp.submit(pipeline)
    assert run.wait_for_completion(show_output=False) == "Finished"
    assert run.find_step_run("use")[0].get_metrics()["rows"] == 2
    assert "pipeline data" in run.find_step_run("use")[0].get_job_log()
    registered = Dataset.get_by_name(ws, "made_table")
    assert len(registered.to_pandas_dataframe()) == 2
    note_ref = run.find_step_run("make")[0].get_output_data("note")
    assert note_ref.path_on_datastore.startswith("azureml/")

    other = exp.submit(pipeline, pipeline_parameters={"input_path": DataPath(store, "dp2/other.csv")})
    assert other.wait_for_completion(show_output=False) == "Finished"
    assert other.find_step_run("use")[0].get_metrics()["rows"] == 1
    assert Dataset.get_by_name(ws, "made_table").version == 2


def test_upload_mode_source_globs_and_promoted_pipeline_output(ws2):
    from azureml.core import Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    ws = ws2
    src = _write("s3", "w.py", """
        import os, sys
        for name in ('a.csv', 'b.txt'):
            open(os.path.join(sys.argv[1], name), 'w').write(name)
        open(os.path.join(sys.argv[2], 'final.txt'), 'w').write('final')
    """)
    up = OutputFileDatasetConfig("up").as_upload(overwrite=True, source_globs=["*.csv"])
    final = PipelineData("final_data", datastore=ws.get_default_datastore(), pipeline_output_name="final")
    step = PythonScriptStep(name="w", source_directory=src, script_name="w.py", compute_target="local",
                            arguments=[up, final], outputs=[final])
    run = Experiment(ws, "uploads").submit(Pipeline(ws, steps=[step]))
    assert run.wait_for_completion(show_output=False) == "Finished"
    step_run = run.find_step_run("w")[0]
    ref = step_run.get_output_data("up")
    assert ref.download("dl") == 1
    assert [p.name for p in Path("dl", ref.path_on_datastore).iterdir()] == ["a.csv"]
    promoted = run.get_pipeline_output("final")
    assert promoted.path_on_datastore == f"azureml/{step_run.id}/final_data"
    assert promoted.download("dl2") == 1
