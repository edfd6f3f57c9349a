"""tools/sdk_manifest.py on a small synthetic SDK tree: every resolution rule, with real files."""
from __future__ import annotations

import importlib.util
import json
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_tool():
    spec = importlib.util.spec_from_file_location("sdk_manifest_tool", ROOT / "tools" / "sdk_manifest.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


FILES = {
    "azureml/__init__.py": "",
    "azureml/_common/__init__.py": "",
    "azureml/_common/exceptions.py": """
        class AzureMLException(Exception):
            def __init__(self, exception_message, inner_exception=None, **kwargs):
                pass

            @property
            def message(self):
                return 1

            @message.setter
            def message(self, value):
                pass
    """,
    "azureml/exceptions/__init__.py": """
        from azureml._common.exceptions import AzureMLException
        from ._errors import UserErrorException
        __all__ = ["AzureMLException", "UserErrorException"]
    """,
    "azureml/exceptions/_errors.py": """
        from azureml._common.exceptions import AzureMLException as _Base

        class UserErrorException(_Base):
            def __init__(self, exception_message, **kwargs):
                pass
    """,
    "azureml/core/__init__.py": """
        import os
        from typing import Any
        from .workspace import Workspace
        from azureml._common import exceptions as _exc
        VERSION = "1.0"
    """,
    "azureml/core/workspace.py": """
        import logging
        from azureml.exceptions import UserErrorException
        from azureml._common.helpers import Helper

        DEFAULT_TIMEOUT = 60

        class _Base(object):
            def inherited(self, a, *args, b=2, **kwargs):
                pass

        class Workspace(_Base):
            KIND = "ws"
            LIMIT = 5
            Nested = _Base

            def wait(self, timeout=LIMIT):
                pass

            def __init__(self, subscription_id, resource_group, workspace_name, _location=None):
                self.location, self._hidden = _location, 1
                self.name = workspace_name  # a property: stays one

            @staticmethod
            def from_config(path=None, timeout=DEFAULT_TIMEOUT, *, strict=False):
                pass

            @classmethod
            def get(cls, name, cloud='AzureCloud'):
                pass

            @property
            def name(self):
                return ""

            def _private(self):
                pass

            class Status:
                def show(self):
                    pass

        try:
            from azureml._missing import fast as speed
        except ImportError:
            def speed(x, y=None):
                pass
    """,
    "azureml/core/_hidden.py": "class Hidden: pass\n",
}


@pytest.fixture
def manifest(tmp_path: Path) -> dict:
    for rel, text in FILES.items():
        path = tmp_path / "src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    tool = load_tool()
    sources, versions = tool.read_sources(tmp_path / "src")
    return json.loads(tool.dump(tool.build_manifest(sources, versions)))


def test_import_index_follows_reexports_and_skips_helpers(manifest):
    core = manifest["modules"]["azureml.core"]["names"]
    assert core["Workspace"] == "azureml.core.workspace:Workspace"
    assert core["VERSION"] == "azureml.core:VERSION"
    assert "os" not in core and "Any" not in core and "_exc" not in core
    ws_module = manifest["modules"]["azureml.core.workspace"]["names"]
    assert ws_module["UserErrorException"] == "azureml.exceptions._errors:UserErrorException"
    assert ws_module["speed"] == "azureml.core.workspace:speed"  # except-ImportError fallback is found
    assert "logging" not in ws_module
    assert "azureml.core._hidden" not in manifest["modules"]
    assert manifest["modules"]["azureml.exceptions"]["all"] == ["AzureMLException", "UserErrorException"]


def test_class_members_kinds_and_parameters(manifest):
    ws = manifest["classes"]["azureml.core.workspace:Workspace"]
    assert ws["bases"] == ["azureml.core.workspace:_Base"]
    m = ws["members"]
    assert m["__init__"]["params"][-1] == ["_location", "pk", "None"]
    assert m["from_config"] == {"kind": "staticmethod", "params": [
        ["path", "pk", "None"], ["timeout", "pk", "DEFAULT_TIMEOUT", "60"], ["strict", "ko", "False"]]}
    assert m["get"]["kind"] == "classmethod" and m["get"]["params"][2] == ["cloud", "pk", "'AzureCloud'"]
    assert m["wait"]["params"][1] == ["timeout", "pk", "LIMIT", "5"]  # class constant in a default
    assert m["name"] == {"kind": "property"}
    assert m["location"] == {"kind": "instance_attribute"} and "_hidden" not in m
    assert m["KIND"] == {"kind": "attribute", "value": "'ws'"}
    assert m["Nested"] == {"kind": "attribute", "class": "azureml.core.workspace:_Base"}
    assert m["Status"] == {"kind": "attribute", "class": "azureml.core.workspace:Workspace.Status"}
    assert "azureml.core.workspace:Workspace.Status" in manifest["classes"]
    assert "_private" not in m
    assert m["inherited"]["inherited_from"] == "azureml.core.workspace:_Base"
    assert m["inherited"]["params"] == [["self", "pk"], ["a", "pk"], ["args", "vp"], ["b", "ko", "2"],
                                        ["kwargs", "vk"]]


def test_private_definitions_reached_through_public_paths(manifest):
    err = manifest["classes"]["azureml.exceptions._errors:UserErrorException"]
    assert err["bases"] == ["azureml._common.exceptions:AzureMLException"]
    assert err["members"]["message"] == {"kind": "property", "setter": True,
                                         "inherited_from": "azureml._common.exceptions:AzureMLException"}
    assert "azureml.core._hidden:Hidden" not in manifest["classes"]
    assert manifest["values"] == {"azureml.core.workspace:DEFAULT_TIMEOUT": "60", "azureml.core:VERSION": "'1.0'"}
    assert manifest["private_names"]["azureml.core._hidden"] == ["Hidden"]  # importable, names only
    assert manifest["private_names"]["azureml.core"] == ["_exc"]
    assert manifest["functions"]["azureml.core.workspace:speed"]["params"] == [["x", "pk"], ["y", "pk", "None"]]


def test_wheels_and_unpacked_tree_give_the_same_manifest(tmp_path: Path, manifest):
    wheel = tmp_path / "wheels" / "azureml_core-1.0.0-py3-none-any.whl"
    wheel.parent.mkdir()
    with zipfile.ZipFile(wheel, "w") as zf:
        for rel, text in FILES.items():
            zf.writestr(rel, textwrap.dedent(text))
    tool = load_tool()
    sources, versions = tool.read_sources(wheel.parent)
    from_wheel = json.loads(tool.dump(tool.build_manifest(sources, versions)))
    assert from_wheel["distributions"] == {"azureml-core": "1.0.0"}
    assert {k: v for k, v in from_wheel.items() if k != "distributions"} == \
        {k: v for k, v in manifest.items() if k != "distributions"}


def test_output_is_deterministic(tmp_path: Path):
    for rel, text in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    tool = load_tool()
    out1, out2 = tmp_path / "a.json", tmp_path / "b.json"
    assert tool.main(["--src", str(tmp_path), "-o", str(out1)]) == 0
    assert tool.main(["--src", str(tmp_path), "-o", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()


def test_folder_without_sdk_is_refused(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as exc:
        load_tool().main(["--src", str(tmp_path), "-o", str(tmp_path / "m.json")])
    assert exc.value.code == 2
    assert "no azureml SDK sources found" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
