"""Page data: the workspace's experiments, and one experiment's runs (filtered, sorted, paged in SQL)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azureml_local import status as states
from azureml_local.context import WorkspaceContext
from azureml_local.exceptions import UserErrorException
from azureml_local.store.run_queries import SORTS, RunQueries
from azureml_local.studio.errors import NotFound
from azureml_local.studio.formatting import run_summary, short_time, status_class

PAGE_SIZES = (25, 50, 100, 200)


@dataclass
class RunFilter:
    """What the run listing asks for (query parameters of the page, options of ``runs list``)."""

    status: str | None = None
    run_type: str | None = None
    search: str | None = None
    tag: str | None = None
    sort: str = "submitted"
    descending: bool = True
    page: int = 1
    page_size: int = 50

    def check(self) -> "RunFilter":
        """Refuse what the listing cannot do, saying what it can (UserErrorException)."""
        if self.sort not in SORTS:
            raise UserErrorException(f"Cannot sort runs by {self.sort!r}: use one of {', '.join(SORTS)}.")
        if self.status and self.status not in states.ALL_STATES:
            raise UserErrorException(f"Unknown run status {self.status!r}: use one of {', '.join(states.ALL_STATES)}.")
        if self.page < 1 or not 1 <= self.page_size <= 1000:
            raise UserErrorException("page must be >= 1 and page_size between 1 and 1000.")
        return self


def queries(ctx: WorkspaceContext) -> RunQueries:
    return RunQueries(ctx.db)


def workspace_page(ctx: WorkspaceContext) -> dict[str, Any]:
    """The home page: the workspace's identity and its experiments, latest activity first."""
    experiments = []
    for row in queries(ctx).experiment_summaries():
        experiments.append({"name": row["name"], "id": row["id"], "runs": row["runs"],
                            "last_submitted": short_time(row["last_submitted"]), "last_status": row["last_status"],
                            "last_status_class": status_class(row["last_status"]), "tags": row["tags"],
                            "created": short_time(row["created_utc"])})
    return {"workspace": {"name": ctx.workspace_name, "subscription_id": ctx.subscription_id,
                          "resource_group": ctx.resource_group, "folder": str(ctx.folder)},
            "experiments": experiments}


def experiment_row(ctx: WorkspaceContext, name: str) -> dict:
    """The active experiment called ``name``; UserErrorException naming the existing ones otherwise."""
    found = ctx.runs.list_experiments(name=name)
    if not found:
        names = ", ".join(e["name"] for e in ctx.runs.list_experiments()) or "none yet"
        raise NotFound(f"No experiment named {name!r} in this workspace (experiments: {names}).")
    return found[0]


def list_runs(ctx: WorkspaceContext, flt: RunFilter, experiment: str | None = None,
              top_level: bool = True) -> dict[str, Any]:
    """One page of runs as listing rows, with paging figures (Studio experiment page, ``runs list``)."""
    flt.check()
    experiment_id = experiment_row(ctx, experiment)["id"] if experiment else None
    q = queries(ctx)
    rows, total = q.page_runs(experiment_id=experiment_id, status=flt.status, run_type=flt.run_type,
                              search=flt.search, tag=flt.tag, top_level=top_level, sort=flt.sort,
                              descending=flt.descending, limit=flt.page_size,
                              offset=(flt.page - 1) * flt.page_size)
    tags = q.tags_of(r["run_id"] for r in rows)
    pages = max(1, -(-total // flt.page_size))
    return {"runs": [run_summary(r, tags.get(r["run_id"])) for r in rows], "total": total,
            "page": flt.page, "pages": pages, "page_size": flt.page_size,
            "run_types": q.run_types(experiment_id) if experiment_id else []}


def experiment_page(ctx: WorkspaceContext, name: str, flt: RunFilter) -> dict[str, Any]:
    """An experiment's page: its runs listing plus what the filter form offers."""
    listing = list_runs(ctx, flt, experiment=name)
    return {"experiment": name, "filter": flt, "sorts": list(SORTS), "statuses": list(states.ALL_STATES),
            "page_sizes": PAGE_SIZES, **listing}
