"""Page data: datastores, datasets (versions, first rows of a tabular one), models, computes, environments."""
from __future__ import annotations

import json
from typing import Any

from azureml_local.context import WorkspaceContext
from azureml_local.data import cache, definition as defs
from azureml_local.data.resolve import resolve
from azureml_local.data.tabular_reader import read_frame
from azureml_local.studio.errors import NotFound

PREVIEW_ROWS = 20


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value


def datastores_page(ctx: WorkspaceContext) -> dict[str, Any]:
    default = ctx.registries.datastores.default_name()
    rows = [{"name": r["name"], "type": r["datastore_type"], "container": r.get("container_name") or "",
             "account": r.get("account_name") or "", "default": r["name"] == default}
            for r in ctx.registries.datastores.list()]
    return {"datastores": rows}


def datasets_page(ctx: WorkspaceContext) -> dict[str, Any]:
    rows = []
    for r in ctx.registries.datasets.latest_versions():
        definition = _json(r["definition"])
        rows.append({"name": r["name"], "version": r["version"], "kind": definition.get("kind", ""),
                     "description": r.get("description") or "", "created": r.get("created", "")[:19],
                     "sources": defs.source_labels(definition)})
    return {"datasets": rows}


def dataset_page(ctx: WorkspaceContext, name: str, version: int | None = None) -> dict[str, Any]:
    """A dataset's versions, the chosen one's definition and, for a tabular dataset, its first rows."""
    versions = ctx.registries.datasets.versions(name)
    if not versions:
        raise NotFound(f"No dataset named {name!r} is registered in this workspace.")
    chosen = next((v for v in versions if version is None or v["version"] == version), None)
    if chosen is None:
        raise NotFound(f"Dataset {name!r} has no version {version} (versions: "
                                 f"{', '.join(str(v['version']) for v in versions)}).")
    definition = _json(chosen["definition"])
    page = {"name": name, "version": chosen["version"], "kind": definition.get("kind", ""),
            "description": chosen.get("description") or "", "dataset_tags": _json(chosen.get("tags") or "{}"),
            "definition": json.dumps(definition, indent=2), "sources": defs.source_labels(definition),
            "versions": [{"version": v["version"], "created": (v.get("created") or "")[:19],
                          "description": v.get("description") or ""} for v in versions],
            "preview": None, "preview_error": None}
    if definition.get("kind") == "tabular":
        try:
            page["preview"] = preview_rows(ctx, definition)
        except Exception as exc:  # noqa: BLE001 - a broken source shows its reason instead of the rows
            page["preview_error"] = f"{type(exc).__name__}: {exc}"
    return page


def preview_rows(ctx: WorkspaceContext, definition: dict, rows: int = PREVIEW_ROWS) -> dict[str, list]:
    """``{"columns", "rows"}``: the first ``rows`` records (only those files are read)."""
    limited = defs.with_transform(definition, "take", count=rows)
    files = resolve(ctx, limited)
    frame = read_frame(limited, files, cache.local_files(ctx, files), "preview").head(rows)
    return {"columns": [str(c) for c in frame.columns],
            "rows": [[str(v) for v in record] for record in frame.itertuples(index=False)]}


def models_page(ctx: WorkspaceContext) -> dict[str, Any]:
    models = []
    for m in ctx.registries.models.query():
        models.append({"name": m.get("name"), "version": m.get("version"), "run_id": m.get("run_id") or "",
                       "framework": m.get("model_framework") or "", "description": m.get("description") or "",
                       "tags": m.get("tags") or {}, "created": str(m.get("created_time") or "")[:19]})
    models.sort(key=lambda m: (m["name"] or "", -(m["version"] or 0)))
    return {"models": models}


def computes_page(ctx: WorkspaceContext) -> dict[str, Any]:
    rows = [{"name": c.get("name"), "type": c.get("type") or c.get("compute_type") or "",
             "details": json.dumps({k: v for k, v in c.items() if k not in ("name",)}, default=str)[:300]}
            for c in ctx.registries.computes.list()]
    return {"computes": [{"name": "local", "type": "local", "details": "this machine (always present)"}] + rows}


def environments_page(ctx: WorkspaceContext) -> dict[str, Any]:
    rows = []
    for r in ctx.registries.environments.latest_versions():
        definition = _json(r["definition"])
        python = (definition.get("python") or {}) if isinstance(definition, dict) else {}
        rows.append({"name": r["name"], "version": r["version"],
                     "user_managed": python.get("userManagedDependencies", ""),
                     "definition": json.dumps(definition, indent=2, default=str)[:4000]})
    return {"environments": rows}


LISTINGS = {
    "models": ("Models", ("Name", "Version", "Framework", "Run", "Created", "Description"),
               lambda m: (m["name"], m["version"], m["framework"], m["run_id"], m["created"], m["description"]),
               models_page, "No registered models: Model.register(ws, model_path, model_name) adds one."),
    "computes": ("Compute targets", ("Name", "Type", "Details"), lambda c: (c["name"], c["type"], c["details"]),
                 computes_page, ""),
    "environments": ("Environments", ("Name", "Version", "User-managed dependencies"),
                     lambda e: (e["name"], e["version"], e["user_managed"]), environments_page,
                     "No registered environments: env.register(ws) adds one."),
}


def listing(ctx: WorkspaceContext, kind: str) -> dict[str, Any]:
    """A simple table page (models, compute targets, environments)."""
    title, columns, cells, producer, empty = LISTINGS[kind]
    items = next(iter(producer(ctx).values()))
    return {"title": title, "columns": list(columns), "rows": [list(cells(i)) for i in items], "empty": empty}
