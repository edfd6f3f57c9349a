"""Execute an official notebook as a user would: nbclient, a Jupyter kernel, every cell as written.

The kernel is an ipykernel on this project's interpreter (``sys.executable``: the ``.venv``
the tests run in), described by a kernel spec written into the test's temp folder so that no
kernel installed elsewhere on the machine is picked (nothing needs installing: ``ipykernel`` is
in the test extras), with its connection file and IPython/Jupyter folders there too. It starts
in a fresh folder holding a copy of the vendored notebook folder (``official/intro-to-pipelines``)
and a ``config.json`` for a local workspace, and inherits the test's environment, so ``AZUREML_LOCAL_HOME`` (the
test's isolated home) and the session's Azurite reach it. The root conftest's fixture stops
the workspace services the notebook started once the test ends.

The notebook bytes are never changed: :func:`execute` reads the vendored file, runs it and
writes the executed copy beside the copy it ran (``<name>.executed.ipynb``) for a look
after a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

OFFICIAL = Path(__file__).resolve().parent / "official"
NOTEBOOKS = OFFICIAL / "intro-to-pipelines"
KERNEL = "azureml-local-venv"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of IPython tracebacks
CELL_TIMEOUT = 300  # seconds a single cell may take (a cell that waits for a pipeline run)
WORKSPACE = {"name": "notebooks", "subscription_id": "00000000-0000-0000-0000-000000000000",
             "resource_group": "local-rg"}


class NotebookFailed(AssertionError):
    """A cell raised: which cell (index among all cells, and its first line) and the error."""


@dataclass
class ExecutedNotebook:
    """What a run left: the executed notebook, the folder it ran in, and how long it took."""

    notebook: nbformat.NotebookNode
    folder: Path
    seconds: float

    def text(self) -> str:
        """Everything the code cells printed or displayed as text, in order."""
        parts: list[str] = []
        for cell in self.notebook.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream":
                    parts.append(out["text"])
                elif "data" in out and "text/plain" in out["data"]:
                    parts.append(out["data"]["text/plain"] + "\n")
        return "".join(parts)


def prepare_folder(root: Path):
    """A copy of the vendored notebook folder with a local workspace's config.json; returns (folder, ws)."""
    from azureml.core import Workspace

    if not os.environ.get("AZUREML_LOCAL_HOME"):
        raise RuntimeError("AZUREML_LOCAL_HOME is not set: run notebooks only under a test's isolated home")
    folder = root / "intro-to-pipelines"
    shutil.copytree(NOTEBOOKS, folder)
    ws = Workspace.create(WORKSPACE["name"], subscription_id=WORKSPACE["subscription_id"],
                          resource_group=WORKSPACE["resource_group"], exist_ok=True, show_output=False)
    ws.write_config(path=str(folder))  # what `azureml-local init --path <folder>` writes
    return folder, ws


def _kernel_manager(root: Path) -> AsyncKernelManager:
    """A kernel manager whose only kernel spec runs ipykernel on this interpreter."""
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "azureml-local (.venv)", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs,
                              connection_file=str(root / "kernel-connection.json"))


def execute(name: str, folder: Path, timeout: int = CELL_TIMEOUT) -> ExecutedNotebook:
    """Run every cell of notebook ``name`` (in ``folder``, made by :func:`prepare_folder`) in order."""
    path = folder / name
    notebook = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    for var, sub in (("IPYTHONDIR", "ipython"), ("JUPYTER_CONFIG_DIR", "jupyter/config"),
                     ("JUPYTER_DATA_DIR", "jupyter/data"), ("JUPYTER_RUNTIME_DIR", "jupyter/runtime")):
        env[var] = str(folder.parent / sub)  # nothing read from or written to the user's home
    env["MPLBACKEND"] = "agg"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # ipykernel's debugger warning on frozen modules
    client = NotebookClient(notebook, km=_kernel_manager(folder.parent), timeout=timeout,
                            resources={"metadata": {"path": str(folder)}})
    started = time.monotonic()
    try:
        client.execute(cleanup_kc=True, env=env)
    except CellExecutionError as exc:
        raise NotebookFailed(f"{name}: {_failed_cell(notebook)}\n{_ANSI.sub('', str(exc))}") from None
    except (CellTimeoutError, DeadKernelError) as exc:  # a cell ran over `timeout`, or the kernel died
        raise NotebookFailed(f"{name}: {type(exc).__name__}: {exc}") from None
    finally:
        nbformat.write(notebook, folder / (path.stem + ".executed.ipynb"))
    return ExecutedNotebook(notebook, folder, time.monotonic() - started)


def _failed_cell(notebook: nbformat.NotebookNode) -> str:
    """``cell [i] '<first line>' raised <Error>: <message>`` for the cell with an error output."""
    for index, cell in enumerate(notebook.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return f"cell [{index}] {first!r} raised {out['ename']}: {out['evalue']}"
    return "a cell failed"
