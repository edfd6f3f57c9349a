"""Child runs (``child_run``, ``create_children``, ``get_children``, ``submit_child``): a Run mixin."""
from __future__ import annotations

from typing import Any, Iterator

from azureml_local.exceptions import UserErrorException
from azureml_local.store.runs import new_run_id

_INTERACTIVE = "interactive"


def _run_class() -> type:
    from azureml_local.run import Run  # cycle: Run is built from this mixin

    return Run


class RunChildrenMixin:
    """The host class provides ``_ws``, ``_run_id``, ``_row``, ``_experiment``, ``experiment``, ``id``."""

    # -- children ------------------------------------------------------------------------------------
    def child_run(self, name: str | None = None, run_id: str | None = None, outputs: Any = None) -> Any:
        child_id = self._ws._context.runs.create_run(
            self._experiment.name, run_id or new_run_id(), run_type=_INTERACTIVE, status="Running", start=True,
            parent_run_id=self._run_id, name=name, display_name=name, target=self._row["target"])
        return _run_class()(self._experiment, child_id, outputs=outputs)

    def create_children(self, count: int | None = None, tag_key: str | None = None,
                        tag_values: list | None = None) -> list:
        if count is None and tag_values is None:
            raise UserErrorException("create_children needs count or tag_values.")
        values = tag_values if tag_values is not None else [None] * int(count)
        children = []
        for value in values:
            child = self.child_run()
            if tag_key is not None:
                child.tag(tag_key, value)
            children.append(child)
        return children

    def get_children(self, recursive: bool = False, tags: Any = None, properties: Any = None, type: str | None = None,
                     status: str | None = None, _rehydrate_runs: bool = True) -> Iterator:
        frontier = [self._run_id]
        while frontier:
            parent = frontier.pop(0)
            rows = self._ws._context.runs.list_runs(parent_run_id=parent)
            rows.reverse()  # oldest first, like the service
            allowed = None
            if tags is not None or properties is not None:
                allowed = {r["run_id"] for r in self._ws._context.runs.list_runs(parent_run_id=parent, tags=tags,
                                                                  properties=properties)}
            for row in rows:
                if recursive:
                    frontier.append(row["run_id"])
                if ((type is None or row["run_type"] == type) and (status is None or row["status"] == status)
                        and (allowed is None or row["run_id"] in allowed)):
                    yield (_run_class()._rehydrate(self._experiment, row) if _rehydrate_runs
                           else _run_class()(self._experiment, row["run_id"]))

    def submit_child(self, config: Any, tags: dict | None = None, **kwargs: Any) -> Any:
        return self.experiment.submit(config, tags=tags, _parent_run_id=self.id, **kwargs)

