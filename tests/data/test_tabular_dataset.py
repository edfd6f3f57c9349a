"""Tabular datasets over real uploaded CSV/parquet/JSON-lines blobs."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from azureml.core import Dataset
from azureml.data import DataType, TabularDataset
from azureml.data.dataset_error_handling import DatasetValidationError
from azureml.exceptions import UserErrorException


def test_delimited_glob_to_pandas(ws, store):
    ds = Dataset.Tabular.from_delimited_files(path=(store, "data/**/*.csv"))
    assert isinstance(ds, TabularDataset)
    df = ds.to_pandas_dataframe()
    assert list(df.columns) == ["id", "name", "score"] and len(df) == 5
    assert df["score"].dtype == float
    assert "GetDatastoreFiles" in repr(ds) and "('workspaceblobstore', 'data/**/*.csv')" in repr(ds)


def test_list_of_paths_types_and_partitions(ws, store):
    from azureml.data.datapath import DataPath

    ds = Dataset.Tabular.from_delimited_files(
        [DataPath(store, "data/2023/01/a.csv"), (store, "data/2023/02/*.csv")],
        set_column_types={"id": DataType.to_string()}, include_path=True,
        partition_format="/{year}/{month}/{file}.csv")
    df = ds.to_pandas_dataframe()
    assert df["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert df["month"].tolist() == ["01", "01", "02", "02", "02"]
    assert df["Path"].iloc[0] == "/a.csv"
    assert ds.partition_keys == ["year", "month", "file"]
    raw = Dataset.Tabular.from_delimited_files((store, "data/2023/01/a.csv"), infer_column_types=False, header=False)
    assert raw.to_pandas_dataframe().iloc[0].tolist() == ["id", "name", "score"]


def test_transforms(ws, store):
    ds = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    assert ds.take(2).to_pandas_dataframe()["id"].tolist() == [1, 2]
    assert ds.skip(3).to_pandas_dataframe()["id"].tolist() == [4, 5]
    assert list(ds.keep_columns(["id"]).to_pandas_dataframe().columns) == ["id"]
    assert list(ds.drop_columns("name").to_pandas_dataframe().columns) == ["id", "score"]
    assert ds.filter(ds["score"] > 3).to_pandas_dataframe()["id"].tolist() == [1, 2, 4]
    assert ds.filter((ds["score"] > 3) & ~(ds["name"] == "bob")).to_pandas_dataframe()["id"].tolist() == [1, 4]
    a, b = ds.random_split(0.5, seed=7)
    ids = sorted(a.to_pandas_dataframe()["id"].tolist() + b.to_pandas_dataframe()["id"].tolist())
    assert ids == [1, 2, 3, 4, 5]
    assert len(ds.take_sample(1.0, seed=1).to_pandas_dataframe()) == 5


def test_register_versions_and_lookup(ws, store):
    ds = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    unregistered_id = ds.id
    assert unregistered_id and ds.name is None
    reg = ds.register(ws, "scores", description="d", tags={"a": "1"})
    assert (reg.name, reg.version, reg.description, reg.tags) == ("scores", 1, "d", {"a": "1"})
    assert reg.id == unregistered_id
    assert ds.register(ws, "scores").version == 1  # identical definition: the same registration
    other = ds.take(2)
    with pytest.raises(UserErrorException, match="create_new_version=True"):
        other.register(ws, "scores")
    v2 = other.register(ws, "scores", create_new_version=True)
    assert v2.version == 2
    assert "scores" in ws.datasets and ws.datasets["scores"].version == 2
    assert ws.datasets.get("scores").version == 2 and list(ws.datasets.keys()) == ["scores"]
    assert Dataset.get_by_name(ws, "scores", version=1).version == 1
    assert Dataset.get_by_id(ws, unregistered_id).name == "scores"
    assert len(Dataset.get_by_name(ws, "scores").to_pandas_dataframe()) == 2
    with pytest.raises(UserErrorException, match='Cannot find dataset registered with name "nope"'):
        Dataset.get_by_name(ws, "nope")
    with pytest.raises(UserErrorException, match="version: 9"):
        Dataset.get_by_name(ws, "scores", 9)
    with pytest.raises(UserErrorException, match='Cannot find dataset with id "x"'):
        Dataset.get_by_id(ws, "x")
    assert v2.add_tags({"b": "2"}).tags == {"b": "2"}
    v2.unregister_all_versions()
    assert "scores" not in ws.datasets
    assert '"name": "scores"' in repr(reg)


def test_bad_inputs(ws, store):
    with pytest.raises(DatasetValidationError, match="Found no resources"):
        Dataset.Tabular.from_delimited_files((store, "data/**/*.parquet"))
    lazy = Dataset.Tabular.from_delimited_files((store, "nothing/*.csv"), validate=False)
    with pytest.raises(UserErrorException, match="Found no resources"):
        lazy.to_pandas_dataframe()
    with pytest.raises(UserErrorException, match="Invalid argument type for `path`"):
        Dataset.Tabular.from_delimited_files("local/file.csv")
    with pytest.raises(UserErrorException, match="Invalid tuple"):
        Dataset.Tabular.from_delimited_files((store, "a", "b"))
    with pytest.raises(UserErrorException, match="Invalid encoding"):
        Dataset.Tabular.from_delimited_files((store, "data"), encoding="klingon")
    with pytest.raises(UserErrorException, match="set_column_types"):
        Dataset.Tabular.from_delimited_files((store, "data"), set_column_types={"a": int})
    bad = ws.get_default_datastore()
    bad._blob_store().upload_bytes(bad._container(), "bad/x.csv", b'a,b\n1,"2\n3,4,5,6\n')
    with pytest.raises(UserErrorException, match="Execution failed in operation 'to_pandas_dataframe'"):
        Dataset.Tabular.from_delimited_files((store, "bad/x.csv"), validate=False).to_pandas_dataframe()
    assert "bad" not in ws.datasets


def test_parquet_json_lines_and_conversions(ws, store, tmp_path):
    pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]}).to_parquet(tmp_path / "p.parquet")
    (tmp_path / "j.jsonl").write_text("\n".join(json.dumps({"k": i}) for i in range(4)) + "\n")
    store.upload_files([str(tmp_path / "p.parquet"), str(tmp_path / "j.jsonl")], target_path="mixed",
                       show_progress=False)
    assert Dataset.Tabular.from_parquet_files((store, "mixed/*.parquet")).to_pandas_dataframe()["x"].sum() == 6
    assert len(Dataset.Tabular.from_json_lines_files((store, "mixed/j.jsonl")).to_pandas_dataframe()) == 4
    ds = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    files = ds.to_csv_files()
    assert len(files.to_path()) == 1
    back = Dataset.Tabular.from_delimited_files((store, files._definition["paths"][0]["path"] + "*.csv"))
    assert len(back.to_pandas_dataframe()) == 5
    registered = Dataset.Tabular.register_pandas_dataframe(pd.DataFrame({"v": [1, 2]}), (store, "frames"), "frame")
    assert registered.version == 1 and registered.to_pandas_dataframe()["v"].tolist() == [1, 2]
    parts = ds.partition_by(["name"], (store, "parts"), name="byname", show_progress=False)
    assert parts.partition_keys == ["name"] and len(parts.to_pandas_dataframe()) == 5


def test_url_map(ws, tmp_path, monkeypatch):
    local = tmp_path / "iris.csv"
    local.write_text("a,b\n1,2\n")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"https://example.invalid/iris.csv": str(local)}))
    monkeypatch.setenv("AZUREML_LOCAL_URL_MAP", str(mapping))
    ds = Dataset.Tabular.from_delimited_files("https://example.invalid/iris.csv")
    assert ds.to_pandas_dataframe()["b"].tolist() == [2]
    monkeypatch.setenv("AZUREML_LOCAL_URL_TIMEOUT", "0.5")
    with pytest.raises(UserErrorException, match="https://example.invalid/other.csv"):
        Dataset.Tabular.from_delimited_files("https://example.invalid/other.csv")


def test_header_modes_and_date_inference(ws, store, tmp_path):
    (tmp_path / "h").mkdir()
    (tmp_path / "h" / "1.csv").write_text("when,v\n2024-01-02,1\n2024-02-03,2\n")
    (tmp_path / "h" / "2.csv").write_text("2024-03-04,3\n")
    store.upload(str(tmp_path / "h"), target_path="hdr", show_progress=False)
    from azureml.data.dataset_type_definitions import PromoteHeadersBehavior

    df = Dataset.Tabular.from_delimited_files(
        (store, "hdr/*.csv"), header=PromoteHeadersBehavior.ONLY_FIRST_FILE_HAS_HEADERS).to_pandas_dataframe()
    assert df["v"].tolist() == [1, 2, 3] and str(df["when"].dtype).startswith("datetime64")
    none = Dataset.Tabular.from_delimited_files((store, "hdr/2.csv"), header=False).to_pandas_dataframe()
    assert list(none.columns) == ["Column1", "Column2"]


def test_column_type_conversions(ws, store):
    ds = Dataset.Tabular.from_delimited_files(
        (store, "data/**/*.csv"),
        set_column_types={"score": DataType.to_long(), "name": DataType.to_string(), "id": DataType.to_float()})
    df = ds.to_pandas_dataframe()
    assert str(df["score"].dtype) == "int64" and df["id"].dtype == float
    assert df["name"].tolist() == ["ann", "bob", "cy", "dee", "ed"]


def test_url_fetched_over_http_once(ws, tmp_path):
    import http.server
    import threading
    from functools import partial

    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "t.csv").write_text("a,b\n1,2\n3,4\n")
    hits = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            hits.append(args)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(tmp_path / "www")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/t.csv"
        ds = Dataset.Tabular.from_delimited_files(url)
        assert ds.to_pandas_dataframe()["b"].tolist() == [2, 4]
        assert Dataset.File.from_files(url).to_path() == ["/t.csv"]
        assert len(hits) == 1  # fetched once, then served from the cache
    finally:
        server.shutdown()
        server.server_close()


def test_json_lines_invalid_lines(ws, store, tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"k": 1}\nnot json\n{"k": 2}\n')
    store.upload_files([str(tmp_path / "bad.jsonl")], target_path="jl", show_progress=False)
    dropped = Dataset.Tabular.from_json_lines_files((store, "jl/bad.jsonl"), invalid_lines="drop")
    assert dropped.to_pandas_dataframe()["k"].tolist() == [1, 2]
    strict = Dataset.Tabular.from_json_lines_files((store, "jl/bad.jsonl"), validate=False)
    with pytest.raises(UserErrorException, match="Execution failed"):
        strict.to_pandas_dataframe()
    with pytest.raises(UserErrorException, match="invalid_lines"):
        Dataset.Tabular.from_json_lines_files((store, "jl/bad.jsonl"), invalid_lines="skip")


def test_time_filters(ws, store, tmp_path):
    from datetime import datetime

    from azureml.exceptions import DatasetTimestampMissingError

    (tmp_path / "ts.csv").write_text("when,v\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n")
    store.upload_files([str(tmp_path / "ts.csv")], target_path="ts", show_progress=False)
    ds = Dataset.Tabular.from_delimited_files((store, "ts/ts.csv"))
    with pytest.raises(DatasetTimestampMissingError, match="with_timestamp_columns"):
        ds.time_before(datetime(2024, 2, 1))
    ts = ds.with_timestamp_columns(timestamp="when")
    assert ts.timestamp_columns == ("when", None)
    assert ts.time_before(datetime(2024, 2, 1)).to_pandas_dataframe()["v"].tolist() == [1, 2]
    assert ts.time_after(datetime(2024, 2, 1), include_boundary=False).to_pandas_dataframe()["v"].tolist() == [3]
    assert ts.time_between(datetime(2024, 1, 15), datetime(2024, 3, 1)).to_pandas_dataframe()["v"].tolist() == [2, 3]
