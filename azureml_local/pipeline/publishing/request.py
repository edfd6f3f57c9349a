"""What a submission of a published pipeline carries, whoever sends it (SDK, REST, schedule).

The fields mirror the REST body ``PipelineSubmissionInfo`` (docs: sdk-v1 REST payloads), already
parsed into Python values; the SDK classes fill it from their keyword arguments. A rejected
submission raises :class:`SubmissionRejected`, carrying the HTTP status and the Azure error code the
REST layer answers with; the SDK classes turn it into the SDK's exception type.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SubmitRequest:
    """One request to start a published pipeline (or a pipeline endpoint's version)."""

    experiment_name: str
    description: str | None = None
    run_source: str = "SDK"
    run_type: str = "SDK"
    # name -> str/int/float/bool (REST sends strings or JSON scalars: converted to the parameter's type)
    parameter_assignments: dict[str, Any] = field(default_factory=dict)
    # name -> {"DataStoreName": ..., "RelativePath": ...}
    data_path_assignments: dict[str, dict] = field(default_factory=dict)
    # name -> {"LiteralValue": {...}} | {"DataSetReference": {"Id"|"Name","Version"}} | {"SavedDataSetReference": {"Id"}}
    dataset_assignments: dict[str, dict] = field(default_factory=dict)
    continue_on_step_failure: bool | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    parent_run_id: str | None = None
    schedule_id: str | None = None


class SubmissionRejected(Exception):
    """A submission that must not start a run: ``status`` (HTTP), ``code`` (Azure error code), ``message``."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def to_error_body(self) -> dict[str, dict[str, str]]:
        """The Azure-shaped error body: ``{"error": {"code", "message"}}``."""
        return {"error": {"code": self.code, "message": self.message}}
