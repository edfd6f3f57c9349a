"""CondaDependencies: defaults, edits, YAML round trip and bad input."""
import pytest

from azureml.core.conda_dependencies import CondaDependencies
from azureml.exceptions import UserErrorException


def test_default_has_python_and_azureml_defaults():
    cd = CondaDependencies()
    assert list(cd.pip_packages) == ["azureml-defaults"]
    assert cd.get_python_version() == "3.8.13"
    assert list(cd.conda_channels) == ["anaconda", "conda-forge"]


def test_create_pins_sdk_packages_and_replaces_defaults():
    cd = CondaDependencies.create(pip_packages=["azureml-core", "pandas==2.0"], conda_packages=["numpy"],
                                  python_version="3.11")
    pips = list(cd.pip_packages)
    assert pips[0].startswith("azureml-core~=1.") and "pandas==2.0" in pips
    assert "azureml-defaults" not in pips
    assert "numpy" in list(cd.conda_packages) and cd.get_python_version() == "3.11"


def test_add_pip_package_replaces_same_name():
    cd = CondaDependencies()
    cd.add_pip_package("scikit-learn==1.0")
    cd.add_pip_package("scikit-learn==1.2")
    assert [p for p in cd.pip_packages if p.startswith("scikit")] == ["scikit-learn==1.2"]
    cd.remove_pip_package("scikit-learn")
    assert not [p for p in cd.pip_packages if p.startswith("scikit")]


def test_yaml_round_trip(tmp_path):
    cd = CondaDependencies.create(pip_packages=["requests"], conda_packages=["numpy=1.26"])
    cd.add_channel("pytorch")
    path = tmp_path / "env.yml"
    cd.save(str(path))
    again = CondaDependencies(str(path))
    assert again.as_dict() == cd.as_dict()
    assert "requests" in cd.serialize_to_string()


def test_merge_requirements():
    assert CondaDependencies.merge_requirements(["a>1", "a<3", "b"]) == ["a>1,<3", "b"]


def test_bad_inputs(tmp_path):
    with pytest.raises(UserErrorException, match="Invalid package name"):
        CondaDependencies().add_pip_package("--index-url x")
    with pytest.raises(UserErrorException, match="python must not be removed"):
        cd = CondaDependencies()
        cd.remove_conda_package("python=3.8.13")
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nfoo: 1\n")
    with pytest.raises(UserErrorException, match="unknown foo key"):
        CondaDependencies(str(bad))
    with pytest.raises(FileNotFoundError, match="not found"):
        CondaDependencies(str(tmp_path / "missing.yml"))
    with pytest.raises(UserErrorException, match="directory"):
        CondaDependencies().save(str(tmp_path))
