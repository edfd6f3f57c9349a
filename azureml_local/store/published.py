"""PublishedStore (``ctx.published``): published pipelines, pipeline endpoints and versions, drafts.

Tables in ``store/migrations/published.py``. A published pipeline's definition is written
once and never updated (only its status changes), so what it runs cannot drift from what was
published. Endpoint versions are strings ``"0"``, ``"1"``...: the next one is computed inside the
same transaction that inserts it, so two concurrent ``add`` calls never get the same version.
Rows come back as plain dicts (JSON columns decoded).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from azureml_local.store.db import IntegrityError

if TYPE_CHECKING:
    from azureml_local.store.db import Database

STATUSES = ("Active", "Disabled", "Deprecated")
_DRAFT_JSON = {"definition": "{}", "parameters": "{}", "tags": "{}", "properties": "{}", "parent_step_run_ids": "[]"}
_DRAFT_COLUMNS = frozenset({"name", "description", "experiment_name", "definition", "parameters",
                            "continue_on_step_failure", "tags", "properties", "parent_pipeline_id",
                            "parent_pipeline_run_id", "parent_step_run_ids", "parent_pipeline_draft_id",
                            "last_submitted_pipeline_run_id"})


class EndpointNameTaken(ValueError):
    """Another pipeline endpoint already has this name."""


class PipelineAlreadyInEndpoint(ValueError):
    """The published pipeline is already one of the endpoint's versions."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)} (got {status!r})")


def _pipeline(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    out["definition"] = json.loads(out["definition"])
    cosf = out["continue_on_step_failure"]
    out["continue_on_step_failure"] = None if cosf is None else bool(cosf)
    return out


def _draft(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    for key in _DRAFT_JSON:
        out[key] = json.loads(out[key])
    cosf = out["continue_on_step_failure"]
    out["continue_on_step_failure"] = None if cosf is None else bool(cosf)
    return out


class PublishedStore:
    """The statements on published pipelines, pipeline endpoints and drafts."""

    def __init__(self, db: "Database"):
        self.db = db

    def has_active(self) -> bool:
        """Whether any published pipeline or pipeline endpoint is Active (keeps the service up)."""
        return self.db.query_one(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM published_pipelines WHERE status = 'Active')"
            " OR EXISTS (SELECT 1 FROM pipeline_endpoints WHERE status = 'Active')") is not None

    # -- published pipelines ----------------------------------------------------------------
    def create_pipeline(self, definition: dict, name: str | None, description: str | None, version: str | None,
                        continue_on_step_failure: bool | None, source_run_id: str | None = None) -> dict:
        """Store a published pipeline (status Active) and return its row."""
        pipeline_id, now = str(uuid.uuid4()), _now()
        cosf = None if continue_on_step_failure is None else int(bool(continue_on_step_failure))
        self.db.execute(
            "INSERT INTO published_pipelines(id, name, description, version, status, continue_on_step_failure,"
            " definition, graph_id, total_run_steps, source_run_id, created_utc, modified_utc)"
            " VALUES (?,?,?,?,'Active',?,?,?,?,?,?,?)",
            (pipeline_id, name, description, version, cosf, json.dumps(definition), str(uuid.uuid4()),
             len(definition.get("steps") or []), source_run_id, now, now))
        return self.get_pipeline(pipeline_id)  # type: ignore[return-value]

    def get_pipeline(self, pipeline_id: str) -> dict | None:
        """The published pipeline's row (``definition`` decoded), or None."""
        return _pipeline(self.db.query_one("SELECT * FROM published_pipelines WHERE id = ?", (pipeline_id,)))

    def list_pipelines(self, active_only: bool = True) -> list[dict]:
        """Published pipelines, oldest first (only Active ones with ``active_only``)."""
        where = " WHERE status = 'Active'" if active_only else ""
        return [_pipeline(r) for r in self.db.query(  # type: ignore[misc]
            f"SELECT * FROM published_pipelines{where} ORDER BY created_utc, rowid")]

    def set_pipeline_status(self, pipeline_id: str, status: str) -> bool:
        """Set Active/Disabled/Deprecated; False when there is no such pipeline."""
        _check_status(status)
        return self.db.execute("UPDATE published_pipelines SET status = ?, modified_utc = ? WHERE id = ?",
                               (status, _now(), pipeline_id)).rowcount == 1

    # -- pipeline endpoints -------------------------------------------------------------------
    def create_endpoint(self, name: str, description: str | None, pipeline_id: str) -> dict:
        """A new Active endpoint whose version "0" (the default) is ``pipeline_id``."""
        endpoint_id, now = str(uuid.uuid4()), _now()
        try:
            with self.db.transaction() as conn:
                conn.execute("INSERT INTO pipeline_endpoints(id, name, description, status, default_version,"
                             " created_utc, modified_utc) VALUES (?,?,?,'Active','0',?,?)",
                             (endpoint_id, name, description, now, now))
                conn.execute("INSERT INTO pipeline_endpoint_versions(endpoint_id, version, pipeline_id, created_utc)"
                             " VALUES (?,'0',?,?)", (endpoint_id, pipeline_id, now))
        except IntegrityError as exc:
            if "pipeline_endpoints.name" in str(exc):
                raise EndpointNameTaken(name) from None
            raise
        return self.get_endpoint(endpoint_id)  # type: ignore[return-value]

    def get_endpoint(self, endpoint_id: str) -> dict | None:
        """The endpoint row with ``versions`` (``[{version, pipeline_id}]`` by version), or None."""
        return self._endpoint(self.db.query_one("SELECT * FROM pipeline_endpoints WHERE id = ?", (endpoint_id,)))

    def get_endpoint_by_name(self, name: str) -> dict | None:
        return self._endpoint(self.db.query_one("SELECT * FROM pipeline_endpoints WHERE name = ?", (name,)))

    def list_endpoints(self, active_only: bool = True, max_results: int = 100) -> list[dict]:
        """Endpoints, oldest first (only Active ones with ``active_only``), at most ``max_results``."""
        where = " WHERE status = 'Active'" if active_only else ""
        rows = self.db.query(f"SELECT * FROM pipeline_endpoints{where} ORDER BY created_utc, rowid LIMIT ?",
                             (int(max_results),))
        return [self._endpoint(r) for r in rows]  # type: ignore[misc]

    def update_endpoint(self, endpoint_id: str, *, name: str | None = None, description: str | None = None,
                        status: str | None = None, default_version: str | None = None) -> dict | None:
        """Change the given fields; the updated row, or None when there is no such endpoint.

        ``default_version`` must be one of the endpoint's versions (``ValueError`` otherwise).
        """
        values: dict[str, Any] = {k: v for k, v in (("name", name), ("description", description),
                                                       ("status", status), ("default_version", default_version))
                                  if v is not None}
        if status is not None:
            _check_status(status)
        try:
            with self.db.transaction() as conn:
                if default_version is not None and conn.execute(
                        "SELECT 1 FROM pipeline_endpoint_versions WHERE endpoint_id = ? AND version = ?",
                        (endpoint_id, default_version)).fetchone() is None:
                    raise ValueError(f"version {default_version} does not exist in pipeline endpoint {endpoint_id}")
                if values:
                    values["modified_utc"] = _now()
                    conn.execute(f"UPDATE pipeline_endpoints SET {', '.join(k + ' = ?' for k in values)} WHERE id = ?",
                                 (*values.values(), endpoint_id))
        except IntegrityError as exc:
            if "pipeline_endpoints.name" in str(exc):
                raise EndpointNameTaken(name) from None
            raise
        return self.get_endpoint(endpoint_id)

    def add_endpoint_version(self, endpoint_id: str, pipeline_id: str, make_default: bool = False) -> dict | None:
        """Append ``pipeline_id`` as version ``max + 1`` (and make it the default); the updated row.

        ``PipelineAlreadyInEndpoint`` when it is one of the versions already; None for an unknown endpoint.
        """
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM pipeline_endpoints WHERE id = ?", (endpoint_id,)).fetchone() is None:
                return None
            if conn.execute("SELECT 1 FROM pipeline_endpoint_versions WHERE endpoint_id = ? AND pipeline_id = ?",
                            (endpoint_id, pipeline_id)).fetchone() is not None:
                raise PipelineAlreadyInEndpoint(pipeline_id)
            top = conn.execute("SELECT MAX(CAST(version AS INTEGER)) FROM pipeline_endpoint_versions"
                               " WHERE endpoint_id = ?", (endpoint_id,)).fetchone()[0]
            version, now = str(0 if top is None else int(top) + 1), _now()
            conn.execute("INSERT INTO pipeline_endpoint_versions(endpoint_id, version, pipeline_id, created_utc)"
                         " VALUES (?,?,?,?)", (endpoint_id, version, pipeline_id, now))
            if make_default:
                conn.execute("UPDATE pipeline_endpoints SET default_version = ?, modified_utc = ? WHERE id = ?",
                             (version, now, endpoint_id))
            else:
                conn.execute("UPDATE pipeline_endpoints SET modified_utc = ? WHERE id = ?", (now, endpoint_id))
        return self.get_endpoint(endpoint_id)

    def endpoint_pipelines(self, endpoint_id: str, active_only: bool = True) -> list[dict]:
        """The published pipelines of an endpoint's versions, by version."""
        active = " AND p.status = 'Active'" if active_only else ""
        return [_pipeline(r) for r in self.db.query(  # type: ignore[misc]
            "SELECT p.* FROM pipeline_endpoint_versions v JOIN published_pipelines p ON p.id = v.pipeline_id"
            f" WHERE v.endpoint_id = ?{active} ORDER BY CAST(v.version AS INTEGER)", (endpoint_id,))]

    def _endpoint(self, row: Any) -> dict | None:
        if row is None:
            return None
        out = dict(row)
        out["versions"] = [dict(r) for r in self.db.query(
            "SELECT version, pipeline_id FROM pipeline_endpoint_versions WHERE endpoint_id = ?"
            " ORDER BY CAST(version AS INTEGER)", (out["id"],))]
        return out

    # -- drafts -------------------------------------------------------------------------------
    def create_draft(self, definition: dict, **fields: Any) -> dict:
        """A new draft (``fields``: name, description, experiment_name, parameters, tags...)."""
        draft_id, now = str(uuid.uuid4()), _now()
        values = self._draft_values(dict(fields, definition=definition))
        names = ["id", "graph_draft_id", "created_utc", "modified_utc", *values]
        self.db.execute(f"INSERT INTO pipeline_drafts({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
                        (draft_id, str(uuid.uuid4()), now, now, *values.values()))
        return self.get_draft(draft_id)  # type: ignore[return-value]

    def get_draft(self, draft_id: str) -> dict | None:
        return _draft(self.db.query_one("SELECT * FROM pipeline_drafts WHERE id = ?", (draft_id,)))

    def list_drafts(self, tags: dict | None = None) -> list[dict]:
        """Drafts, oldest first; with ``tags`` only those carrying every given tag value."""
        drafts = [_draft(r) for r in self.db.query("SELECT * FROM pipeline_drafts ORDER BY created_utc, rowid")]
        return [d for d in drafts if d is not None and all(d["tags"].get(k) == v for k, v in (tags or {}).items())]

    def update_draft(self, draft_id: str, **fields: Any) -> dict | None:
        """Replace the given fields (None values are left alone); the updated row, or None."""
        values = self._draft_values({k: v for k, v in fields.items() if v is not None})
        if values:
            values["modified_utc"] = _now()
            self.db.execute(f"UPDATE pipeline_drafts SET {', '.join(k + ' = ?' for k in values)} WHERE id = ?",
                            (*values.values(), draft_id))
        return self.get_draft(draft_id)

    def delete_draft(self, draft_id: str) -> bool:
        return self.db.execute("DELETE FROM pipeline_drafts WHERE id = ?", (draft_id,)).rowcount == 1

    @staticmethod
    def _draft_values(fields: dict) -> dict:
        bad = set(fields) - _DRAFT_COLUMNS
        if bad:
            raise ValueError(f"a pipeline draft has no field(s) {sorted(bad)}")
        out = {}
        for key, value in fields.items():
            if key in _DRAFT_JSON:
                value = json.dumps(value if value is not None else json.loads(_DRAFT_JSON[key]))
            elif key == "continue_on_step_failure" and value is not None:
                value = int(bool(value))
            out[key] = value
        return out
