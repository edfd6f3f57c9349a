"""Model.package: a Dockerfile build context written locally (no registry for an image)."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Environment, Model
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.model import InferenceConfig
from azureml.exceptions import WebserviceException


def test_dockerfile_package_saves_a_build_context(ws, model, source_dir, tmp_path: Path):
    env = Environment("scoring-env")
    env.python.conda_dependencies = CondaDependencies.create(pip_packages=["azureml-defaults", "scikit-learn==1.3"])
    env.environment_variables = {"MODE": "fast"}
    inference = InferenceConfig(entry_script="score.py", source_directory=str(source_dir), environment=env)
    with pytest.raises(WebserviceException, match="generate_dockerfile=True"):
        Model.package(ws, [model], inference)
    with pytest.raises(WebserviceException, match="requires an InferenceConfig containing an Environment"):
        Model.package(ws, [model], InferenceConfig(entry_script="score.py", source_directory=str(source_dir)),
                      generate_dockerfile=True)
    package = Model.package(ws, [model], inference, generate_dockerfile=True)
    package.wait_for_creation(show_output=True)
    out = tmp_path / "context"
    package.save(str(out))
    dockerfile = (out / "Dockerfile").read_text()
    assert "AZUREML_MODEL_DIR=/var/azureml-app/azureml-models/doubler/1" in dockerfile and "MODE=fast" in dockerfile
    assert (out / "azureml-models" / "doubler" / "1" / "model.json").read_text() == '{"factor": 2}'
    assert (out / "app" / "score.py").exists()
    requirements = (out / "requirements.txt").read_text().split()
    assert "azureml-inference-server-http" in requirements and "scikit-learn==1.3" in requirements
    with pytest.raises(WebserviceException, match="cannot be pulled"):
        package.pull()
