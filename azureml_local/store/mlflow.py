"""MlflowStore: the statements on the ``mlflow`` area's tables (``store/migrations/mlflow.py``).

Parameters, logged models and registered-model headers. Everything else an MLflow run
records goes through ``RunStore`` (runs, tags, metrics, artifacts) and the ``models``
registry (versions), so the SDK sees MLflow runs as ordinary runs.
"""
from __future__ import annotations

import json
import time
from typing import Any, Iterable

from azureml_local.exceptions import UserErrorException
from azureml_local.store.db import Database


def _now_ms() -> int:
    return int(time.time() * 1000)


def _logged_model(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    out["tags"], out["params"] = json.loads(out["tags"]), json.loads(out["params"])
    return out


def _merged_tags(conn: Any, table: str, key_column: str, key: str, set_tags: dict | None,
                 remove_tags: Iterable[str]) -> str | None:
    """The row's tags JSON with ``set_tags`` applied and ``remove_tags`` dropped; None when no such row."""
    row = conn.execute(f"SELECT tags FROM {table} WHERE {key_column}=?", (key,)).fetchone()
    if row is None:
        return None
    tags = json.loads(row["tags"])
    tags.update(set_tags or {})
    for name in remove_tags:
        tags.pop(name, None)
    return json.dumps(tags)


class MlflowStore:
    """Run parameters, logged models and registered-model headers."""

    def __init__(self, db: Database):
        self.db = db

    # -- parameters ---------------------------------------------------------------------------
    def log_params(self, run_id: str, params: Iterable[tuple[str, str]]) -> None:
        """Record parameters; re-logging the same value is fine, a different value is refused (nothing written)."""
        pairs = [(str(k), str(v)) for k, v in params]
        if not pairs:
            return
        with self.db.transaction() as conn:
            for key, value in pairs:
                row = conn.execute("SELECT value FROM mlflow_params WHERE run_id=? AND key=?", (run_id, key)).fetchone()
                if row is not None and row["value"] != value:
                    raise UserErrorException(
                        f"Changing param values is not allowed. Param with key='{key}' was already logged with "
                        f"value='{row['value']}' for run ID='{run_id}'. Attempted logging new value '{value}'.")
            conn.executemany("INSERT INTO mlflow_params(run_id, key, value) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                             [(run_id, k, v) for k, v in pairs])

    def params(self, run_id: str) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.db.query(
            "SELECT key, value FROM mlflow_params WHERE run_id=? ORDER BY key", (run_id,))}

    # -- logged models (MLflow 3) ----------------------------------------------------------------
    def create_logged_model(self, model_id: str, experiment_id: str, run_id: str | None, name: str,
                            artifact_location: str, model_type: str | None, tags: dict, params: dict) -> dict:
        now = _now_ms()
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO mlflow_logged_models(model_id, experiment_id, run_id, name, artifact_location,"
                         " created_ms, updated_ms, status, model_type, tags, params) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         (model_id, experiment_id, run_id, name, artifact_location, now, now, "PENDING", model_type,
                          json.dumps(tags), json.dumps(params)))
        return self.logged_model(model_id)  # type: ignore[return-value]

    def logged_model(self, model_id: str, allow_deleted: bool = False) -> dict | None:
        row = self.db.query_one("SELECT * FROM mlflow_logged_models WHERE model_id=?", (model_id,))
        model = _logged_model(row)
        if model is not None and model["deleted"] and not allow_deleted:
            return None
        return model

    def logged_models(self, experiment_ids: Iterable[str] | None = None, run_id: str | None = None) -> list[dict]:
        """Live logged models, newest first (of some experiments and/or one source run)."""
        sql, params = "SELECT * FROM mlflow_logged_models WHERE deleted=0", []
        ids = list(experiment_ids) if experiment_ids is not None else None
        if ids is not None:
            sql += f" AND experiment_id IN ({','.join('?' * len(ids))})" if ids else " AND 1=0"
            params += ids
        if run_id is not None:
            sql += " AND run_id=?"
            params.append(run_id)
        return [_logged_model(r) for r in self.db.query(sql + " ORDER BY created_ms DESC", params)]

    def update_logged_model(self, model_id: str, *, status: str | None = None, set_tags: dict | None = None,
                            remove_tags: Iterable[str] = (), deleted: bool | None = None) -> None:
        with self.db.transaction() as conn:
            tags = _merged_tags(conn, "mlflow_logged_models", "model_id", model_id, set_tags, remove_tags)
            if tags is not None:
                conn.execute("UPDATE mlflow_logged_models SET tags=?, updated_ms=?, status=COALESCE(?, status),"
                             " deleted=COALESCE(?, deleted) WHERE model_id=?",
                             (tags, _now_ms(), status, None if deleted is None else int(deleted), model_id))

    # -- registered-model headers --------------------------------------------------------------
    def create_registered_model(self, name: str, description: str | None, tags: dict) -> dict | None:
        """Insert the header; None when a model of that name is already registered."""
        now = _now_ms()
        with self.db.transaction() as conn:
            inserted = conn.execute("INSERT INTO mlflow_registered_models(name, description, tags,"
                                    " created_ms, updated_ms) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                                    (name, description, json.dumps(tags), now, now)).rowcount
        return self.registered_model(name) if inserted else None

    def registered_model(self, name: str) -> dict | None:
        row = self.db.query_one("SELECT * FROM mlflow_registered_models WHERE name=?", (name,))
        if row is None:
            return None
        out = dict(row)
        out["tags"] = json.loads(out["tags"])
        return out

    def registered_models(self) -> list[dict]:
        return [self.registered_model(r["name"]) for r in  # type: ignore[misc]
                self.db.query("SELECT name FROM mlflow_registered_models ORDER BY name")]

    def ensure_registered_model(self, name: str) -> dict:
        """The header of ``name`` (created for a model registered through the SDK first)."""
        return self.create_registered_model(name, None, {}) or self.registered_model(name)  # type: ignore[return-value]

    def update_registered_model(self, name: str, *, description: str | None = None, set_tags: dict | None = None,
                                remove_tags: Iterable[str] = ()) -> None:
        with self.db.transaction() as conn:
            tags = _merged_tags(conn, "mlflow_registered_models", "name", name, set_tags, remove_tags)
            if tags is not None:
                conn.execute("UPDATE mlflow_registered_models SET tags=?, updated_ms=?,"
                             " description=COALESCE(?, description) WHERE name=?",
                             (tags, _now_ms(), description, name))

    def delete_registered_model(self, name: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM mlflow_registered_models WHERE name=?", (name,))
