"""The metadata-store backends the contract suites run against.

Today only SQLite; an HTTP client of the same stores (for Dask workers) is added by
adding a ``backend`` param that yields an object with the same ``runs`` and
``pipeline_runs`` attributes.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest


def _sqlite(tmp_path: Path) -> SimpleNamespace:
    from azureml_local.store.db import Database
    from azureml_local.store.pipeline_runs import PipelineRunStore
    from azureml_local.store.published import PublishedStore
    from azureml_local.store.runs import RunStore

    db = Database(tmp_path / "store.db")
    return SimpleNamespace(runs=RunStore(db), pipeline_runs=PipelineRunStore(db), published=PublishedStore(db),
                           close=db.close)


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path):
    stores = {"sqlite": _sqlite}[request.param](tmp_path)
    yield stores
    stores.close()
