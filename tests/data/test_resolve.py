"""Glob rules, Azure naming rules and the definition helpers (pure functions)."""
from __future__ import annotations

import pytest

from azureml_local.data import definition as defs
from azureml_local.data.names import check_blob_name, check_container_name, check_datastore_name, join_blob_path
from azureml_local.data.resolve import glob_regex
from azureml_local.data.tabular_reader import partition_values
from azureml_local.exceptions import UserErrorException


@pytest.mark.parametrize("pattern,name,hit", [
    ("data/*.csv", "data/a.csv", True),
    ("data/*.csv", "data/sub/a.csv", False),
    ("data/**/*.csv", "data/a.csv", True),
    ("data/**/*.csv", "data/x/y/a.csv", True),
    ("data/**", "data/x/y/a.txt", True),
    ("data/f?.csv", "data/f1.csv", True),
    ("data/f[0-2].csv", "data/f3.csv", False),
    ("data/a.csv", "data/a.csv", True),
])
def test_glob_regex(pattern, name, hit):
    assert bool(glob_regex(pattern).match(name)) is hit


def test_names():
    assert check_datastore_name("My_Store") == "my_store"
    assert check_container_name("abc-def") == "abc-def"
    for bad in ("ab", "Abc", "a--b", "-abc", "abc-", "a" * 64, "a_b"):
        with pytest.raises(UserErrorException):
            check_container_name(bad)
    for bad in ("", "a//b", "a/../b", "x" * 1025, "a/."):
        with pytest.raises(UserErrorException):
            check_blob_name(bad)
    assert join_blob_path("./a/", None, "b\\c", "") == "a/b/c"


def test_definition_ids_are_stable():
    d = {"kind": "file", "paths": [{"datastore": "s", "path": "p"}], "reader": None, "transforms": []}
    assert defs.saved_id(d) == defs.saved_id(dict(d))
    assert defs.saved_id(defs.with_transform(d, "take", count=1)) != defs.saved_id(d)
    assert d["transforms"] == []


def test_partition_values():
    from datetime import datetime

    vals = partition_values("/{region}/{day:yyyy/MM/dd}/data.csv", "store/base/eu/2024/01/31/data.csv")
    assert vals == {"region": "eu", "day": datetime(2024, 1, 31)}
    with pytest.raises(UserErrorException, match="does not match partition_format"):
        partition_values("/{a}/x.csv", "y.csv")
