"""PipelineEndpoint: versions (add vs add_default), default version, submit by id/name/version, archive,
and every message of the SDK (sdk-v1-behaviour.md section d). Runs really go through the service."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import ServiceException
from azureml.pipeline.core import Pipeline, PipelineEndpoint, PipelineParameter, PublishedPipeline
from azureml.pipeline.core.pipeline_endpoint import PipelineVersion
from azureml.pipeline.steps import PythonScriptStep


def _pipeline(ws, tmp_path: Path, label: str) -> Pipeline:
    folder = tmp_path / label
    folder.mkdir()
    (folder / "show.py").write_text(f"import sys\nprint('{label}', sys.argv[1:])\n")
    word = PipelineParameter("word", default_value="default")
    step = PythonScriptStep("show.py", name="show", source_directory=str(folder), compute_target="local",
                            arguments=["--word", word], allow_reuse=False)
    return Pipeline(ws, steps=[step], description=label)


def _printed(run) -> str:
    assert run.wait_for_completion(show_output=False) == "Finished"
    [step] = list(run.get_steps())
    return step.get_stdout_log()


@pytest.fixture
def two(ws, tmp_path):
    first = _pipeline(ws, tmp_path, "first").publish(name="first")
    second = _pipeline(ws, tmp_path, "second").publish(name="second")
    return first, second


def test_versions_default_and_submit_by_id_name_version(ws, two, capsys):
    first, second = two
    endpoint = PipelineEndpoint.publish(ws, name="ep", description="an endpoint", pipeline=first)
    assert (endpoint.name, endpoint.description, endpoint.status, endpoint.default_version) == \
        ("ep", "an endpoint", "Active", "0")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/pipelines/v1\.0/subscriptions/sub-1/resourceGroups/rg-1/providers/"
                        r"Microsoft\.MachineLearningServices/workspaces/ws1/PipelineRuns/PipelineEndpointSubmit/Id/"
                        + re.escape(endpoint.id), endpoint.endpoint)
    assert endpoint.swaggerurl.endswith("/pipelines/swagger/pipelineendpointsubmit/swagger.json")

    endpoint.add(second)  # a new version; the default stays
    assert [(v.version, v.pipeline_id) for v in endpoint.pipeline_version_list] == [("0", first.id), ("1", second.id)]
    assert endpoint.get_default_version() == "0" and endpoint.get_pipeline().id == first.id
    assert endpoint.get_pipeline("1").id == second.id
    versions = endpoint.list_versions()
    assert all(isinstance(v, PipelineVersion) for v in versions)
    assert [(v.version, v.pipeline.id) for v in versions] == [("0", first.id), ("1", second.id)]
    assert [p.id for p in endpoint.list_pipelines()] == [first.id, second.id]

    default_run = endpoint.submit("ep-exp", pipeline_parameters={"word": "hello"})
    assert capsys.readouterr().out == ""  # PipelineEndpoint.submit prints nothing
    assert "first ['--word', 'hello']" in _printed(default_run)
    assert default_run.get_properties()["azureml.pipelineEndpointId"] == endpoint.id
    by_version = endpoint.submit("ep-exp", pipeline_version="1")
    assert "second ['--word', 'default']" in _printed(by_version)

    by_name = PipelineEndpoint.get(ws, name="ep")
    assert by_name.id == endpoint.id and PipelineEndpoint.get(ws, id=endpoint.id).name == "ep"
    by_name.set_default_version("1")
    assert by_name.default_version == "1" and PipelineEndpoint.get(ws, id=endpoint.id).default_version == "1"
    run = Experiment(ws, "ep-exp").submit(by_name, tags={"endpoint_tag": "1"}, pipeline_parameters={"word": "x"})
    assert "second ['--word', 'x']" in _printed(run) and run.get_tags()["endpoint_tag"] == "1"
    run = Experiment(ws, "ep-exp").submit(by_name, pipeline_version="0")
    assert "first ['--word', 'default']" in _printed(run)

    by_name.set_default(first)
    assert by_name.get_default_version() == "0"
    third = _pipeline_from(first, ws)
    by_name.add_default(third)  # a new version that becomes the default
    assert by_name.get_default_version() == "2" and by_name.get_pipeline().id == third.id
    assert "PipelineEndpoint(Name: ep,\nId: " in str(by_name)


def _pipeline_from(published: PublishedPipeline, ws) -> PublishedPipeline:
    """Another published pipeline with the same definition (a new id)."""
    from azureml.pipeline.core import PipelineDraft

    draft = PipelineDraft.create(ws, published)
    return draft.publish()


def test_publish_from_a_pipeline_names_it_as_the_sdk(ws, tmp_path):
    endpoint = PipelineEndpoint.publish(ws, name="fromp", description="d", pipeline=_pipeline(ws, tmp_path, "p"))
    published = endpoint.get_pipeline()
    assert re.fullmatch(r"fromp-\d\d-\d\d-\d{4}-\d\d-\d\d-Pipeline", published.name)
    assert published.description == "Description for " + published.name


def test_sdk_messages(ws, two, caplog, tmp_path):
    first, second = two
    endpoint = PipelineEndpoint.publish(ws, name="ep", description="d", pipeline=first)
    tables = ("published_pipelines", "pipeline_endpoints", "pipeline_endpoint_versions")
    rows_before = [ws._store.query_one(f"SELECT COUNT(*) FROM {t}")[0] for t in tables]
    with pytest.raises(ValueError, match=r"^PipelineEndpoint already exists with the given name\. Please choose a "
                                         r"unique value\.$"):
        PipelineEndpoint.publish(ws, name="ep", description="d", pipeline=_pipeline(ws, tmp_path, "unpublished"))
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        PipelineEndpoint.publish(ws, name=None, description="d", pipeline=second)
    with pytest.raises(ValueError, match=r"^pipeline should be either type Pipeline or PublishedPipeline$"):
        PipelineEndpoint.publish(ws, name="other", description="d", pipeline="not a pipeline")
    with pytest.raises(ValueError, match=re.escape(f"Cannot add pipeline , pipeline id {first.id} exists in "
                                                   f"PipelineEndpoint {{{endpoint.id}}}")):
        endpoint.add(first)
    with pytest.raises(ValueError, match=re.escape(f"Cannot set version 7, does not exist in pipeline endpoint "
                                                   f"{endpoint.id}. Please, use add() or add_default() to add ")):
        endpoint.set_default_version("7")
    with pytest.raises(ValueError, match=re.escape(f"Cannot set pipeline, pipeline id {second.id} does not exist in "
                                                   f"pipeline endpoint {endpoint.id}.")):
        endpoint.set_default(second)
    with pytest.raises(ValueError, match=re.escape(f"Version 9, pipeline not found in pipelineEndpoint {endpoint.id}")):
        endpoint.get_pipeline("9")
    with pytest.raises(Exception, match=r"^Please, enter either id or name to get PipelineEndpoint$"):
        PipelineEndpoint.get(ws)
    with pytest.raises(ServiceException, match="No pipeline endpoint with name 'nope'") as info:
        PipelineEndpoint.get(ws, name="nope")
    assert info.value.status_code == 404
    with pytest.raises(ServiceException, match="has no version '5'") as info:
        endpoint.submit("exp", pipeline_version="5")
    assert info.value.status_code == 404
    assert [ws._store.query_one(f"SELECT COUNT(*) FROM {t}")[0] for t in tables] == rows_before

    runs_before = ws._store.query_one("SELECT COUNT(*) FROM runs")[0]
    endpoint.disable()
    assert endpoint.status == "Disabled"
    with pytest.raises(ValueError, match=r"^Status must be Active, its Disabled$"):
        endpoint.submit("exp")
    stale = PipelineEndpoint.get(ws, id=endpoint.id)
    stale._status = "Active"  # an object read before another process disabled it: the service still refuses
    with pytest.raises(ServiceException, match="is Disabled") as info:
        stale.submit("exp")
    assert info.value.status_code == 409
    assert ws._store.query_one("SELECT COUNT(*) FROM runs")[0] == runs_before
    endpoint.enable()
    assert PipelineEndpoint.get(ws, name="ep").status == "Active"

    with caplog.at_level(logging.WARNING):
        assert [e.id for e in PipelineEndpoint.get_all(ws)] == [endpoint.id]
        assert len(endpoint.get_all_versions()) == 1 and len(endpoint.get_all_pipelines()) == 1
    assert "PipelineEndpoint.get_all(workspace) is being deprecated. Use PipelineEndpoint.list(workspace) " \
        "instead." in caplog.text
    assert "get_all_versions() is being deprecated. Use list_versions() instead." in caplog.text
    assert "get_all_pipelines() is being deprecated. Use list_pipelines() instead." in caplog.text


def test_set_name_archive_reactivate_and_list(ws, two):
    first, second = two
    one = PipelineEndpoint.publish(ws, name="one", description="d", pipeline=first)
    two_ = PipelineEndpoint.publish(ws, name="two", description="d", pipeline=second)
    one.set_name(name="NewName")
    assert one.name == "NewName" and PipelineEndpoint.get(ws, name="NewName").id == one.id
    with pytest.raises(ValueError, match="PipelineEndpoint already exists with the given name"):
        two_.set_name("NewName")
    one.archive()
    assert one.status == "Disabled" and one.name != "NewName"
    assert [e.id for e in PipelineEndpoint.list(ws)] == [two_.id]
    assert {e.id for e in PipelineEndpoint.list(ws, active_only=False)} == {one.id, two_.id}
    again = PipelineEndpoint.publish(ws, name="NewName", description="reuses the archived name", pipeline=second)
    assert again.name == "NewName"
    back = one.reactivate("restored")
    assert (one.name, one.status) == ("restored", "Active") and back.name == "restored"
    assert len(PipelineEndpoint.list(ws, max_results=2)) == 2


def test_disabled_version_pipeline_is_refused(ws, two):
    first, _ = two
    endpoint = PipelineEndpoint.publish(ws, name="ep", description="d", pipeline=first)
    first.disable()
    assert endpoint.list_pipelines() == [] and len(endpoint.list_pipelines(active_only=False)) == 1
    with pytest.raises(ServiceException, match="is Disabled") as info:
        endpoint.submit("exp")
    assert info.value.status_code == 409


def test_experiment_submit_deprecated_pipeline_params_and_parent(ws, two, caplog):
    first, _ = two
    endpoint = PipelineEndpoint.publish(ws, name="ep", description="d", pipeline=first)
    parent = endpoint.submit("exp")
    with caplog.at_level(logging.WARNING):
        run = Experiment(ws, "exp").submit(endpoint, pipeline_params={"word": "old"}, parent_run_id=parent.id)
    assert "The 'pipeline_params' argument is deprecated. Please use 'pipeline_parameters' instead." in caplog.text
    assert "first ['--word', 'old']" in _printed(run)
    assert ws._context.runs.run(run.id)["parent_run_id"] == parent.id
    assert _printed(parent)
