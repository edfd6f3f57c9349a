"""The pipeline engine's helper on the compute records: max_concurrency."""
import os


from azureml.core.compute import AmlCompute, ComputeTarget
from azureml_local.compute.registry import max_concurrency


def test_max_concurrency(ws):
    ComputeTarget.create(ws, "three", AmlCompute.provisioning_configuration(max_nodes=3))
    assert max_concurrency(ws, "three") == 3
    assert max_concurrency(ws, "local") == os.cpu_count()
    assert max_concurrency(ws, None) == os.cpu_count()
    assert max_concurrency(ws, "unknown") == os.cpu_count()

