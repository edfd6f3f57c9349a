"""SecretStore on a real database (SQLite and PostgreSQL): encrypted values, case-insensitive names, wrong key."""
from __future__ import annotations

import pytest

from azureml_local.exceptions import ProjectSystemException
from azureml_local.store.secrets import SecretStore, derive_key


def test_round_trip_and_ciphertext_only_on_disk(make_db) -> None:
    db = make_db()
    store = SecretStore(db, b"k" * 32)
    store.set_many({"Alpha": "one", "beta": "two"}, "application/NotProvided")
    store.set_many({"ALPHA": "uno"}, "text/plain")  # same name, new spelling and value
    assert store.names() == ["ALPHA", "beta"]
    assert store.get("alpha") == ("uno", "text/plain")
    assert store.get_many(["beta", "gamma"]) == {"beta": "two", "gamma": None}
    raw = db.query_one("SELECT value FROM secrets WHERE name = 'beta'")["value"]
    assert b"two" not in raw and raw.startswith(b"gAAAA")  # a Fernet token
    assert store.delete("BETA") is True and store.delete("beta") is False
    db.close()


def test_key_depends_on_the_workspace_secret_and_a_wrong_key_says_what_to_do(make_db) -> None:
    assert derive_key(b"a" * 32) == derive_key(b"a" * 32) != derive_key(b"b" * 32)
    db = make_db()
    SecretStore(db, b"a" * 32).set_many({"s": "v"}, "application/NotProvided")
    with pytest.raises(ProjectSystemException, match="cannot be decrypted.*set_secret"):
        SecretStore(db, b"b" * 32).get("s")
    db.close()
