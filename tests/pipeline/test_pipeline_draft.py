"""PipelineDraft round trip as aml-pipelines-how-to-use-pipeline-drafts.ipynb uses it, plus clones and errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Experiment
from azureml.exceptions import ServiceException
from azureml.pipeline.core import Pipeline, PipelineDraft, PipelineParameter, PublishedPipeline
from azureml.pipeline.steps import PythonScriptStep


def _pipeline(ws, folder: Path, label: str) -> Pipeline:
    folder.mkdir(exist_ok=True)
    (folder / f"{label}.py").write_text(f"import sys\nprint('{label}', sys.argv[1:])\n")
    n = PipelineParameter("n", default_value=1)
    step = PythonScriptStep(f"{label}.py", name=label, source_directory=str(folder), compute_target="local",
                            arguments=["--n", n], allow_reuse=False)
    return Pipeline(ws, steps=[step], description=label)


def _printed(run) -> str:
    assert run.wait_for_completion(show_output=False) == "Finished"
    [step] = list(run.get_steps())
    return step.get_stdout_log()


def test_notebook_round_trip(ws, tmp_path):
    draft = PipelineDraft.create(ws, name="TestPipelineDraft", description="draft description",
                                 experiment_name="pipeline_draft_sample", pipeline=_pipeline(ws, tmp_path / "s", "train"),
                                 continue_on_step_failure=True, tags={"dev": "true"}, properties={"train": "value"},
                                 pipeline_parameters={"n": 4})
    other = PipelineDraft.create(ws, name="other", experiment_name="e", pipeline=_pipeline(ws, tmp_path / "o", "o"))
    assert [d.id for d in PipelineDraft.list(ws, tags={"dev": "true"})] == [draft.id]
    assert {d.id for d in PipelineDraft.list(ws)} == {draft.id, other.id}
    assert str(draft) == (f"Pipeline(Name: TestPipelineDraft,\nId: {draft.id},\nTags: {{'dev': 'true'}},\n"
                          "Properties: {'train': 'value'},\nLast Submitted Pipeline Run Id: None)")

    draft = PipelineDraft.get(ws, id=draft.id)
    assert (draft.name, draft.description, draft.properties) == ("TestPipelineDraft", "draft description",
                                                                 {"train": "value"})
    run = draft.submit_run()
    assert run.experiment.name == "pipeline_draft_sample"
    assert "train ['--n', '4']" in _printed(run)
    assert draft.last_submitted_pipeline_run_id == run.id
    assert PipelineDraft.get(ws, draft.id).last_submitted_pipeline_run_id == run.id
    assert ws._context.pipeline_runs.get(run.id)["continue_on_step_failure"] == 1

    draft.update(name="UpdatedPipelineDraft", description="has updated train step",
                 pipeline=_pipeline(ws, tmp_path / "s", "new_train"))
    assert (draft.name, draft.description) == ("UpdatedPipelineDraft", "has updated train step")
    assert [s["name"] for s in draft.get_graph()["steps"]] == ["new_train"]
    run = Experiment(ws, "from-experiment").submit(draft)
    assert "new_train ['--n', '4']" in _printed(run)

    published = draft.publish()
    assert isinstance(published, PublishedPipeline) and published.name == "UpdatedPipelineDraft"
    assert published.get_step_names() == ["new_train"]
    assert "new_train ['--n', '6']" in _printed(published.submit(ws, "pub", pipeline_parameters={"n": 6}))

    draft.delete()
    with pytest.raises(ServiceException, match="No pipeline draft with id") as info:
        PipelineDraft.get(ws, draft.id)
    assert info.value.status_code == 404


def test_clones_record_their_parent(ws, tmp_path):
    pipeline = _pipeline(ws, tmp_path / "s", "a")
    run = Experiment(ws, "exp").submit(pipeline, pipeline_parameters={"n": 2})
    assert _printed(run)
    from_run = PipelineDraft.create(ws, run)
    assert from_run.parent_pipeline_run_id == run.id and len(from_run.parent_step_run_ids) == 1
    assert "a ['--n', '2']" in _printed(from_run.submit_run())  # the run's parameters and experiment

    published = pipeline.publish(name="pub")
    from_published = PipelineDraft.create(ws, published)
    assert from_published.parent_pipeline_id == published.id and from_published.name == "pub"
    from_draft = PipelineDraft.create(ws, from_run)
    assert from_draft.parent_pipeline_draft_id == from_run.id


def test_errors(ws, tmp_path):
    pipeline = _pipeline(ws, tmp_path / "s", "a")
    with pytest.raises(ValueError, match=r"^pipeline should be of type Pipeline, PublishedPipeline, PipelineDraft, "
                                         r"or PipelineRun$"):
        PipelineDraft.create(ws, "nope", name="x", experiment_name="e")
    with pytest.raises(ValueError, match=r"^name can not be None$"):
        PipelineDraft.create(ws, pipeline, experiment_name="e")
    with pytest.raises(ValueError, match=r"^experiment_name can not be None$"):
        PipelineDraft.create(ws, pipeline, name="x")
    with pytest.raises(Exception, match="Pipeline parameter with name zz does not exist"):
        PipelineDraft.create(ws, pipeline, name="x", experiment_name="e", pipeline_parameters={"zz": 1})
    assert PipelineDraft.list(ws) == []
    draft = PipelineDraft.create(ws, pipeline, name="x", experiment_name="e")
    with pytest.raises(ValueError, match=r"^pipeline should be of type Pipeline$"):
        draft.update(pipeline="nope")
    draft.save(str(tmp_path))
    assert '"name": "a"' in (tmp_path / "x.yml").read_text()
