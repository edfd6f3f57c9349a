import json
from pathlib import Path

from azureml_local.cli import main


def test_init_creates_workspace_and_config(capsys):
    assert main(["init", "--name", "clitest"]) == 0
    data = json.loads(Path(".azureml/config.json").read_text())
    assert data["workspace_name"] == "clitest"
    assert main(["init", "--name", "clitest"]) == 0  # idempotent


def test_info_without_config_is_a_clear_error(capsys):
    assert main(["info"]) == 2
    assert "could not be found" in capsys.readouterr().err
