"""``azureml.widgets.RunDetails``: a run's status, metrics and children, without ipywidgets.

In Jupyter (IPython display available and a kernel running) ``show()`` displays
an HTML table; elsewhere it prints a text summary.
"""
from __future__ import annotations

import html
from typing import Any

from azureml_local.exceptions import UserErrorException


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
                   "End Time": details.get("endTimeUtc", "")}
        if details.get("error"):
            summary["Error"] = (details["error"].get("error") or {}).get("message", "")
        children = [{"Run Id": c.id, "Name": getattr(c, "name", None) or "", "Type": c.type, "Status": c.get_status()}
                    for c in run.get_children()]
        return summary, run.get_metrics(), children

    def get_html(self) -> str:
        summary, metrics, children = self._rows()

        def table(rows: list[tuple[str, Any]], head: tuple[str, str]) -> str:
            body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
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
        """Display in a notebook; print in a plain script."""
        if _in_notebook():
            from IPython.display import HTML, display

            display(HTML(self.get_html()))
        else:
            print(self.get_text())

    def _repr_html_(self) -> str:
        return self.get_html()


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
