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


def test_prune_reports_what_it_stopped(capsys):
    assert main(["prune"]) == 0
    assert "orphaned Azurite" in capsys.readouterr().out


def test_service_status_and_stop(capsys):
    assert main(["init", "--name", "svc-cli"]) == 0
    assert main(["service", "status"]) == 0
    assert '"running": false' in capsys.readouterr().out
    assert main(["service", "stop"]) == 0
