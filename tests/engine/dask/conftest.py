"""Fixtures of the Dask tests: a real ``LocalCluster`` (two worker processes) started and closed here."""
from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install .[dask])")


@pytest.fixture
def dask_cluster():
    """Two single-threaded worker processes behind a scheduler on loopback; closed after the test."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       host="127.0.0.1")
    client = distributed.Client(cluster, set_as_default=False)
    try:
        yield cluster, client
    finally:
        client.close()
        cluster.close()


@pytest.fixture
def dask_compute(ws, dask_cluster):
    """``make(name, max_nodes)``: an AmlCompute backed by the test's cluster (the documented tag)."""
    from azureml.core.compute import AmlCompute, ComputeTarget

    cluster, _ = dask_cluster

    def make(name: str, max_nodes: int) -> str:
        config = AmlCompute.provisioning_configuration(max_nodes=max_nodes,
                                                       tags={"azureml-local-dask": cluster.scheduler_address})
        ComputeTarget.create(ws, name, config).wait_for_completion(show_output=False)
        return name

    return make
