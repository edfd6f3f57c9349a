"""A local stand-in for Databricks' ``dbutils`` (widgets, fs basics, notebook.exit, secrets).

Defined in the kernel before a DatabricksStep's notebook runs (``databricks_notebook.py``).
Emulated, not Databricks: ``widgets.get`` returns the step's inputs and outputs (local paths) and
its ``notebook_params``; ``fs`` works on local files, where ``dbfs:/x`` and ``/dbfs/x`` name
``$AZUREML_LOCAL_DBFS_ROOT/x``; ``secrets.get`` reads ``AZUREML_LOCAL_SECRET_<SCOPE>_<KEY>``
environment variables; ``fs.mount`` only records a mount point for the source.
Standard library only: it runs inside the user's kernel.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

DBFS_ROOT_ENV = "AZUREML_LOCAL_DBFS_ROOT"
WIDGETS_ENV = "AZUREML_LOCAL_DATABRICKS_WIDGETS"


class NotebookExit(Exception):
    """Raised by ``dbutils.notebook.exit``: the notebook stops there and succeeds with this value."""

    def __init__(self, value: str):
        super().__init__(value)
        self.value = value


def local_path(path: str) -> str:
    """A DBFS path as the local file it stands for (other paths unchanged)."""
    root = os.environ.get(DBFS_ROOT_ENV) or str(Path.home() / ".azureml-local-dbfs")
    for prefix in ("dbfs:/", "/dbfs/"):
        if path.startswith(prefix):
            return str(Path(root) / path[len(prefix):].lstrip("/"))
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


class Widgets:
    def __init__(self, values: dict[str, str]):
        self._values = dict(values)
        self._defaults: dict[str, str] = {}

    def get(self, name: str) -> str:
        if name in self._values:
            return self._values[name]
        if name in self._defaults:
            return self._defaults[name]
        raise ValueError(f"InputWidgetNotDefined: no input widget named {name} is defined (inputs, outputs and "
                         f"notebook_params of the step: {', '.join(sorted(self._values)) or 'none'}).")

    def getArgument(self, name: str, default: str | None = None) -> str | None:  # noqa: N802 - Databricks' name
        try:
            return self.get(name)
        except ValueError:
            return default

    def _define(self, name: str, default: str = "", *args: object, **kwargs: object) -> None:
        self._defaults.setdefault(name, default)

    text = dropdown = combobox = multiselect = _define

    def remove(self, name: str) -> None:
        self._defaults.pop(name, None)

    def removeAll(self) -> None:  # noqa: N802
        self._defaults.clear()


@dataclass
class FileInfo:
    path: str
    name: str
    size: int


class Fs:
    def __init__(self) -> None:
        self.mounts: dict[str, str] = {}

    def ls(self, path: str) -> list[FileInfo]:
        base = Path(local_path(path))
        return [FileInfo(path.rstrip("/") + "/" + p.name + ("/" if p.is_dir() else ""),
                         p.name + ("/" if p.is_dir() else ""), p.stat().st_size if p.is_file() else 0)
                for p in sorted(base.iterdir())]

    def mkdirs(self, path: str) -> bool:
        Path(local_path(path)).mkdir(parents=True, exist_ok=True)
        return True

    def put(self, path: str, contents: str, overwrite: bool = False) -> bool:
        target = Path(local_path(path))
        if target.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; pass overwrite=True")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(contents)
        return True

    def head(self, path: str, maxBytes: int = 65536) -> str:  # noqa: N803 - Databricks' name
        with open(local_path(path), "rb") as fh:
            return fh.read(maxBytes).decode("utf-8", "replace")

    def cp(self, source: str, destination: str, recurse: bool = False) -> bool:
        src, dst = Path(local_path(source)), Path(local_path(destination))
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            if not recurse:
                raise IsADirectoryError(f"{source} is a directory; pass recurse=True")
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dst)
        return True

    def mv(self, source: str, destination: str, recurse: bool = False) -> bool:
        dst = Path(local_path(destination))
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(local_path(source), dst)
        return True

    def rm(self, path: str, recurse: bool = False) -> bool:
        target = Path(local_path(path))
        if target.is_dir():
            if not recurse:
                raise IsADirectoryError(f"{path} is a directory; pass recurse=True")
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        return True

    def mount(self, source: str, mount_point: str, extra_configs: dict | None = None) -> bool:
        self.mounts[mount_point] = source
        return True

    def unmount(self, mount_point: str) -> bool:
        self.mounts.pop(mount_point, None)
        return True


class Notebook:
    def exit(self, value: object = "") -> None:
        raise NotebookExit(str(value))


class Secrets:
    def get(self, scope: str, key: str) -> str:
        name = f"AZUREML_LOCAL_SECRET_{scope}_{key}".upper().replace("-", "_")
        if name not in os.environ:
            raise ValueError(f"Secret does not exist with scope: {scope} and key: {key} (locally: set {name}).")
        return os.environ[name]


class DBUtils:
    """``dbutils`` for a locally run DatabricksStep notebook."""

    def __init__(self, widgets: dict[str, str] | None = None):
        if widgets is None:
            widgets = json.loads(os.environ.get(WIDGETS_ENV) or "{}")
        self.widgets = Widgets(widgets)
        self.fs = Fs()
        self.notebook = Notebook()
        self.secrets = Secrets()
