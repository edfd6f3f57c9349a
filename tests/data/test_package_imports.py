"""Every module of ``azureml_local.data`` imports cleanly when it is the first one imported.

The SDK data classes refer to each other (datasets <-> their registry and consumption configs,
datastores <-> DataReference); module-level imports are ordered so that no entry point meets a
half-initialised module. Each module is imported first in a fresh interpreter state.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import azureml_local.data

SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "azureml_local" or m.startswith(("azureml_local.", "azureml."))]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:  # report every module, not only the first failure
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
    else:
        for heavy in ("pandas", "pyarrow", "azure.storage.blob"):
            if heavy in sys.modules:
                failed.append(f"{name}: loads {heavy} at import")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_each_data_module_imports_first_without_heavy_libraries() -> None:
    folder = Path(azureml_local.data.__file__).parent
    names = sorted(f"azureml_local.data.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__")
    assert "azureml_local.data.dataset_consumption_config" in names
    done = subprocess.run([sys.executable, "-c", SCRIPT, *names], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
