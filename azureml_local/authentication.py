"""``azureml.core.authentication``: the SDK's authentication classes, with Azure AD mocked.

There is no Azure AD here, and scripts must run unattended and offline, so no
class prompts, opens a browser or calls the network. Each issues HS256 JWTs
signed with a per-home key (``<AZUREML_LOCAL_HOME>/auth_secret``, created on
first use with mode 0600): the objects are created before any workspace is known,
so the workspace secret cannot be used. :func:`azureml_local.tokens.verify_token`
accepts these tokens too, so ``requests.post(endpoint, headers=auth.get_authentication_header())``
against the local REST service works as it does against Azure.

Credentials given to ``ServicePrincipalAuthentication`` are *not* checked (there
is nothing to check them against); they only name the token's subject.
"""
from __future__ import annotations

import getpass
import logging
import threading
import time
from collections import namedtuple
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Callable

from azureml_local.exceptions import AuthenticationException, UserErrorException
from azureml_local.home import default_subscription
from azureml_local.tokens import issue_home_token

_REFRESH_MARGIN_SECONDS = 300
_CLOUDS = ("AzureCloud", "AzureChinaCloud", "AzureUSGovernment", "AzureGermanCloud")

AccessToken = namedtuple("AccessToken", ["token", "expires_on"])


class Audience(Enum):
    """Audience supported by AML. To be used only with ``TokenAuthentication``."""

    ARM = "ARM"
    AZUREML = "AZUREML"


def _expiry(token: str) -> int:
    import jwt

    try:
        return int(jwt.decode(token, options={"verify_signature": False}).get("exp") or 0)
    except jwt.InvalidTokenError:
        return 0


class _Cloud:
    def __init__(self, name: str | None):
        name = name or "AzureCloud"
        if name not in _CLOUDS:
            raise UserErrorException("Unknown cloud '{}'. Supported clouds: {}.".format(name, ", ".join(_CLOUDS)))
        self.name = name


# -- classes ---------------------------------------------------------------------------------------
class AbstractAuthentication:
    """Parent of all authentication classes: a cached, self-refreshing local bearer token."""

    def __init__(self, cloud: str | None = None):
        self._cloud_type = _Cloud(cloud)
        self._token: str | None = None
        self._lock = threading.Lock()

    def _subject(self) -> str:
        return "user:" + _user()

    def _claims(self) -> dict[str, Any]:
        return {"auth_type": type(self).__name__}

    def _get_arm_token(self) -> str:
        with self._lock:
            if self._token is None or _expiry(self._token) - time.time() < _REFRESH_MARGIN_SECONDS:
                self._token = issue_home_token(self._subject(), **self._claims())
            return self._token

    def _get_azureml_client_token(self) -> str:
        return self._get_arm_token()

    def get_authentication_header(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <jwt>"}`` (a new dict each call, as the SDK)."""
        return {"Authorization": "Bearer " + self._get_arm_token()}

    def _get_azureml_client_authentication_header(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._get_azureml_client_token()}

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """azure-core credential protocol (``TokenCredential``)."""
        token = self.get_authentication_header()["Authorization"].split(" ", 1)[1]
        return AccessToken(token, _expiry(token))

    def signed_session(self, session: Any = None) -> Any:
        import requests

        session = session or requests.Session()
        session.headers.update(self.get_authentication_header())
        return session

    def _get_all_subscription_ids(self) -> tuple[list[str], str]:
        return [default_subscription()], "local"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return "local-user"


class InteractiveLoginAuthentication(AbstractAuthentication):
    """Interactive login without the login: the current OS user, no prompt, no browser."""

    def __init__(self, force: bool = False, tenant_id: str | None = None, cloud: str | None = None):
        super().__init__(cloud)
        self._tenant_id = tenant_id
        self._force = force

    def _claims(self) -> dict[str, Any]:
        return dict(super()._claims(), tid=self._tenant_id, upn=_user())


class AzureCliAuthentication(AbstractAuthentication):
    """Azure CLI credentials without the Azure CLI (the current OS user)."""

    def __init__(self, cloud: str | None = None):
        super().__init__(cloud)


class ServicePrincipalAuthentication(AbstractAuthentication):
    """A service principal identity; its secret is recorded, not verified (no Azure AD here)."""

    def __init__(self, tenant_id: str, service_principal_id: str, service_principal_password: str,
                 cloud: str = "AzureCloud", _enable_caching: bool = True):
        super().__init__(cloud)
        missing = [label for label, value in (("tenant_id", tenant_id), ("service_principal_id", service_principal_id),
                                              ("service_principal_password", service_principal_password))
                   if not value]
        if missing:
            # Not an error here: nothing checks the secret locally, and CI jobs often run without it.
            logging.getLogger("azureml.core.authentication").warning(
                "ServicePrincipalAuthentication: %s not set; accepted locally (Azure AD is not used by "
                "azureml-local), but this would fail against Azure.", ", ".join(missing))
        self._tenant_id = tenant_id
        self._service_principal_id = service_principal_id
        self._service_principal_password = service_principal_password
        self._enable_caching = _enable_caching

    def _subject(self) -> str:
        return "sp:" + (self._service_principal_id or "unknown")

    def _claims(self) -> dict[str, Any]:
        return dict(super()._claims(), tid=self._tenant_id, appid=self._service_principal_id)


class MsiAuthentication(AbstractAuthentication):
    """Managed identity (the machine's identity locally)."""

    def __init__(self, cloud: str | None = None, **kwargs: Any):
        super().__init__(cloud)
        self._identity_config = kwargs.get("identity_config")

    def _subject(self) -> str:
        return "msi:" + _user()


class ArmTokenAuthentication(AbstractAuthentication):
    """Uses a token you supply (not verified or refreshed here)."""

    def __init__(self, arm_access_token: str, cloud: str | None = None):
        super().__init__(None if cloud in (None, "None") else cloud)
        self._arm_access_token = arm_access_token

    def update_arm_access_token(self, new_arm_access_token: str) -> None:
        self._arm_access_token = new_arm_access_token

    def _get_arm_token(self) -> str:
        return self._arm_access_token


class TokenAuthentication(AbstractAuthentication):
    """Tokens come from your ``get_token_for_audience(audience)`` callable."""

    def __init__(self, get_token_for_audience: Callable[[Audience], str], cloud: str | None = None):
        super().__init__(cloud)
        if get_token_for_audience is None:
            raise AuthenticationException("get_token_for_audience cannot be null.")
        self._get_token_for_audience = get_token_for_audience

    def get_token(self, audience: Audience = Audience.ARM) -> str:  # type: ignore[override]
        if audience not in (Audience.ARM, Audience.AZUREML):
            raise ValueError("Unsupported audience {0}. Supported values are : {1} and {2}".format(
                audience, Audience.ARM, Audience.AZUREML))
        return self._get_token_for_audience(audience)

    def _get_arm_token(self) -> str:
        return self.get_token(Audience.ARM)

    def _get_azureml_client_token(self) -> str:
        return self.get_token(Audience.AZUREML)

    @staticmethod
    def get_aml_resource_id(cloud: str = "AzureCloud") -> str:
        return "https://ml.azure.com"


class AzureMLTokenAuthentication(AbstractAuthentication):
    """A run token (``AZUREML_RUN_TOKEN``), as used inside submitted runs."""

    def __init__(self, azureml_access_token: str, expiry_time: datetime | None = None, host: str | None = None,
                 subscription_id: str | None = None, resource_group_name: str | None = None,
                 workspace_name: str | None = None, experiment_name: str | None = None, run_id: str | None = None,
                 user_email: str | None = None, experiment_id: str | None = None, cloud: str = "AzureCloud"):
        super().__init__(cloud)
        if not azureml_access_token:
            raise AuthenticationException("azureml_access_token must be provided.")
        self._aml_access_token = azureml_access_token
        if expiry_time is None:
            exp = _expiry(azureml_access_token)
            expiry_time = datetime.fromtimestamp(exp, timezone.utc) if exp else None
        self._expiry_time = expiry_time
        self._host = host
        self._subscription_id = subscription_id
        self._resource_group_name = resource_group_name
        self._workspace_name = workspace_name
        self._experiment_name = experiment_name
        self._run_id = run_id
        self._user_email = user_email
        self._experiment_id = experiment_id

    @classmethod
    def create(cls, azureml_access_token: str, expiry_time: datetime | None, host: str | None,
               subscription_id: str | None, resource_group_name: str | None, workspace_name: str | None,
               experiment_name: str | None, run_id: str | None, user_email: str | None = None,
               experiment_id: str | None = None) -> "AzureMLTokenAuthentication":
        return cls(azureml_access_token, expiry_time, host, subscription_id, resource_group_name, workspace_name,
                   experiment_name, run_id, user_email, experiment_id)

    @property
    def token(self) -> str:
        return self._aml_access_token

    @property
    def expiry_time(self) -> datetime | None:
        return self._expiry_time

    def set_token(self, token: str, expiry_time: datetime | None) -> None:
        self._aml_access_token = token
        self._expiry_time = expiry_time

    def _get_arm_token(self) -> str:
        return self._aml_access_token

    def get_authentication_header(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._aml_access_token}


class _ArcadiaAuthentication(AbstractAuthentication):
    """Synapse (Arcadia) notebooks' identity (the current user locally)."""

    def __init__(self, cloud: str | None = None):
        super().__init__(cloud)
