"""Environment: factories, registry versions, curated list, files, missing_packages."""
import pytest

from azureml.core import Environment
from azureml.core.environment import CondaDependencies
from azureml.exceptions import UserErrorException

CONDA_YML = """name: demo
channels: [conda-forge]
dependencies:
  - python=3.11
  - numpy
  - pip:
    - pandas>=1.0
    - surely-not-installed-pkg==1.0
"""


def test_from_conda_specification(tmp_path):
    spec = tmp_path / "env.yml"
    spec.write_text(CONDA_YML)
    env = Environment.from_conda_specification("demo", str(spec))
    assert env.name == "demo" and env.version is None
    assert env.python.conda_dependencies.get_python_version() == "3.11"
    assert "pandas>=1.0" in list(env.python.conda_dependencies.pip_packages)
    assert env.docker.base_image.startswith("mcr.microsoft.com/azureml/")


def test_from_pip_requirements(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\nrequests\npyyaml==6.0\n")
    env = Environment.from_pip_requirements("pipenv", str(req), pip_version="23.0")
    assert list(env.python.conda_dependencies.pip_packages) == ["requests", "pyyaml==6.0"]
    assert "pip=23.0" in list(env.python.conda_dependencies.conda_packages)
    with pytest.raises(FileNotFoundError, match="Pip requirements file not found"):
        Environment.from_pip_requirements("x", str(tmp_path / "nope.txt"))


def test_docker_factories():
    env = Environment.from_docker_image("img", "python:3.11-slim")
    assert env.docker.base_image == "python:3.11-slim" and env.python.user_managed_dependencies
    env = Environment.from_dockerfile("df", "FROM ubuntu\n")
    assert env.docker.base_dockerfile == "FROM ubuntu\n" and env.docker.base_image is None


def test_register_versions(ws):
    env = Environment("myenv")
    env.python.conda_dependencies = CondaDependencies.create(pip_packages=["pandas"])
    first = env.register(ws)
    assert first.version == "1" and first.asset_id.endswith("/environments/myenv/versions/1")
    assert env.register(ws).version == "1"          # unchanged content -> same version
    env.python.conda_dependencies.add_pip_package("scipy")
    assert env.register(ws).version == "2"
    assert Environment.get(ws, "myenv").version == "2"
    got = Environment.get(ws, "myenv", version="1")
    assert "scipy" not in list(got.python.conda_dependencies.pip_packages)
    Environment.label(ws, "myenv", "1", ["stable"])
    assert Environment.get(ws, "myenv", label="stable").version == "1"
    listed = Environment.list(ws)
    assert listed["myenv"].version == "2" and "AzureML-Minimal" in listed
    assert ws.environments["myenv"].version == "2"


def test_curated_and_bad_inputs(ws):
    curated = Environment.get(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu")
    assert any(p.startswith("scikit-learn") for p in curated.python.conda_dependencies.pip_packages)
    clone = curated.clone("my-sklearn")
    assert clone.version is None and clone.register(ws).version == "1"
    with pytest.raises(UserErrorException, match="prefix AzureML"):
        Environment("AzureML-mine").register(ws)
    with pytest.raises(UserErrorException, match="not registered"):
        Environment.get(ws, "nothing-here")
    with pytest.raises(UserErrorException, match="Only one of version or label"):
        Environment.get(ws, "myenv", version="1", label="x")
    with pytest.raises(TypeError):
        Environment(3)


def test_save_and_load_directory(tmp_path):
    env = Environment.from_dockerfile("saved", "FROM ubuntu\n")
    env.python.conda_dependencies.add_pip_package("requests")
    env.save_to_directory(str(tmp_path / "envdir"))
    loaded = Environment.load_from_directory(str(tmp_path / "envdir"))
    assert loaded.name == "saved" and loaded.docker.base_dockerfile == "FROM ubuntu\n"
    assert "requests" in list(loaded.python.conda_dependencies.pip_packages)
    with pytest.raises(UserErrorException):
        env.save_to_directory(str(tmp_path / "envdir"))


def test_private_wheel_and_build(ws, tmp_path, capsys):
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel")
    url = Environment.add_private_pip_wheel(ws, str(wheel))
    assert "pkg-1.0-py3-none-any.whl" in url
    with pytest.raises(UserErrorException, match="already exists"):
        Environment.add_private_pip_wheel(ws, str(wheel))
    assert Environment.add_private_pip_wheel(ws, str(wheel), exist_ok=True) == url
    details = Environment("b").build(ws).wait_for_completion(show_output=True)
    assert details.status == "Succeeded" and "no Docker image is built" in capsys.readouterr().out
    assert Environment("b").get_image_details(ws).interpreter_path


def test_no_conda_and_build_local(ws, tmp_path, capsys, monkeypatch):
    from azureml.core.environment import DockerBuildContext

    monkeypatch.setenv("PATH", str(tmp_path))  # no conda on PATH
    assert Environment.from_existing_conda_environment("x", "myenv") is None
    assert "Please make sure Conda" in capsys.readouterr().out
    env = Environment("bl")
    env.python.conda_dependencies.add_pip_package("surely-not-installed-pkg")
    env.build_local(ws)
    out = capsys.readouterr().out
    assert "is not built" in out and "surely-not-installed-pkg" in out
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text("FROM ubuntu\n")
    context = DockerBuildContext.from_local_directory(ws, str(tmp_path / "ctx"))
    built = Environment.from_docker_build_context("ctx-env", context)
    assert built.docker.build_context.location == str(tmp_path / "ctx") and built.docker.base_image is None
    registered = built.register(ws)
    assert registered.docker.build_context.location_type is DockerBuildContext.LocationType.StorageAccount
