"""tools/import_graph.py: the AST import graph finds deferred imports and the cycles they hide, and the
package keeps no function-level first-party import outside tools/deferred_imports.txt."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import import_graph  # noqa: E402


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "azureml_local" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_classifies_module_level_deferred_and_type_checking_imports(tmp_path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": """
            from typing import TYPE_CHECKING
            import json
            from azureml_local import b
            if TYPE_CHECKING:
                from azureml_local.c import C
            class A:
                from azureml_local.sub import d
                def f(self):
                    from azureml_local.c import C
                    from . import b as again
                    return C
            """,
        "b.py": "",
        "c.py": "def g():\n    from azureml_local.a import A\n",
        "sub/__init__.py": "",
        "sub/d.py": "from ..b import x\n",
    })
    graph = import_graph.build(root)
    got = {(i.source, i.target, i.deferred) for i in graph.imports}
    assert ("azureml_local.a", "azureml_local.b", False) in got
    assert ("azureml_local.a", "azureml_local.sub.d", False) in got  # a class body runs on import
    assert ("azureml_local.a", "azureml_local.c", True) in got
    assert ("azureml_local.a", "azureml_local.b", True) in got  # relative import resolved
    assert ("azureml_local.sub.d", "azureml_local.b", False) in got
    assert ("azureml_local.a", "azureml_local.c", False) not in got  # TYPE_CHECKING never runs
    assert not any(i.target == "json" for i in graph.imports)
    # Only the function-level edges close the a <-> c cycle.
    assert import_graph.strongly_connected(graph.edges(deferred=False)) == []
    assert import_graph.strongly_connected(graph.edges(deferred=True)) == [["azureml_local.a", "azureml_local.c"]]


def test_a_package_init_importing_its_submodules_is_no_cycle(tmp_path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "pkg/__init__.py": "from azureml_local.pkg.one import X\n",
        "pkg/one.py": "from azureml_local.pkg.two import Y\nX = 1\n",
        "pkg/two.py": "Y = 2\n",
        "user.py": "def f():\n    from azureml_local.pkg.two import Y\n",
        "lower.py": "from azureml_local.pkg.two import Y\n",
    })
    graph = import_graph.build(root)
    edges = graph.edges()
    assert import_graph.strongly_connected(edges) == []
    # Importing a submodule from outside runs its package's __init__ too.
    assert {"azureml_local.pkg", "azureml_local.pkg.two"} <= edges["azureml_local.user"]


def test_allow_list_entries_need_a_reason(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("# comment\n\nazureml_local.a -> azureml_local.c  # cycle a <-> c: c.g builds an A\n")
    assert import_graph.read_allow_list(good) == {
        ("azureml_local.a", "azureml_local.c"): "cycle a <-> c: c.g builds an A"}
    bad = tmp_path / "bad.txt"
    bad.write_text("azureml_local.a -> azureml_local.c\n")
    with pytest.raises(ValueError, match="reason"):
        import_graph.read_allow_list(bad)


def test_unlisted_and_stale_entries_are_reported(tmp_path) -> None:
    root = _package(tmp_path, {"__init__.py": "", "a.py": "def f():\n    from azureml_local import b\n", "b.py": ""})
    graph = import_graph.build(root)
    assert [(i.source, i.target) for i in import_graph.unlisted(graph, {})] == [("azureml_local.a", "azureml_local.b")]
    allowed = {("azureml_local.a", "azureml_local.b"): "r", ("azureml_local.b", "azureml_local.a"): "r"}
    assert import_graph.unlisted(graph, allowed) == []
    assert import_graph.stale(graph, allowed) == [("azureml_local.b", "azureml_local.a")]


def test_no_new_function_level_first_party_import() -> None:
    """Every deferred first-party import in azureml_local is in tools/deferred_imports.txt with its
    reason (a cycle it breaks, or a heavy library it keeps off ``import azureml.core``)."""
    graph = import_graph.build(ROOT)
    allowed = import_graph.read_allow_list()
    extra = [f"{i.source}:{i.line} -> {i.target}" for i in import_graph.unlisted(graph, allowed)]
    assert extra == [], "move these imports to module level, or list them with the cycle they break"
    assert import_graph.stale(graph, allowed) == [], "remove the entries of imports now at module level"


def test_no_import_cycle_at_module_level() -> None:
    graph = import_graph.build(ROOT)
    assert import_graph.strongly_connected(graph.edges(deferred=False)) == []


def test_a_package_wildcard_covers_its_modules_only(tmp_path) -> None:
    root = _package(tmp_path, {"__init__.py": "", "b.py": "", "pkg/__init__.py": "",
                               "pkg/a.py": "def f():\n    from azureml_local import b\n",
                               "c.py": "def f():\n    from azureml_local import b\n"})
    graph = import_graph.build(root)
    allowed = {("azureml_local.pkg.*", "*"): "owned elsewhere"}
    assert [i.source for i in import_graph.unlisted(graph, allowed)] == ["azureml_local.c"]
    assert import_graph.stale(graph, allowed) == []
