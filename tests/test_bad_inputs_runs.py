"""Bad names given to experiments, run artifacts, models and pipeline step arguments."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.exceptions import UserErrorException, WebserviceException


@pytest.mark.parametrize("name", ["../x", "", "a" * 256, "exp/é", "a b", 5, None])
def test_experiment_names_are_checked_before_any_row(ws, name) -> None:
    from azureml.core import Experiment

    with pytest.raises(UserErrorException, match="Experiment name must be between 1 and 255"):
        Experiment(ws, name)
    assert ws.experiments == {}


def test_non_ascii_experiment_names_the_sdk_accepts_work(ws) -> None:
    from azureml.core import Experiment

    run = Experiment(ws, "naïve").start_logging(snapshot_directory=None)
    run.complete()
    assert "naïve" in ws.experiments


@pytest.fixture
def run(ws):
    from azureml.core import Experiment

    active = Experiment(ws, "artifacts").start_logging(snapshot_directory=None)
    yield active
    active.complete()


@pytest.mark.parametrize("name", ["../x", "outputs/../../x", "", "a/../../../etc/passwd", 5, None])
def test_run_upload_file_refuses_bad_names_before_uploading(run, tmp_path: Path, name) -> None:
    source = tmp_path / "f.txt"
    source.write_text("x")
    with pytest.raises(UserErrorException, match="Invalid run artifact name"):
        run.upload_file(name, str(source))
    with pytest.raises(UserErrorException, match="Invalid run artifact name"):
        run.upload_files([name], [str(source)])
    assert run.get_file_names() == []


def test_run_upload_folder_refuses_traversal(run, tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("x")
    with pytest.raises(UserErrorException, match="Invalid run artifact name"):
        run.upload_folder("../up", str(tmp_path / "d"))
    assert run.get_file_names() == []


def test_run_artifact_names_non_ascii_and_leading_slash(run, tmp_path: Path) -> None:
    source = tmp_path / "f.txt"
    source.write_text("x")
    run.upload_file("outputs/données.txt", str(source))
    run.upload_file("/abs/name.txt", str(source))  # a leading '/' is dropped, as the SDK's artifact names are
    assert sorted(run.get_file_names()) == ["abs/name.txt", "outputs/données.txt"]
    run.download_file("outputs/données.txt", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_text() == "x"


@pytest.mark.parametrize("name", ["../x", "", "a" * 256, "naïve", 5])
def test_model_names_are_checked_before_registering(ws, tmp_path: Path, name) -> None:
    from azureml.core.model import Model

    source = tmp_path / "model.pkl"
    source.write_bytes(b"m")
    with pytest.raises(WebserviceException, match="model name is invalid"):
        Model.register(ws, str(source), name)
    assert Model.list(ws) == []


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for me")


def test_a_step_argument_whose_str_raises_is_the_sdks_value_error(ws, tmp_path: Path) -> None:
    from azureml.core import Experiment
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    (tmp_path / "s.py").write_text("print(1)\n")
    step = PythonScriptStep("s.py", name="s", source_directory=str(tmp_path), compute_target="local",
                            arguments=["--x", Unprintable()])
    with pytest.raises(ValueError, match=r"<class '.*Unprintable'> is not a valid type for argument"):
        Experiment(ws, "bad-args").submit(Pipeline(ws, steps=[step]))
    assert list(Experiment(ws, "bad-args").get_runs()) == []
