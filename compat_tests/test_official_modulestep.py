"""The official ``aml-pipelines-how-to-use-modulestep.ipynb``, executed unedited with nbclient.

Module.create, two published versions of ``calc/calculate.py`` (the second the default), three
ModuleSteps chained through ``is_directory=False`` PipelineData (one file each), versions picked
by ``module_version``, by the default and by ``version="2"``. The notebook submits without
waiting; the test waits and reads the numbers back.
"""
from __future__ import annotations

import pytest

from compat_tests.notebooks.harness import execute, prepare_folder


@pytest.fixture
def notebook_folder(tmp_path, local_home):
    return prepare_folder(tmp_path / "notebook")


def test_modulestep_notebook(notebook_folder):
    folder, ws = notebook_folder
    execute("aml-pipelines-how-to-use-modulestep.ipynb", folder)
    from azureml.core import Experiment
    from azureml.pipeline.core.module import Module

    module = Module.get(ws, name="AddAndMultiply")
    assert [v.version for v in module.module_version_list()] == ["1", "2"]
    assert module.default_version == "2"
    (run,) = Experiment(ws, "testmodulestesp").get_runs()
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")
    logs = ["".join(s.get_details_with_logs()["logFiles"].values()) for s in run.get_steps()]
    results = sorted({line for text in logs for line in text.splitlines() if line.startswith("results:")})
    # first: 17 + 2, 17 * 2; middle: 19 + 34, 19 * 34; end: 53 + 646, 53 * 646
    assert results == ["results: sum: 19 , product: 34", "results: sum: 53 , product: 646",
                       "results: sum: 699 , product: 34238"]
