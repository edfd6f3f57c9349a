"""The CI recipes (samples/ci/, docker/Dockerfile.ci) agree with each other and their test command works.

The workflow's pytest command is run, as written, against a copy of the sample project
(``samples/ci/project``): that is how the sample's tests run in ``.ci/run``. Installing from PyPI and
building the image cannot happen here (no network, no Docker engine): their commands are compared
with the workflow's instead.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CI = REPO / "samples" / "ci"


def github_steps() -> list[dict]:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    return workflow["jobs"]["pipeline-tests"]["steps"]


def github_commands() -> list[str]:
    return [line.strip() for step in github_steps() if "run" in step for line in step["run"].splitlines()
            if line.strip()]


def gitlab_job() -> dict:
    return yaml.safe_load((CI / "gitlab-ci.yml").read_text())["azureml-pipeline-tests"]


def dockerfile_commands() -> list[str]:
    lines, current = [], ""
    for raw in (REPO / "docker" / "Dockerfile.ci").read_text().splitlines():
        if raw.startswith("#"):
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.endswith("\\"):
            lines.append(current.strip())
            current = ""
    return [line.split(" ", 1)[1] for line in lines if line.split(" ", 1)[0] in ("RUN", "CMD")]


def workflow_test_command() -> str:
    (command,) = [c for c in github_commands() if "pytest" in c and "pip install" not in c]
    return command


def test_the_three_recipes_install_and_test_with_the_same_commands() -> None:
    github = github_commands()
    gitlab = gitlab_job()["before_script"] + gitlab_job()["script"]
    docker = [c.replace('".[testing]"', '"azureml-local[testing]"') for c in dockerfile_commands()]
    for command in github:
        assert command in gitlab, f"gitlab-ci.yml lacks: {command}"
        assert command in docker, f"docker/Dockerfile.ci lacks: {command}"


def test_the_uploaded_artifacts_are_the_logs_the_tests_write() -> None:
    logs_dir = shlex.split(workflow_test_command())[-1].split("=", 1)[1]
    (upload,) = [s for s in github_steps() if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["path"].rstrip("/") == logs_dir and upload["if"] == "always()"
    assert [p.rstrip("/") for p in gitlab_job()["artifacts"]["paths"]] == [logs_dir]
    assert gitlab_job()["artifacts"]["when"] == "always"


def test_the_workflows_test_command_passes_on_the_sample_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CI / "project", project)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZUREML_LOCAL", "PYTEST"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `python` = this venv's
    result = subprocess.run(["bash", "-c", workflow_test_command()], cwd=project, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    logs = project / "azureml-logs"
    driver_logs = list(logs.rglob("std_log.txt"))
    assert any("total = 30" in p.read_text() for p in driver_logs), [str(p) for p in driver_logs]
