"""missing_packages: what an Environment asks for that this interpreter lacks."""
from azureml.core import Environment
from azureml_local.environment import missing_packages

CONDA_YML = """name: demo
channels: [conda-forge]
dependencies:
  - python=3.11
  - numpy
  - conda-forge::pyyaml=6
  - pip:
    - pandas>=1.0
    - surely-not-installed-pkg==1.0
    - --extra-index-url https://example.invalid/simple
    - git+https://example.invalid/repo.git#egg=other_missing_pkg
"""


def test_missing_packages(tmp_path):
    spec = tmp_path / "env.yml"
    spec.write_text(CONDA_YML)
    env = Environment.from_conda_specification("demo", str(spec))
    env.python.conda_dependencies.add_conda_package("cudatoolkit=11")
    env.python.conda_dependencies.add_pip_package("azureml-core")
    assert missing_packages(env) == ["surely-not-installed-pkg", "other_missing_pkg"]


def test_nothing_requested_nothing_missing():
    env = Environment("plain")
    env.python.conda_dependencies = None
    assert missing_packages(env) == []
    assert missing_packages(object()) == []
