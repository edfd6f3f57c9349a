"""The facade: every SDK path in the tables has its file and every name resolves."""
import subprocess
import sys

import pytest

from azureml_local._facade import resolve
from azureml_local.facade import SURFACE


def test_facade_files_match_tables():
    out = subprocess.run([sys.executable, "tools/sync_facade.py", "--check"], capture_output=True, text=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.returncode == 0, out.stdout


@pytest.mark.parametrize("path,name,target", [(p, n, t) for p, names in sorted(SURFACE.items())
                                              for n, t in sorted(names.items())])
def test_every_name_resolves(path, name, target):
    module = __import__(path, fromlist=[name])
    assert getattr(module, name) is resolve(target)


def test_import_core_is_light():
    code = ("import sys, azureml.core; from azureml.core import Workspace; "
            "heavy = [m for m in ('pandas', 'azure.storage.blob', 'numpy', 'fastapi', 'requests') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_exposed():
    import azureml.core

    assert azureml.core.VERSION.count(".") >= 2


def test_mixed_install_refused(tmp_path):
    fake = tmp_path / "site" / "azureml" / "_restclient"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    code = ("import azureml, sys; azureml.__path__.append(sys.argv[1]); import azureml.core")
    out = subprocess.run([sys.executable, "-c", code, str(fake.parent)], capture_output=True, text=True)
    assert out.returncode != 0 and "AZUREML_LOCAL_IGNORE_REAL_SDK" in out.stderr
