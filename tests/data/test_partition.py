"""register_pandas_dataframe bad inputs: the SDK's ValueError, raised before anything is uploaded."""
from __future__ import annotations

import pandas as pd
import pytest

from azureml.core import Dataset


def _blobs(ds, prefix):
    return [b.name for b in ds._blob_store().list_blobs(ds._container(), prefix)]


def test_register_pandas_dataframe_bad_name_uploads_nothing(ws):
    ds = ws.get_default_datastore()
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="Expected name of type <class 'str'> but received <class 'int'>"):
        Dataset.Tabular.register_pandas_dataframe(df, (ds, "rp"), 5, show_progress=False)
    with pytest.raises(Exception, match="name"):
        Dataset.Tabular.register_pandas_dataframe(df, (ds, "rp"), "", show_progress=False)
    assert _blobs(ds, "rp") == []
    assert list(ws.datasets) == []


def test_register_pandas_dataframe_bad_target(ws):
    with pytest.raises(ValueError, match="The target type is not supported, target: foo"):
        Dataset.Tabular.register_pandas_dataframe(pd.DataFrame({"a": [1]}), "foo", "n", show_progress=False)
