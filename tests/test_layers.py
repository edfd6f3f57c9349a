"""The layering contracts in .importlinter hold (store < engine < pipeline execution/jobs < service; no SDK
class, data classes included, below the SDK layer; the data engine below jobs and pipeline execution). Runs import-linter on the installed package, as CI does."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") == 3


def test_the_data_sdk_classes_are_forbidden_below_the_sdk_layer() -> None:
    """Jobs and the pipeline engine reach datasets and datastores only through the plain-value data engine."""
    import configparser

    config = configparser.ConfigParser(inline_comment_prefixes=(";",))
    config.read(ROOT / ".importlinter")
    forbidden = config["importlinter:contract:sdk"]["forbidden_modules"].split()
    for module in ("datastore", "abstract_datastore", "azure_storage_datastore", "azure_data_lake_datastore",
                   "abstract_dataset", "file_dataset", "tabular_dataset", "dataset_factory", "output_dataset_config",
                   "dataset_consumption_config", "data_reference", "datapath", "datastore_registry",
                   "dataset_registry"):
        assert f"azureml_local.data.{module}" in forbidden
