"""resolve_compute: name or object -> ComputeTarget (with the opt-in auto-create)."""
import os

import pytest

from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.exceptions import ComputeTargetException
from azureml_local.compute.registry import max_concurrency
from azureml_local.compute.resolve import resolve_compute


def test_resolve_compute(ws, monkeypatch, capsys):
    assert resolve_compute(ws, None).name == "local"
    target = ComputeTarget.create(ws, "gpu", AmlCompute.provisioning_configuration(max_nodes=1))
    assert resolve_compute(ws, target).name == "gpu" and resolve_compute(ws, "gpu").type == "AmlCompute"
    monkeypatch.delenv("AZUREML_LOCAL_AUTO_CREATE_COMPUTE", raising=False)
    with pytest.raises(ComputeTargetException, match="ComputeTargetNotFound"):
        resolve_compute(ws, "missing")
    with pytest.raises(ComputeTargetException):
        resolve_compute(ws, 42)
    monkeypatch.setenv("AZUREML_LOCAL_AUTO_CREATE_COMPUTE", "1")
    made = resolve_compute(ws, "missing")
    assert made.type == "AmlCompute" and made.scale_settings.maximum_node_count == os.cpu_count()
    assert "created it as a local AmlCompute" in capsys.readouterr().out
    assert max_concurrency(ws, "missing") == os.cpu_count()
