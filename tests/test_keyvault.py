"""The workspace key vault through the SDK surface: ws.get_default_keyvault(), Keyvault, Run.get_secret."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from azureml.core import Experiment, Keyvault, ScriptRunConfig
from azureml.core.keyvault import KeyVaultContentType
from azureml.exceptions import ServiceException, UserErrorException


def test_set_get_list_delete(ws) -> None:
    kv = ws.get_default_keyvault()
    assert isinstance(kv, Keyvault) and kv.workspace is ws
    kv.set_secret(name="db-password", value="s3cr3t")
    kv.set_secrets({"api-key": "k-1", "Token2": "t"})
    assert kv.get_secret("db-password") == "s3cr3t"
    assert kv.get_secret("DB-PASSWORD") == "s3cr3t"  # Key Vault names are case-insensitive
    assert sorted(s["name"] for s in kv.list_secrets()) == ["Token2", "api-key", "db-password"]
    assert kv.get_secrets(["api-key", "nope"]) == {"api-key": "k-1", "nope": None}
    kv.set_secret("api-key", "k-2", content_type=KeyVaultContentType.password)
    assert kv.get_secret("api-key") == "k-2"
    assert kv.get_secret_content_type("api-key") == "application/vnd.ms-password"
    assert kv.get_secret_content_type("Token2") == "application/NotProvided"
    kv.delete_secret("api-key")
    kv.delete_secrets(["Token2"])
    assert [s["name"] for s in Keyvault(ws).list_secrets()] == ["db-password"]


def test_missing_secret_is_a_404(ws) -> None:
    kv = ws.get_default_keyvault()
    for call in (kv.get_secret, kv.delete_secret, kv.get_secret_content_type):
        with pytest.raises(ServiceException, match="Secret 'absent' was not found") as err:
            call("absent")
        assert err.value.status_code == 404


@pytest.mark.parametrize("bad", ["", "under_score", "with space", "x" * 128, "dötted", 5, None])
def test_bad_names_are_rejected_and_nothing_is_written(ws, bad) -> None:
    kv = ws.get_default_keyvault()
    with pytest.raises(ServiceException, match="Invalid secret name") as err:
        kv.set_secret(bad, "v")
    assert err.value.status_code == 400
    with pytest.raises(ServiceException, match="Invalid secret name"):
        kv.set_secrets({"good-one": "v", bad: "v"})
    with pytest.raises(ServiceException, match="Invalid secret name"):
        kv.get_secret(bad)
    assert kv.list_secrets() == []


def test_bad_batches(ws) -> None:
    kv = ws.get_default_keyvault()
    with pytest.raises(UserErrorException, match="dict of secret names"):
        kv.set_secrets([("a", "b")])
    with pytest.raises(UserErrorException, match="list of secret names"):
        kv.get_secrets("just-one")
    with pytest.raises(ServiceException, match="value of secret 'a' is missing"):
        kv.set_secret("a", None)
    kv.set_secret("n", 42)  # the SDK sends values as strings
    assert kv.get_secret("n") == "42"


def test_values_are_encrypted_at_rest(ws) -> None:
    ws.get_default_keyvault().set_secret("plain-check", "value-that-must-not-leak-1234")
    folder: Path = ws._local_folder
    for name in ("store.db", "store.db-wal"):
        path = folder / name
        if path.exists():
            assert b"value-that-must-not-leak-1234" not in path.read_bytes()
    assert stat.S_IMODE((folder / "secret").stat().st_mode) == 0o600  # the key's source: owner only


def test_submitted_run_reads_secrets(ws, tmp_path: Path) -> None:
    ws.get_default_keyvault().set_secrets({"db-password": "from-the-vault", "other": "o"})
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(
        "import json\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "json.dump({'one': run.get_secret('db-password'), 'many': run.get_secrets(['other', 'missing'])},\n"
        "          open('outputs/secrets.json', 'w'))\n")
    run = Experiment(ws, "secrets").submit(ScriptRunConfig(str(src), "train.py"))
    assert run.wait_for_completion()["status"] == "Completed"
    assert run.get_secret("db-password") == "from-the-vault"  # and from the submitting side
    run.download_file("outputs/secrets.json", str(tmp_path / "secrets.json"))
    assert json.loads((tmp_path / "secrets.json").read_text()) == {
        "one": "from-the-vault", "many": {"other": "o", "missing": None}}
