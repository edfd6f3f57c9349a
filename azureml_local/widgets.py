"""``azureml.widgets.RunDetails``: a run's status, metrics and children, without ipywidgets.

In Jupyter (IPython display available and a kernel running) ``show()`` displays the run view
(status, steps or child runs, metrics, a link to the run's local Studio page) and refreshes it
every few seconds while the run is active; elsewhere it prints a text summary with that link.
"""
from __future__ import annotations

import html
import threading
import time
from typing import Any

from azureml_local import status as states

from azureml_local.exceptions import UserErrorException


REFRESH_SECONDS = 3.0
ACTIVE = frozenset(states.ACTIVE_STATES) | {"Running", "NotStarted", "Queued"}  # PipelineRun's statuses too


class RunDetails:
    """``RunDetails(run).show()`` as in the azureml-widgets package."""

    def __init__(self, run_instance: Any):
        if not hasattr(run_instance, "get_metrics") or not hasattr(run_instance, "get_status"):
            raise UserErrorException("RunDetails needs a submitted run (an azureml.core.Run), got "
                                     f"{type(run_instance).__name__}.")
        self.run_instance = run_instance

    def _rows(self) -> tuple[dict, dict, list]:
        run = self.run_instance
        details = run.get_details()
        summary = {"Run Id": run.id, "Experiment": run.experiment.name, "Type": run.type,
                   "Status": details.get("status"), "Start Time": details.get("startTimeUtc", ""),
                   "End Time": details.get("endTimeUtc", ""), "Studio": run.get_portal_url()}
        if details.get("error"):
            summary["Error"] = (details["error"].get("error") or {}).get("message", "")
        children = [{"Run Id": c.id, "Name": getattr(c, "name", None) or "", "Type": c.type, "Status": c.get_status()}
                    for c in run.get_children()]
        return summary, run.get_metrics(), children

    def get_html(self) -> str:
        summary, metrics, children = self._rows()

        def cell(key: str, value: Any) -> str:
            if key == "Studio":
                return f'<a href="{html.escape(str(value))}" target="_blank">Open the run in the local Studio</a>'
            return html.escape(str(value))

        def table(rows: list[tuple[str, Any]], head: tuple[str, str]) -> str:
            body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{cell(str(k), v)}</td></tr>" for k, v in rows)
            return (f"<table><tr><th>{head[0]}</th><th>{head[1]}</th></tr>{body}</table>")

        parts = ["<h4>Run details</h4>", table(list(summary.items()), ("Property", "Value"))]
        if metrics:
            parts += ["<h4>Metrics</h4>", table(list(metrics.items()), ("Name", "Value"))]
        if children:
            rows = [(c["Run Id"], f"{c['Name']} ({c['Type']}): {c['Status']}") for c in children]
            parts += ["<h4>Child runs</h4>", table(rows, ("Run Id", "Name (Type): Status"))]
        return "<div>" + "".join(parts) + "</div>"

    def get_text(self) -> str:
        summary, metrics, children = self._rows()
        lines = [f"{k}: {v}" for k, v in summary.items()]
        if metrics:
            lines += ["", "Metrics:"] + [f"  {k}: {v}" for k, v in metrics.items()]
        if children:
            lines += ["", "Child runs:"] + [f"  {c['Name'] or c['Run Id']} ({c['Type']}, {c['Run Id']}): {c['Status']}"
                                            for c in children]
        return "\n".join(lines)

    def show(self) -> None:
        """Display in a notebook (refreshed while the run is active); print in a plain script."""
        if _in_notebook():
            from IPython.display import HTML, display

            handle = display(HTML(self.get_html()), display_id=True)
            if self.run_instance.get_status() in ACTIVE and handle is not None:
                threading.Thread(target=self._refresh, args=(handle,), daemon=True,
                                 name=f"RunDetails-{self.run_instance.id}").start()
        else:
            print(self.get_text())

    def _refresh(self, handle: Any, every: float = REFRESH_SECONDS) -> None:
        """Update the displayed view until the run ends (one last update shows its final state)."""
        from IPython.display import HTML

        while True:
            time.sleep(every)
            active = self.run_instance.get_status() in ACTIVE
            try:
                handle.update(HTML(self.get_html()))
            except Exception:  # noqa: BLE001 - the kernel or the output went away: stop quietly
                return
            if not active:
                return

    def _repr_html_(self) -> str:
        return self.get_html()


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
