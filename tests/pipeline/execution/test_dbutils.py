"""The local dbutils of DatabricksStep notebooks: widgets, DBFS paths, fs basics, secrets, notebook.exit."""
from __future__ import annotations

import pytest

from azureml_local.pipeline.execution import dbutils as local
from azureml_local.pipeline.execution.databricks_notebook import parse_widgets


@pytest.fixture
def dbfs(tmp_path, monkeypatch):
    monkeypatch.setenv(local.DBFS_ROOT_ENV, str(tmp_path / "dbfs"))
    return tmp_path / "dbfs"


def test_widgets_return_inputs_and_params_and_name_the_known_ones():
    db = local.DBUtils({"input": "/data/in", "myparam": "x"})
    assert db.widgets.get("input") == "/data/in" and db.widgets.getArgument("myparam") == "x"
    db.widgets.text("other", "default")
    assert db.widgets.get("other") == "default"
    assert db.widgets.getArgument("missing", "fallback") == "fallback"
    with pytest.raises(ValueError, match="no input widget named nope.*input, myparam"):
        db.widgets.get("nope")


def test_fs_maps_dbfs_paths_to_the_local_folder(dbfs):
    fs = local.DBUtils({}).fs
    fs.put("dbfs:/a/b.txt", "hello")
    assert (dbfs / "a" / "b.txt").read_text() == "hello"
    assert fs.head("/dbfs/a/b.txt") == "hello"
    fs.cp("dbfs:/a", "dbfs:/c", recurse=True)
    assert [f.name for f in fs.ls("dbfs:/c")] == ["b.txt"]
    with pytest.raises(FileExistsError):
        fs.put("dbfs:/a/b.txt", "again")
    fs.rm("dbfs:/c", recurse=True)
    assert not (dbfs / "c").exists()
    assert fs.mount("wasbs://c@a.blob.core.windows.net/x", "/mnt/x") and fs.mounts["/mnt/x"].startswith("wasbs://")


def test_secrets_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_SECRET_AMLSCOPE_KEY_1", "s3cret")
    secrets = local.DBUtils({}).secrets
    assert secrets.get("amlscope", "key-1") == "s3cret"
    with pytest.raises(ValueError, match="AZUREML_LOCAL_SECRET_AMLSCOPE_OTHER"):
        secrets.get("amlscope", "other")


def test_notebook_exit_and_widget_pairs():
    with pytest.raises(local.NotebookExit) as info:
        local.DBUtils({}).notebook.exit("done")
    assert info.value.value == "done"
    assert parse_widgets(["-input", "/p", "--myparam", "v"]) == {"input": "/p", "myparam": "v"}
    with pytest.raises(SystemExit):
        parse_widgets(["-input"])
