"""Dataset registry messages as the SDK words them."""
from __future__ import annotations

import pytest

from azureml.core import Dataset
from azureml.exceptions import UserErrorException


def test_get_by_name_unknown_messages(ws):
    # The SDK turns 'latest' into version None before formatting its 404 message.
    with pytest.raises(UserErrorException) as exc:
        Dataset.get_by_name(ws, "nope")
    assert exc.value.message == 'Cannot find dataset registered with name "nope" (version: None) in the workspace.'
    with pytest.raises(UserErrorException) as exc:
        Dataset.get_by_name(ws, "nope", version=3)
    assert exc.value.message == 'Cannot find dataset registered with name "nope" (version: 3) in the workspace.'
