"""A small Azure ML SDK v1 pipeline, written exactly as for Azure (nothing here knows about azureml-local)."""
from pathlib import Path

from azureml.core import Workspace
from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
from azureml.pipeline.steps import PythonScriptStep

SOURCE = str(Path(__file__).parent / "src")


def build_pipeline(ws: Workspace) -> Pipeline:
    n = PipelineParameter("n", default_value=5)
    squares = PipelineData("squares", datastore=ws.get_default_datastore())
    prep = PythonScriptStep("prep.py", name="prep", source_directory=SOURCE, compute_target="local",
                            arguments=["--n", n, "--out", squares], outputs=[squares])
    total = PythonScriptStep("total.py", name="total", source_directory=SOURCE, compute_target="local",
                             arguments=["--squares", squares], inputs=[squares])
    return Pipeline(ws, steps=[prep, total])
