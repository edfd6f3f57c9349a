"""``azureml.core.webservice.unknown_webservice``: a stored service of a type this SDK does not know."""
from __future__ import annotations

from typing import Any

from azureml_local.webservice.webservice import UNKNOWN_WEBSERVICE_TYPE, Webservice


class UnknownWebservice(Webservice):
    """Returned for rows whose compute type has no class (kept readable, not callable)."""

    _webservice_type = UNKNOWN_WEBSERVICE_TYPE

    def run(self, input: Any) -> Any:  # noqa: A002 - the SDK's parameter name
        raise NotImplementedError("Cannot run Webservice of type {}".format(self.compute_type))

    def update(self, *args: Any) -> None:
        raise NotImplementedError("Cannot update Webservice of type {}".format(self.compute_type))

    def get_token(self) -> Any:
        raise NotImplementedError("Cannot get token of Webservice of type {}".format(self.compute_type))
