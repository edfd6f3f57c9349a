"""``azureml.core.Dataset``: the entry point (``Dataset.Tabular``, ``Dataset.File``, lookups)."""
from __future__ import annotations

from typing import Any

from azureml_local.data.abstract_dataset import AbstractDataset
from azureml_local.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory


class Dataset:
    """Datasets in a workspace: create with ``Dataset.Tabular.*``/``Dataset.File.*``, look up by name or id."""

    Tabular = TabularDatasetFactory
    File = FileDatasetFactory

    get_by_name = staticmethod(AbstractDataset.get_by_name)
    get_by_id = staticmethod(AbstractDataset.get_by_id)
    get_all = staticmethod(AbstractDataset.get_all)

    @staticmethod
    def list(workspace: Any) -> list:
        return list(AbstractDataset.get_all(workspace).values())


AbstractDataset.Tabular = TabularDatasetFactory  # type: ignore[attr-defined]
AbstractDataset.File = FileDatasetFactory  # type: ignore[attr-defined]
