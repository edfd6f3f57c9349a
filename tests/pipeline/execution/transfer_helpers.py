"""Shared set-up of the DataTransferStep tests: a Data Factory record, two blob datastores, in-process runs."""
from __future__ import annotations

import uuid
from typing import Any


def data_factory(ws: Any, name: str = "adf") -> Any:
    from azureml.core.compute import ComputeTarget, DataFactoryCompute

    return ComputeTarget.attach(ws, name, DataFactoryCompute.attach_configuration(resource_group="rg",
                                                                                 factory_name="factory"))


def blob_datastore(ws: Any, name: str) -> Any:
    from azureml.core import Datastore

    return Datastore.register_azure_blob_container(ws, name, f"{name}-{uuid.uuid4().hex[:8]}", "devstoreaccount1",
                                                   create_if_not_exists=True)


def put(datastore: Any, path: str, data: bytes) -> None:
    from azureml_local.data import stores

    store, container = stores.container_for(datastore.workspace, datastore.name)
    store.upload_bytes(container, path, data)


def read(datastore: Any, path: str) -> bytes | None:
    from azureml_local.data import stores

    store, container = stores.container_for(datastore.workspace, datastore.name)
    return store.download_bytes(container, path) if store.exists(container, path) else None


def names(datastore: Any, prefix: str = "") -> list[str]:
    from azureml_local.data import stores

    store, container = stores.container_for(datastore.workspace, datastore.name)
    return [b.name for b in store.list_blobs(container, prefix)]


def run_in_process(ws: Any, pipeline: Any, monkeypatch: Any, experiment: str = "transfer", **kwargs: Any) -> Any:
    """Submit without waking the service and run the pipeline in this process (the real orchestrator)."""
    from azureml_local.pipeline import submission
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)
    run = pipeline.submit(experiment, **kwargs)
    run_pipeline(ws, run.id)
    return run
