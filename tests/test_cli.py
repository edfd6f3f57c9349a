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


def test_service_port_is_the_workspace_stable_port(capsys):
    from azureml.core import Workspace
    from azureml_local.service import urls

    assert main(["init", "--name", "svc-port"]) == 0
    capsys.readouterr()
    assert main(["service", "port"]) == 0
    port = int(capsys.readouterr().out.strip())
    assert port == urls.service_port(Workspace.from_config())
    assert main(["service", "port"]) == 0
    assert int(capsys.readouterr().out.strip()) == port  # stable


def test_service_start_with_a_host_warns_and_status_names_it(capsys):
    assert main(["init", "--name", "svc-host"]) == 0
    capsys.readouterr()
    try:
        assert main(["service", "start", "--host", "0.0.0.0"]) == 0
        captured = capsys.readouterr()
        assert "not on loopback" in captured.err
        status = json.loads(captured.out)
        assert status["running"] and status["host"] == "0.0.0.0"
        assert status["url"] == f"http://127.0.0.1:{status['port']}"
    finally:
        assert main(["service", "stop"]) == 0
