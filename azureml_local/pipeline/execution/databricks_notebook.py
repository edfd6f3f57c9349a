"""Run a DatabricksStep's notebook locally: ``python -m azureml_local.pipeline.execution.databricks_notebook
<notebook> [-<widget> <value>]...`` (the DatabricksStep executor builds this command).

The notebook runs unedited with nbclient in a kernel of this interpreter. Before its first cell
the kernel defines ``dbutils`` (``dbutils.py``: widgets from the ``-name value`` pairs),
``getArgument``, ``display`` and, when ``pyspark`` is installed, a local ``spark`` session and
``sc`` (``local[*]``). ``dbutils.notebook.exit(value)`` ends the notebook successfully. The
executed notebook is written to ``outputs/<name>`` (cell outputs included) for the run's files.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from azureml_local.pipeline.execution.dbutils import WIDGETS_ENV

_SETUP = """
import json as _json, os as _os
from azureml_local.pipeline.execution.dbutils import DBUtils as _DBUtils
dbutils = _DBUtils()
getArgument = dbutils.widgets.getArgument
def display(obj=None, *args, **kwargs):
    show = getattr(obj, "show", None)
    show() if callable(show) else print(obj)
displayHTML = print
try:
    from pyspark.sql import SparkSession as _SparkSession
except ImportError:
    pass
else:
    _builder = _SparkSession.builder.master("local[*]").appName("azureml-local-databricks")
    for _k, _v in _json.loads(_os.environ.get("AZUREML_LOCAL_SPARK_CONF") or "{}").items():
        _builder = _builder.config(_k, _v)
    spark = _builder.getOrCreate()
    sc = spark.sparkContext
"""


def parse_widgets(pairs: list[str]) -> dict[str, str]:
    """``["-input", "/p", "-myparam", "x"]`` -> ``{"input": "/p", "myparam": "x"}``."""
    if len(pairs) % 2:
        raise SystemExit(f"widget arguments come in '-name value' pairs, got {pairs!r}")
    return {pairs[i].lstrip("-"): pairs[i + 1] for i in range(0, len(pairs), 2)}


def run(notebook: str, widgets: dict[str, str]) -> int:
    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(notebook, as_version=4)
    os.environ[WIDGETS_ENV] = json.dumps(widgets)  # the kernel inherits the environment
    setup = nbformat.v4.new_code_cell(_SETUP, metadata={"tags": ["azureml-local-dbutils"]})
    nb.cells.insert(0, setup)
    print(f"[azureml-local] Running notebook {notebook} locally (emulated Databricks) with widgets: "
          f"{', '.join(sorted(widgets)) or 'none'}", flush=True)
    client = nbclient.NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": os.getcwd()}},
                                     timeout=None)
    status = 0
    try:
        client.execute()  # the kernel inherits this environment (widgets, DBFS root, AZUREML_* of the run)
    except CellExecutionError as exc:
        if exc.ename == "NotebookExit":
            print(f"[azureml-local] dbutils.notebook.exit({exc.evalue!r})", flush=True)
        else:
            status = 1
            print(str(exc), file=sys.stderr, flush=True)
    finally:
        _echo_outputs(nb)
        nb.cells.pop(0)
        out = Path("outputs") / Path(notebook).name
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(out))
    return status


def _echo_outputs(nb) -> None:
    """The cells' printed output into the step log (as Databricks' run output shows it)."""
    for cell in nb.cells[1:]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                target = sys.stderr if output.get("name") == "stderr" else sys.stdout
                target.write(output.get("text", ""))
            elif "data" in output and "text/plain" in output["data"]:
                print(output["data"]["text/plain"])
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    if not argv:
        raise SystemExit("usage: python -m azureml_local.pipeline.execution.databricks_notebook <notebook> "
                         "[-name value]...")
    return run(argv[0], parse_widgets(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
