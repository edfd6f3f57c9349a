"""Hooks the job binder (``azureml_local.jobs.binding``) calls to give a run its data (pure functions).

They take the dict forms of a job spec's inputs and outputs (``docs/pipeline-definition.md``), never
SDK objects, and import no SDK class: datasets are plain definitions (``datasets.py``), datastores
rows resolved to ``(BlobStore, container)`` (``stores.py``); a dataset produced here is returned as
its saved id (``Dataset.get_by_id`` turns it into an object on the SDK side).

Inputs: ``prepare_input`` returns what replaces ``DatasetConsumptionConfig:<name>`` in argv and the
environment variables the job runtime sets: direct mode -> the dataset id; download/mount -> a local
path (the file itself for a single-file dataset). Mount is download-backed: files come from the
etag-keyed cache (``data/cache.py``) and are hard-linked into the run folder, so unchanged data is
never downloaded twice.

Outputs: ``prepare_output`` gives the folder a script writes to; ``finalize_output`` uploads
it to the destination, then registers it when asked. A failed upload registers nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from azureml_local.data import cache, datasets, stores
from azureml_local.data import definition as defs
from azureml_local.data.names import check_blob_name, join_blob_path
from azureml_local.data.resolve import _GLOB_CHARS, _clean, resolve, resolve_datastore_path
from azureml_local.data.tabular_reader import header_mode
from azureml_local.exceptions import UserErrorException
from azureml_local.jobs.placeholders import DEFAULT_OUTPUT_PATH, fill_path

INPUTS_FOLDER = ".azureml_inputs"
OUTPUTS_FOLDER = ".azureml_outputs"
_SDK_CLASS = {"tabular": "<class 'azureml_local.data.tabular_dataset.TabularDataset'>",
              "file": "<class 'azureml_local.data.file_dataset.FileDataset'>"}  # what ``type(dataset)`` prints


# -- inputs --------------------------------------------------------------------------------------
def _target_dir(run_dir: Path, name: str, path_on_compute: str | None) -> Path:
    if path_on_compute:
        p = Path(path_on_compute)
        return p if p.is_absolute() else Path(run_dir) / p
    return Path(run_dir) / INPUTS_FOLDER / name


def _single_file(definition: dict, files: list) -> bool:
    """True when the dataset names exactly one file (not a folder or pattern)."""
    if len(definition["paths"]) != 1 or len(files) != 1 or definition.get("transforms"):
        return False
    entry = definition["paths"][0]
    if "url" in entry:
        return files[0].full == entry["url"]
    path = _clean(entry["path"])
    return not _GLOB_CHARS.search(path) and files[0].blob == path


def prepare_input(ws: Any, config: dict, run_dir: Path) -> tuple[str, dict[str, str]]:
    """``(argv value, env)`` for one input of a job spec (``kind`` ``dataset`` or ``datastore_path``)."""
    if config.get("kind") == "datastore_path":
        return _prepare_reference(ws, config, run_dir)
    name, mode, path_on_compute = config["name"], (config.get("mode") or "direct").lower(), \
        config.get("path_on_compute")
    if mode == "hdfs":
        raise UserErrorException(datasets.HDFS_UNSUPPORTED)
    ds = datasets.entry(ws, config["dataset"])
    if mode == "direct":
        return ds["id"], {name: ds["id"]}
    if ds["definition"]["kind"] != "file":
        raise UserErrorException(f"{_SDK_CLASS[ds['definition']['kind']]} does not support {mode}. Only FileDataset "
                                 f"supports {mode}")
    files = datasets.files(ws, ds["definition"])
    target = _target_dir(run_dir, name, path_on_compute)
    target.mkdir(parents=True, exist_ok=True)
    placed = cache.materialize(ws, files, target)
    if _single_file(ds["definition"], files):
        value = placed[0]
        return value, {name: value, f"AZUREML_DATAREFERENCE_{name}": value, name.upper(): value}
    return str(target), {name: str(target)}


def _prepare_reference(ws: Any, ref: dict, run_dir: Path) -> tuple[str, dict[str, str]]:
    name, store, path = ref["name"], ref["datastore"], ref.get("path") or ""
    target = _target_dir(run_dir, name, ref.get("path_on_compute"))
    target.mkdir(parents=True, exist_ok=True)
    value = str(target)
    if ref.get("mode", "mount") != "upload":
        files = resolve_datastore_path(ws, store, path)
        placed = cache.materialize(ws, files, target)
        if len(files) == 1 and files[0].blob == path.strip("/"):
            value = placed[0]
    return value, {f"AZUREML_DATAREFERENCE_{name}": value}


# -- outputs --------------------------------------------------------------------------------------
def prepare_output(ws: Any, output: dict, run_id: str, run_dir: Path, root: Path | None = None
                   ) -> tuple[str, dict[str, str]]:
    """The local folder a script writes ``output`` (an output entry of a job spec) to, and ``{name: folder}``.

    Its ``source`` / ``path_on_compute`` (relative to ``run_dir``), else ``<root>/<name>`` (a pipeline run's
    data folder) or ``<run_dir>/.azureml_outputs/<name>``; a DataReference in upload mode gets the folder it
    would have been downloaded to.
    """
    name, kind = output["name"], output.get("kind", "output_file_dataset")
    if kind == "output_file_dataset":
        check_output(ws, output, run_id)
    where = output.get("source") or output.get("path_on_compute")
    if where:
        folder = Path(os.path.normpath(Path(run_dir) / where))
    elif kind == "datastore_path":
        folder = _target_dir(run_dir, name, None)
    else:
        folder = Path(root if root is not None else Path(run_dir) / OUTPUTS_FOLDER) / name
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder), {name: str(folder)}


def check_output(ws: Any, d: dict, run_id: str) -> None:
    """HDFS, an unknown datastore or an invalid blob path fails the run before its script starts, not after."""
    if d.get("mode") == "hdfs":
        raise UserErrorException("HDFSOutputDatasetConfig is not supported by azureml-local (it needs a Synapse "
                                 "Spark pool); use OutputFileDatasetConfig.")
    if d.get("datastore"):
        stores.datastore_row(ws, d["datastore"])
    path = join_blob_path(fill_path(d.get("path") or DEFAULT_OUTPUT_PATH, run_id, d["name"]))
    if path:
        check_blob_name(path)


def finalize_output(ws: Any, output: dict, local_path: str, run_id: str, dataset: bool = True) -> dict:
    """Upload the output folder, register it if asked; returns ``{datastore, path, dataset_id, ...}``.

    ``dataset=False`` (pipeline steps) saves no dataset over the output unless it is registered.
    """
    d = output
    store_name = d.get("datastore") or stores.default_name(ws)
    path = fill_path(DEFAULT_OUTPUT_PATH if d.get("path") is None else d["path"], run_id, d["name"])
    upload = d.get("upload") or d.get("upload_options") or {}
    files = stores.upload_folder(ws, store_name, path, Path(local_path), overwrite=upload.get("overwrite", True),
                                 source_globs=upload.get("source_globs")) if os.path.isdir(local_path) else 0
    out = {"name": d["name"], "datastore": store_name, "path": path, "files": files, "dataset_id": None,
           "registered": None}
    reg = d.get("register")
    if dataset or reg:
        definition = _output_definition(store_name, path, d.get("tabular"), d.get("partition_format"))
        out["dataset_id"] = datasets.save(ws, definition)
    if reg:
        registered = _register(ws, definition, reg)
        out["registered"] = {"name": registered.name, "version": registered.version}
        out["dataset_id"] = registered.id
    return out


def _tabular_definition(store_name: str, path: str, tabular: dict) -> dict:
    """A tabular definition over an output folder, from our spec or the pipeline's PipelineData spec."""
    if "reader" in tabular:  # OutputTabularDatasetConfig (this package)
        glob = tabular.get("path_glob")
        return {"kind": "tabular", "paths": [{"datastore": store_name, "path": f"{path}/{glob}" if glob else path}],
                "reader": tabular["reader"], "partition_format": tabular.get("partition_format"),
                "transforms": list(tabular.get("transforms") or [])}
    fmt = tabular.get("format", "delimited")
    ext = tabular.get("file_extension")
    reader: dict = {"format": fmt, "include_path": bool(tabular.get("include_path")), "set_column_types": None}
    if fmt == "delimited":
        header = tabular.get("header", "ALL_FILES_HAVE_SAME_HEADERS")
        reader.update(separator=tabular.get("separator", ","), infer_column_types=True, encoding="utf8",
                      header=header_mode(header.upper() if isinstance(header, str) else header))
    transforms = []
    if tabular.get("keep_columns"):
        transforms.append({"op": "keep_columns", "columns": tabular["keep_columns"]})
    if tabular.get("drop_columns"):
        transforms.append({"op": "drop_columns", "columns": tabular["drop_columns"]})
    if tabular.get("random_split"):
        rs = tabular["random_split"]
        transforms.append({"op": "random_split", "percentage": rs["percentage"], "seed": rs.get("seed") or 0,
                           "part": 0 if rs.get("part", 1) == 1 else 1})
    return {"kind": "tabular", "paths": [{"datastore": store_name, "path": f"{path}/**/*{ext}" if ext else path}],
            "reader": reader, "partition_format": tabular.get("partition_format"), "transforms": transforms}


def _output_definition(datastore_name: str, path: str, tabular: dict | None, partition_format: str | None) -> dict:
    """The definition of the dataset over an output folder: file, or tabular when ``tabular`` is given."""
    if tabular:
        return _tabular_definition(datastore_name, path.strip("/"), tabular)
    return {"kind": "file", "paths": [{"datastore": datastore_name, "path": path.strip("/")}],
            "reader": None, "partition_format": partition_format, "transforms": []}


def output_dataset(ws: Any, datastore_name: str, path: str, tabular: dict | None = None,
                   partition_format: str | None = None) -> str:
    """Save the (unregistered) dataset over an output folder; returns its id."""
    return datasets.save(ws, _output_definition(datastore_name, path, tabular, partition_format))


def tabular_dataset_for_output(ws: Any, datastore_name: str, path: str, tabular: dict) -> str:
    """Id of the TabularDataset over a step output (what a direct-mode consumer receives)."""
    return output_dataset(ws, datastore_name, path, tabular)


def register_output(ws: Any, datastore_name: str, path: str, register: dict, tabular: dict | None = None,
                    partition_format: str | None = None) -> datasets.Registered:
    """Register the dataset over an uploaded output (new version); returns ``(id, name, version)``."""
    return _register(ws, _output_definition(datastore_name, path, tabular, partition_format), register)


def _register(ws: Any, definition: dict, register: dict) -> datasets.Registered:
    return datasets.register(ws, definition, register["name"], register.get("description"), register.get("tags"),
                             create_new_version=register.get("create_new_version", True))


def input_details(ws: Any, config: dict) -> dict:
    """The ``inputDatasets`` entry of ``Run.get_details()`` for one dataset input of a job spec (SDK shape)."""
    ds = datasets.entry(ws, config["dataset"])
    return {"dataset": {"id": ds["id"], "name": ds["name"], "version": ds["version"]},
            "consumptionDetails": {"type": "RunInput", "inputName": config["name"],
                                   "mechanism": (config.get("mode") or "direct").capitalize()}}


# -- identities and env vars --------------------------------------------------------------------------
def resolve_datapath(value: Any) -> tuple[str | None, str]:
    """``(datastore, path)`` of a DataPath parameter value as stored in the definition/parameters."""
    if isinstance(value, dict):
        return value.get("datastore") or value.get("datastore_name"), value.get("path") or value.get("path_on_datastore") or ""
    if isinstance(value, str):
        return None, value
    raise UserErrorException(f"A DataPath pipeline parameter got a value of type {type(value).__name__}; "
                             "pass a DataPath(datastore, path_on_datastore).")


def dataset_identity(ws: Any, dataset: Any) -> str:
    """sha256 of the dataset definition and the (name, size, etag) of every file it covers."""
    definition = datasets.entry(ws, dataset)["definition"]
    h = hashlib.sha256(defs.canonical(definition).encode())
    for f in resolve(ws, definition):
        h.update(f"|{f.full}:{f.size}:{f.etag}".encode())
    return h.hexdigest()


def datastore_path_identity(ws: Any, datastore_name: str, path: str) -> str:
    """sha256 of a datastore path and the blobs under it (a changed blob changes the identity)."""
    h = hashlib.sha256(json.dumps([datastore_name, (path or "").strip("/")]).encode())
    for f in resolve_datastore_path(ws, datastore_name, path or ""):
        h.update(f"|{f.blob}:{f.size}:{f.etag}".encode())
    return h.hexdigest()


def input_environment_variables(pairs: Any) -> str:
    """``AZUREML_DATASET_ENVIRONMENT_VARS`` value: ``name:mode`` joined by commas.

    ``pairs`` is an iterable of ``(name, mode)`` or of DatasetConsumptionConfigs.
    """
    items = []
    for p in pairs:
        name, mode = (p.name, p.mode) if hasattr(p, "mode") else p
        items.append(f"{name}:{mode}")
    return ",".join(items)


def output_environment_variable(names: Any) -> str:
    """``AZUREML_DATASET_FILE_OUTPUTS`` value: output names joined by semicolons."""
    return ";".join(getattr(n, "name", n) for n in names)
