"""service/info.py: the start marker is withdrawn only by the service it names."""
from __future__ import annotations

import os
from pathlib import Path

from azureml_local.service.info import INFO_FILE, STARTING_FILE, ServiceInfo, read_info


def test_publish_removes_its_own_start_marker(tmp_path: Path):
    (tmp_path / STARTING_FILE).write_text(str(os.getpid()))
    ServiceInfo(tmp_path, {"url": "http://127.0.0.1:1"}).publish()
    assert not (tmp_path / STARTING_FILE).exists()
    assert read_info(tmp_path)["pid"] == os.getpid()


def test_publish_keeps_the_marker_of_a_second_service_still_waiting_for_the_lock(tmp_path: Path):
    """A second service spawned while this one started must stay findable by stop_services_under."""
    (tmp_path / STARTING_FILE).write_text(str(os.getpid() + 1))
    ServiceInfo(tmp_path, {"url": "http://127.0.0.1:1"}).publish()
    assert (tmp_path / STARTING_FILE).read_text() == str(os.getpid() + 1)
    assert (tmp_path / INFO_FILE).exists()
