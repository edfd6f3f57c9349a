"""Cloud URLs answered locally: a stored ``https://<region>.api.azureml.ms`` endpoint starts a local run.

Real parts only: a published pipeline, the workspace service on loopback, real HTTP between the
``responses`` pass-through and the service. The "other hosts" cases never reach the network: the
mock refuses them before any socket is opened (that is what is asserted).
"""
from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from azureml_local import mock_workspace
from azureml_local.testing.cloud_urls import ExternalCallBlocked, local_workspace_for

CLOUD = "https://westeurope.api.azureml.ms"


def as_cloud_url(local_url: str) -> str:
    """What Azure would have handed out for the same endpoint (host part replaced)."""
    parts = urlsplit(local_url)
    return CLOUD + parts.path + (f"?{parts.query}" if parts.query else "")


def publish(ws, folder: Path):
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    folder.mkdir()
    (folder / "show.py").write_text("import sys\nprint('ARGV', sys.argv[1:])\n")
    rate = PipelineParameter("rate", default_value=0.5)
    step = PythonScriptStep("show.py", name="show", source_directory=str(folder), compute_target="local",
                            arguments=["--rate", rate], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name="stored-url")


def test_post_to_a_stored_cloud_endpoint_starts_a_local_pipeline_run(tmp_path: Path) -> None:
    from azureml.core import Experiment
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core import PipelineRun

    with mock_workspace(cloud_urls=True, blob_backend="folder") as ws:
        published = publish(ws, tmp_path / "src")
        stored = as_cloud_url(published.endpoint)  # e.g. read from a config file written against Azure
        assert stored.startswith(CLOUD + "/pipelines/v1.0/subscriptions/")
        header = InteractiveLoginAuthentication().get_authentication_header()
        answer = requests.post(stored, headers=header,
                               json={"ExperimentName": "from-cloud-url", "ParameterAssignments": {"rate": "0.9"}})
        assert answer.status_code == 200, answer.text
        run_id = answer.json()["Id"]
        run = PipelineRun(Experiment(ws, "from-cloud-url"), run_id)
        assert run.wait_for_completion(show_output=False) == "Finished"
        # the GET of the run entity, at its cloud URL, is answered locally too
        entity = requests.get(stored.split("/PipelineRuns/")[0] + f"/PipelineRuns/{run_id}", headers=header)
        assert entity.status_code == 200 and entity.json()["Id"] == run_id
        # and so are the run history URLs of the same workspace
        history = stored.split("/pipelines/v1.0")[0] + "/history/v1.0" + stored.split("/pipelines/v1.0")[1].split(
            "/PipelineRuns/")[0]
        experiment = requests.get(f"{history}/experiments/from-cloud-url", headers=header)
        assert experiment.status_code == 200 and experiment.json()["name"] == "from-cloud-url"
        run_dto = requests.get(f"{history}/experiments/from-cloud-url/runs/{run_id}", headers=header).json()
        assert run_dto["runId"] == run_id and run_dto["status"] == "Completed"
        assert run_dto["experimentId"] == experiment.json()["experimentId"]
        assert requests.get(f"{history}/experiments/other/runs/{run_id}", headers=header).status_code == 404
        assert requests.get(f"{history}/experiments/from-cloud-url", headers={}).status_code == 401


def test_other_external_hosts_raise_and_loopback_passes() -> None:
    import http.server
    import threading

    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with mock_workspace(cloud_urls=True, blob_backend="folder"):
            with pytest.raises(ExternalCallBlocked, match="blocked POST https://example.com/hook"):
                requests.post("https://example.com/hook", json={})
            with pytest.raises(requests.ConnectionError, match="management.azure.com"):
                requests.get("https://management.azure.com/subscriptions")
            with pytest.raises((ExternalCallBlocked, urllib.error.URLError)) as caught:
                urllib.request.urlopen("http://example.com/", timeout=5)
            assert "blocked a connection to example.com" in str(caught.value)
            assert requests.get(f"http://127.0.0.1:{server.server_port}/", timeout=10).status_code == 200
        # outside the mock nothing is intercepted any more
        assert requests.get(f"http://127.0.0.1:{server.server_port}/", timeout=10).status_code == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_cloud_url_naming_no_local_workspace_is_404_and_creates_nothing() -> None:
    from azureml_local.home import workspace_folder

    with mock_workspace(cloud_urls=True, blob_backend="folder"):
        url = (CLOUD + "/pipelines/v1.0/subscriptions/sub-x/resourceGroups/rg-x/providers/"
               "Microsoft.MachineLearningServices/workspaces/nowhere/PipelineRuns/PipelineSubmit/p1")
        answer = requests.post(url, json={"ExperimentName": "x"})
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "ResourceNotFound"
        assert "AZUREML_LOCAL_HOME" in answer.json()["error"]["message"]
        assert local_workspace_for(url) is None
        assert not workspace_folder("sub-x", "rg-x", "nowhere").exists()
        answer = requests.get(CLOUD + "/history/v1.0/no-workspace-here")
        assert answer.status_code == 404


def test_cloud_ids_map_to_the_workspace_from_config_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from azureml.core import Workspace

    project = tmp_path / "project"
    project.mkdir()
    (project / "config.json").write_text(json.dumps({"subscription_id": "1111-2222", "resource_group": "ml-prod",
                                                     "workspace_name": "prod-ws"}))
    monkeypatch.chdir(project)
    with mock_workspace(cloud_urls=True, blob_backend="folder") as ws:
        assert ws == Workspace.from_config()
        ctx = local_workspace_for(CLOUD + "/pipelines/v1.0/subscriptions/1111-2222/resourceGroups/ml-prod/providers/"
                                  "Microsoft.MachineLearningServices/workspaces/prod-ws/PipelineRuns/x")
        assert ctx is not None and ctx.folder == ws._local_folder


@pytest.mark.azureml_cloud_urls
def test_the_marker_routes_cloud_urls_for_one_test() -> None:
    with pytest.raises(ExternalCallBlocked):
        requests.get("https://example.org/")


def test_without_the_mock_nothing_is_intercepted() -> None:
    import http.client

    assert "FunctionWrapper" not in type(http.client.HTTPConnection.__dict__["connect"]).__name__
