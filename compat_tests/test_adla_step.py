"""AdlaStep, SDK-shaped: a U-SQL script extracts a CSV from the datastore and writes an aggregate.

The ADLA account is attached as the SDK does (``AdlaCompute.attach_configuration`` +
``ComputeTarget.attach``: a local record); the script runs on the local U-SQL engine (DuckDB).
A consumer PythonScriptStep reads the aggregate through PipelineData, as it would on Azure.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SALES = "region,product,amount\nwest,apple,3\neast,pear,5\nwest,pear,4\nnorth,apple,1\neast,apple,2\n"

SCRIPT = textwrap.dedent("""\
    DECLARE @minimum int = @@minimum@@;
    // sales per region, large enough ones only
    @sales =
        EXTRACT region string, product string, amount int
        FROM "@@sales_data@@"
        USING Extractors.Csv(skipFirstNRows: 1);
    @totals =
        SELECT region.ToUpper() AS Region, SUM(amount) AS Total, COUNT(*) AS Orders
        FROM @sales
        WHERE amount >= @minimum && product != "banana"
        GROUP BY region.ToUpper();
    OUTPUT @totals
    TO "@@totals@@"
    ORDER BY Total DESC
    USING Outputters.Csv(outputHeader: true);
""")

READ = textwrap.dedent("""\
    import argparse, os
    parser = argparse.ArgumentParser()
    parser.add_argument('--totals')
    args = parser.parse_args()
    files = sorted(os.listdir(args.totals))
    print('files:', files)
    print(open(os.path.join(args.totals, files[0])).read())
""")


@pytest.fixture
def adla(ws):
    from azureml.core.compute import AdlaCompute, ComputeTarget

    config = AdlaCompute.attach_configuration(resource_group="rg-adla", account_name="myadla")
    compute = ComputeTarget.attach(ws, "testadl", config)
    compute.wait_for_completion()
    return compute


def _pipeline(ws, adla, tmp_path: Path, script: str = SCRIPT, upload: bool = True):
    from azureml.core import Datastore
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import AdlaStep, PythonScriptStep

    (tmp_path / "usql").mkdir(exist_ok=True)
    (tmp_path / "usql" / "totals.usql").write_text(script)
    (tmp_path / "read").mkdir(exist_ok=True)
    (tmp_path / "read" / "read.py").write_text(READ)
    (tmp_path / "sales.csv").write_text(SALES)
    store = Datastore(ws, "workspaceblobstore")
    if upload:
        store.upload_files([str(tmp_path / "sales.csv")], target_path="adla_sample", overwrite=True, show_progress=False)
    sales = DataReference(datastore=store, data_reference_name="sales_data", path_on_datastore="adla_sample/sales.csv")
    totals = PipelineData("totals", datastore=store)
    adla_step = AdlaStep(name="totals_per_region", script_name="totals.usql", source_directory=str(tmp_path / "usql"),
                         inputs=[sales], outputs=[totals], params={"minimum": 2}, compute_target=adla,
                         degree_of_parallelism=2, priority=100)
    read_step = PythonScriptStep("read.py", source_directory=str(tmp_path / "read"), arguments=["--totals", totals],
                                 inputs=[totals])
    return Pipeline(workspace=ws, steps=[adla_step, read_step])


def test_adla_step_extracts_and_aggregates(ws, adla, tmp_path):
    from azureml.core import Experiment

    run = Experiment(ws, "adla_sample").submit(_pipeline(ws, adla, tmp_path))
    assert run.wait_for_completion(show_output=False) == "Finished"
    steps = {s.name: s for s in run.get_steps()}
    assert {n: s.get_status() for n, s in steps.items()} == {"totals_per_region": "Finished", "read.py": "Finished"}
    text = "".join(steps["read.py"].get_details_with_logs()["logFiles"].values())
    assert "files: ['totals']" in text
    assert '"Region","Total","Orders"\n"WEST",7,2\n"EAST",7,2\n' in text or \
        '"Region","Total","Orders"\n"EAST",7,2\n"WEST",7,2\n' in text
    adla_log = "".join(steps["totals_per_region"].get_details_with_logs()["logFiles"].values())
    assert "emulated" in adla_log and "myadla" in adla_log
    # the same pipeline again: the AdlaStep is reused like any step
    again = Experiment(ws, "adla_sample").submit(_pipeline(ws, adla, tmp_path, upload=False))
    assert again.wait_for_completion(show_output=False) == "Finished"
    assert {s.name: s._is_reused for s in again.get_steps()} == {"totals_per_region": True, "read.py": True}


@pytest.mark.parametrize("script, message", [
    (SCRIPT.replace("GROUP BY", "GROUP"), "U-SQL error at line 11: expected BY after GROUP"),
    (SCRIPT.replace("@totals =\n", "@totals =\n    REDUCE @sales ON region PRODUCE x string USING new R();\n@t2 =\n"),
     "U-SQL error at line 8: REDUCE"),
    (SCRIPT.replace("USING Outputters.Csv(", "USING MyOutputter.Csv("), "U-SQL error at line 15: user-defined"),
])
def test_bad_usql_fails_the_step_before_writing(ws, adla, tmp_path, script, message):
    from azureml.core import Datastore, Experiment

    run = Experiment(ws, "adla_bad").submit(_pipeline(ws, adla, tmp_path, script))
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"
    (adla_step,) = [s for s in run.get_steps() if s.name == "totals_per_region"]
    assert adla_step.get_status() == "Failed"
    error = adla_step.get_details()["error"]["error"]["message"]
    assert message in error, error
    assert message in "".join(adla_step.get_details_with_logs()["logFiles"].values())
    store = Datastore(ws, "workspaceblobstore")
    container = store.blob_service.get_container_client(store.container_name)
    blobs = [b.name for b in container.list_blobs(name_starts_with=f"azureml/{adla_step.id}")]
    assert blobs == []


def test_constructor_validation(ws, adla):
    from azureml.pipeline.steps import AdlaStep

    with pytest.raises(ValueError, match="^compute_target is required$"):
        AdlaStep(script_name="x.usql")
    with pytest.raises(ValueError, match="^script_name is required$"):
        AdlaStep(script_name=None, compute_target=adla)
    with pytest.raises(ValueError, match="^script_name must be a string$"):
        AdlaStep(script_name=3, compute_target=adla)
    assert AdlaStep(script_name="x.usql", compute_target=adla).name == "x.usql"


def test_adla_compute_get_and_missing(ws, adla):
    """The notebook's idiom: ``AdlaCompute(ws, name)`` finds the attached record, else ComputeTargetException."""
    from azureml.core.compute import AdlaCompute
    from azureml.exceptions import ComputeTargetException

    found = AdlaCompute(ws, "testadl")
    assert found.cluster_resource_id == ("/subscriptions/sub-compat/resourceGroups/rg-adla/providers/"
                                         "Microsoft.DataLakeAnalytics/accounts/myadla")
    assert found.provisioning_state == "Succeeded"
    with pytest.raises(ComputeTargetException):
        AdlaCompute(ws, "other")


def test_compute_target_must_be_adla(ws, tmp_path):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import AdlaStep

    (tmp_path / "x.usql").write_text(SCRIPT)
    step = AdlaStep(script_name="x.usql", source_directory=str(tmp_path), compute_target="nosuchadla")
    with pytest.raises(ValueError, match="^error in getting adla compute: "):
        Pipeline(workspace=ws, steps=[step])


def test_adla_module_version_runs_in_a_module_step(ws, adla, tmp_path):
    """``Module.publish_adla_script`` + ``ModuleStep``: the version's U-SQL runs on the local engine."""
    from azureml.core import Datastore, Experiment
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.core.graph import InputPortDef, OutputPortDef
    from azureml.pipeline.core.module import Module
    from azureml.pipeline.steps import ModuleStep

    (tmp_path / "usql").mkdir()
    (tmp_path / "usql" / "totals.usql").write_text(SCRIPT.replace("@@sales_data@@", "@@sales@@"))
    (tmp_path / "sales.csv").write_text(SALES)
    store = Datastore(ws, "workspaceblobstore")
    store.upload_files([str(tmp_path / "sales.csv")], target_path="adla_module", overwrite=True, show_progress=False)
    module = Module.create(ws, "RegionTotals", "U-SQL totals per region")
    version = module.publish_adla_script("totals.usql", "v1", inputs=[InputPortDef(name="sales")],
                                         outputs=[OutputPortDef(name="totals", is_directory=True)],
                                         params={"minimum": 3}, compute_target=adla, version="1",
                                         source_directory=str(tmp_path / "usql"))
    assert {p.name: p.default_value for p in version.interface.parameters}["AnalyticsAccountName"] == "myadla"
    sales = DataReference(datastore=store, data_reference_name="sales_ref", path_on_datastore="adla_module/sales.csv")
    totals = PipelineData("totals_out", datastore=store)
    step = ModuleStep(module=module, inputs_map={"sales": sales}, outputs_map={"totals": totals})
    run = Experiment(ws, "adla_module").submit(Pipeline(workspace=ws, steps=[step]))
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")
    (step_run,) = run.get_steps()
    log = "".join(step_run.get_details_with_logs()["logFiles"].values())
    assert "OUTPUT 2 row(s)" in log  # WEST 3+4, EAST 5 (2 is below the minimum); NORTH has none
    output = step_run.get_output_data("totals")
    assert output.download(str(tmp_path / "dl")) == 1
    (path,) = [p for p in (tmp_path / "dl").rglob("totals") if p.is_file()]
    assert path.read_text().splitlines() == ['"Region","Total","Orders"', '"WEST",7,2', '"EAST",5,1']


def test_pipeline_parameter_in_params_is_templated_with_the_run_value(ws, adla, tmp_path):
    from azureml.core import Experiment

    _pipeline(ws, adla, tmp_path)  # writes the script and uploads the data
    run = Experiment(ws, "adla_param").submit(_pipeline_with_parameter(ws, adla, tmp_path),
                                              pipeline_parameters={"minimum": 5})
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")
    (step,) = [s for s in run.get_steps() if s.name == "totals_per_region"]
    assert "OUTPUT 1 row(s)" in "".join(step.get_details_with_logs()["logFiles"].values())  # only EAST's 5


def _pipeline_with_parameter(ws, adla, tmp_path):
    from azureml.data.data_reference import DataReference
    from azureml.core import Datastore
    from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
    from azureml.pipeline.steps import AdlaStep

    store = Datastore(ws, "workspaceblobstore")
    sales = DataReference(datastore=store, data_reference_name="sales_data", path_on_datastore="adla_sample/sales.csv")
    step = AdlaStep(name="totals_per_region", script_name="totals.usql", source_directory=str(tmp_path / "usql"),
                    inputs=[sales], outputs=[PipelineData("totals", datastore=store)],
                    params={"minimum": PipelineParameter("minimum", default_value=2)}, compute_target="testadl")
    return Pipeline(workspace=ws, steps=[step])
