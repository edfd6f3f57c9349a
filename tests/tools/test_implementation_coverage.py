"""tools/implementation_coverage.py: checked boxes, totals and determinism on a small manifest."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_tool():
    spec = importlib.util.spec_from_file_location("coverage_tool", ROOT / "tools" / "implementation_coverage.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


class FileFactory:
    @staticmethod
    def from_files(path, validate):  # the SDK has no 'validate' here: flagged
        pass


class Dataset:
    File = FileFactory

    def __init__(self, name):
        self.tags = {}

    @property
    def name(self):
        return ""

    def regster(self):  # misspelt: listed as not in the SDK
        pass


MANIFEST = {
    "distributions": {"azureml-core": "9.9"},
    "modules": {
        "azureml.core": {"names": {"Dataset": "azureml.core.dataset:Dataset", "Hidden": "azureml.core._x:Hidden"}},
        "azureml.core.dataset": {"names": {"Dataset": "azureml.core.dataset:Dataset",
                                           "get_run": "azureml.core.dataset:get_run",
                                           "DEFAULT": "azureml.core.dataset:DEFAULT"}},
        "azureml.data.dataset_factory": {"names": {"FileFactory": "azureml.data.dataset_factory:FileFactory"}},
        "azureml.pipeline.core": {"names": {"Pipeline": "azureml.pipeline.core.pipeline:Pipeline"}},
        "azureml.pipeline.core.pipeline": {"names": {"Pipeline": "azureml.pipeline.core.pipeline:Pipeline"}},
    },
    "classes": {
        "azureml.core.dataset:Dataset": {"bases": ["object"], "members": {
            "File": {"kind": "attribute", "class": "azureml.data.dataset_factory:FileFactory"},
            "__init__": {"kind": "method", "params": [["self", "pk"], ["name", "pk"]]},
            "name": {"kind": "property"},
            "register": {"kind": "method", "params": [["self", "pk"]]},
            "tags": {"kind": "instance_attribute"},
            "version": {"kind": "instance_attribute"}}},
        "azureml.data.dataset_factory:FileFactory": {"bases": ["object"], "members": {
            "from_files": {"kind": "staticmethod", "params": [["path", "pk"]]},
            "from_urls": {"kind": "staticmethod", "params": [["url", "pk"]]}}},
        "azureml.core._x:Hidden": {"bases": ["object"], "members": {}},
        "azureml.pipeline.core.pipeline:Pipeline": {"bases": ["object"], "members": {
            "submit": {"kind": "method", "params": [["self", "pk"]]}}},
    },
    "functions": {"azureml.core.dataset:get_run": {"params": []}},
}


def render() -> str:
    surface = {"azureml.core": {"Dataset": f"{__name__}:Dataset"}}
    return load_tool().Coverage(MANIFEST, surface).render()


def test_boxes_follow_the_facade_and_class_attributes():
    doc = render()
    assert "- [x] **Dataset** (4/6 members)" in doc
    assert "  - [x] __init__\n  - [x] name\n  - [ ] register\n  - [x] tags\n  - [ ] version\n" in doc
    assert "  - [ ] version\n  - not in the SDK (typo? private?): regster\n" in doc
    assert "- [x] **FileFactory** (1/2 members)" in doc  # reached as Dataset.File
    assert "  - [x] from_files (signature differs from the SDK)\n  - [ ] from_urls\n" in doc
    assert "  - [x] __init__\n" in doc
    assert "- [ ] **Pipeline** (0/1 members)" in doc and "  - [ ] submit" not in doc
    assert "- [ ] **Hidden** (0/0 members)" in doc  # private definition listed under its public path
    assert "- [ ] get_run()" in doc and "- [ ] DEFAULT" in doc


def test_totals_per_area():
    doc = render()
    assert "| azureml.core | 1/2 | 4/6 (67%) | 0/2 |" in doc
    assert "| azureml.data | 1/1 | 1/2 (50%) | 0/0 |" in doc
    assert "| azureml.pipeline.core | 0/1 | 0/1 (0%) | 0/0 |" in doc
    assert "| **total** | 2/4 | 5/9 (56%) | 0/2 |" in doc


def test_deterministic_and_documents_its_command():
    doc = render()
    assert doc == render()
    assert "`python tools/implementation_coverage.py`" in doc.split("\n\n")[1]


def test_unresolvable_facade_target_does_not_stop_the_report(capsys):
    surface = {"azureml.core": {"Dataset": "azureml_local.no_such_module:Dataset"}}
    doc = load_tool().Coverage(MANIFEST, surface).render()
    assert "- [ ] **Dataset** (0/6 members)" in doc
    assert "cannot resolve azureml_local.no_such_module:Dataset" in capsys.readouterr().err
