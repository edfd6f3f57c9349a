"""``azureml.core.Keyvault``: the workspace's key vault, kept locally and encrypted.

In Azure every workspace has a Key Vault; the SDK reaches it through the workspace service
(``SecretsClient``), which applies Key Vault's rules: names are 1-127 letters, digits and
dashes, case-insensitive; a missing secret is an HTTP 404 (``ServiceException``). Here the
values live in the workspace database, encrypted (:mod:`azureml_local.store.secrets`), so a
submitted run reads them with ``Run.get_context().get_secret(name)`` exactly as in Azure.
"""
from __future__ import annotations

import logging
import re
from enum import Enum
from typing import Any

from azureml_local.exceptions import ServiceException, UserErrorException
from azureml_local.store.secrets import SecretStore

module_logger = logging.getLogger(__name__)
_NAME = re.compile(r"[0-9a-zA-Z-]{1,127}")


class KeyVaultContentType(str, Enum):
    """Content types a secret may be tagged with (Azure Key Vault's vocabulary)."""

    not_provided = "application/NotProvided"
    storage_account_access_key = "application/vnd.ms-StorageAccountAccessKey"
    storage_account_server_side_encryption_key = "application/vnd.ms-StorageAccountServerSideEncryptionKey"
    storage_sas_token = "application/vnd.ms-StorageSAStoken"
    storage_connection_string = "application/vnd.ms-StorageConnectionString"
    client_side_encryption_key = "application/vnd.ms-ClientSideEncryptionKey"
    password = "application/vnd.ms-password"
    servicebus_sas_token = "application/vnd.ms-ServiceBusSAStoken"
    servicebus_connection_string = "application/vnd.ms-ServiceBusConnectionString"
    sql_connection_string = "application/vnd.ms-SQLConnectionString"
    pem_file = "application/x-pem-file"
    bek = "BEK"
    wrapped_bek = "Wrapped BEK"
    pkcs12 = "application/x-pkcs12"
    text_configuration_value = "application/vnd.bag-textConfigurationValue"
    third_party_hosted_secret_no_rotation = "application/vnd.bag-3rdPartyHostedSecretNoRotation"
    standard_user_account_test = "application/vnd.bag-StandardUserAccountTest"
    strong_enc_connection_string = "application/vnd.bag-StrongEncConnectionString"
    strong_enc_password_string = "application/vnd.bag-StrongEncPasswordString"
    azure_dev_ops_pat = "application/vnd.bag-AzureDevOpsPAT"


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ServiceException(
            f"Invalid secret name {name!r}: a secret name is 1-127 characters, each a letter (a-z, A-Z), "
            "a digit (0-9) or a dash (-).", status_code=400)
    return name


def _not_found(name: str) -> ServiceException:
    return ServiceException(f"Secret '{name}' was not found in the workspace key vault. Add it with "
                            "ws.get_default_keyvault().set_secret(name, value).", status_code=404)


def _value(name: str, value: Any) -> str:
    if value is None:
        raise ServiceException(f"The value of secret '{name}' is missing: pass a string.", status_code=400)
    return value if isinstance(value, str) else str(value)  # the SDK serialises values as strings


class Keyvault:
    """Manages the secrets of the key vault associated with a workspace."""

    def __init__(self, workspace: Any):
        self.workspace = workspace

    def _store(self) -> SecretStore:
        ctx = self.workspace._context
        return SecretStore(ctx.db, ctx.secret())

    def set_secret(self, name: str, value: str, content_type: Any = KeyVaultContentType.not_provided) -> None:
        """Add (or replace) a secret."""
        _check_name(name)
        kind = content_type.value if isinstance(content_type, KeyVaultContentType) else str(content_type)
        self._store().set_many({name: _value(name, value)}, kind)

    def set_secrets(self, secrets_batch: dict) -> None:
        """Add (or replace) every secret of a ``{name: value}`` dict; nothing is written if one is invalid."""
        if not isinstance(secrets_batch, dict):
            raise UserErrorException("secrets_batch must be a dict of secret names to values, e.g. "
                                     "{'db-password': '...'}.")
        values = {_check_name(n): _value(n, v) for n, v in secrets_batch.items()}
        self._store().set_many(values, KeyVaultContentType.not_provided.value)

    def _get(self, name: str) -> tuple[str, str]:
        found = self._store().get(_check_name(name))
        if found is None:
            raise _not_found(name)
        return found

    def get_secret(self, name: str) -> str:
        """The value of secret ``name``; ``ServiceException`` (404) when there is none."""
        return self._get(name)[0]

    def get_secrets(self, secrets: list) -> dict:
        """``{name: value}`` for each name asked; ``None`` for those not found."""
        return self._store().get_many([_check_name(n) for n in _names(secrets)])

    def get_secret_content_type(self, name: str) -> str:
        return self._get(name)[1]

    def delete_secret(self, name: str) -> None:
        """Delete secret ``name``; ``ServiceException`` (404) when there is none."""
        if not self._store().delete(_check_name(name)):
            raise _not_found(name)

    def delete_secrets(self, secrets: list) -> None:
        for name in _names(secrets):
            self.delete_secret(name)

    def list_secrets(self) -> list:
        """``[{"name": ...}, ...]``: the names only, never the values."""
        return [{"name": n} for n in self._store().names()]


def _names(secrets: Any) -> list:
    if isinstance(secrets, str) or not hasattr(secrets, "__iter__"):
        raise UserErrorException("secrets must be a list of secret names, e.g. ['db-password'].")
    return list(secrets)
