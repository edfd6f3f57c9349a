"""Model.register(datasets=...) keeps the dataset lineage (model area + data registry together)."""
from __future__ import annotations

from azureml.core import Dataset


def test_model_register_records_datasets(ws, store, tmp_path):
    from azureml.core import Model

    ds = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv")).register(ws, "train_table")
    (tmp_path / "model.pkl").write_bytes(b"model")
    model = Model.register(ws, model_path=str(tmp_path / "model.pkl"), model_name="m",
                           datasets=[("training data", ds)])
    again = Model(ws, "m")
    assert [d.id for d in again.datasets["training data"]] == [ds.id]
    assert again.datasets["training data"][0].name == "train_table"
    assert model.version == 1
