"""First-party import graph of ``azureml_local``, read from the source (AST; nothing is imported).

Why: function-level imports of our own modules hide import cycles (the runtime graph has them, the
module-level graph does not), so this lists every deferred first-party import per module and the
strongly connected components of the module-level + function-level graph. ``if TYPE_CHECKING:``
imports never run and are left out. The deferred imports that must stay (each breaks a named cycle
or keeps a heavy module off the ``import azureml.core`` path) are listed with their reason in
``tools/deferred_imports.txt``; ``--check`` fails on any other one (tests/tools/test_import_graph.py).

    python tools/import_graph.py            # counts, deferred imports per module, cycles
    python tools/import_graph.py --check    # exit 1 on a deferred import missing from the allow-list
    python tools/import_graph.py --pairs    # the deferred (source -> target) pairs, allow-list style
"""
from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "azureml_local"
ALLOW_LIST = Path(__file__).resolve().with_name("deferred_imports.txt")


@dataclass(frozen=True)
class Import:
    """One first-party import statement target: where it is and when it runs."""

    source: str   # importing module
    target: str   # imported first-party module
    line: int
    deferred: bool  # inside a function body (runs on call, not on import)


@dataclass
class Graph:
    """Modules of the package and the first-party imports that run (TYPE_CHECKING ones excluded)."""

    modules: dict[str, Path]
    imports: list[Import] = field(default_factory=list)

    def edges(self, *, deferred: bool = True) -> dict[str, set[str]]:
        """Adjacency: module -> modules it runs (at module level, plus in functions if ``deferred``).

        Importing ``a.b.c`` also runs the ``__init__`` of ``a`` and ``a.b``, except the packages the
        importing module itself lives in (they are already importing when it runs).
        """
        adj: dict[str, set[str]] = {m: set() for m in self.modules}
        for imp in self.imports:
            if deferred or not imp.deferred:
                for target in _targets(imp.target, self.modules):
                    if target == imp.target or not imp.source.startswith(target + "."):
                        adj[imp.source].add(target)
                adj[imp.source].discard(imp.source)
        return adj

    def deferred(self) -> list[Import]:
        return [i for i in self.imports if i.deferred]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """Absolute module named by a (possibly relative) ``from ... import``."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(name: str, modules: dict[str, Path]) -> list[str]:
    """The module itself and the packages whose ``__init__`` importing it runs."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in modules]


def _imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def add(name: str, line: int, deferred: bool) -> None:
        targets = _targets(name, modules)
        if targets:
            found.append(Import(module, targets[-1], line, deferred))

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.orelse:
                    visit_stmt(stmt, deferred)
                continue
            visit_stmt(child, deferred)

    def visit_stmt(child: ast.AST, deferred: bool) -> None:
        if isinstance(child, ast.Import):
            for alias in child.names:
                if alias.name.split(".")[0] == PACKAGE:
                    add(alias.name, child.lineno, deferred)
        elif isinstance(child, ast.ImportFrom):
            base = _resolve(child, module, is_package)
            if base.split(".")[0] != PACKAGE:
                return
            for alias in child.names:
                sub = f"{base}.{alias.name}"
                add(sub if sub in modules else base, child.lineno, deferred)
        else:
            inner = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, False)
    return sorted(set(found), key=lambda i: (i.line, i.target))


def build(root: Path = ROOT) -> Graph:
    """Parse every module of the package under ``root``."""
    modules = {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}
    graph = Graph(modules)
    for name, path in modules.items():
        graph.imports.extend(_imports_of(name, path, modules))
    return graph


def strongly_connected(adj: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components of two or more modules, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(adj):
        if start in index:
            continue
        work = [(start, iter(sorted(adj[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(adj[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return sorted(out, key=lambda c: (-len(c), c))


def read_allow_list(path: Path = ALLOW_LIST) -> dict[tuple[str, str], str]:
    """``source -> target  # reason`` lines; a line without a reason is an error. ``package.* -> *``
    allows every deferred import of a package's modules (for a package another change owns)."""
    allowed: dict[tuple[str, str], str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pair, _, reason = line.partition("#")
        source, arrow, target = pair.partition("->")
        if not arrow or not reason.strip():
            raise ValueError(f"{path.name}:{number}: expected 'source -> target  # reason', got {raw!r}")
        allowed[(source.strip(), target.strip())] = reason.strip()
    return allowed


def _matches(entry: tuple[str, str], imp: Import) -> bool:
    source, target = entry
    if source.endswith(".*"):
        package = source[:-2]
        return (imp.source == package or imp.source.startswith(package + ".")) and target == "*"
    return (source, target) == (imp.source, imp.target)


def unlisted(graph: Graph, allowed: dict[tuple[str, str], str]) -> list[Import]:
    """Deferred first-party imports that the allow-list does not name."""
    return [i for i in graph.deferred() if not any(_matches(entry, i) for entry in allowed)]


def stale(graph: Graph, allowed: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """Allow-list entries that no deferred import uses any more."""
    deferred = graph.deferred()
    return sorted(entry for entry in allowed if not any(_matches(entry, i) for i in deferred))


def report(graph: Graph) -> str:
    deferred = graph.deferred()
    by_module: dict[str, list[Import]] = {}
    for imp in deferred:
        by_module.setdefault(imp.source, []).append(imp)
    statements = {(i.source, i.line) for i in deferred}
    runtime = strongly_connected(graph.edges(deferred=True))
    static = strongly_connected(graph.edges(deferred=False))
    lines = [f"{len(graph.modules)} modules; {len(statements)} function-level first-party import statements "
             f"({len({(i.source, i.target) for i in deferred})} distinct module pairs) in {len(by_module)} modules",
             f"cycles, module level only: {len(static)} {[len(c) for c in static]}",
             f"cycles, module + function level: {len(runtime)} {[len(c) for c in runtime]}"]
    for component in runtime:
        lines.append(f"  cycle of {len(component)}: {', '.join(component)}")
    lines.append("function-level first-party imports:")
    for source in sorted(by_module):
        targets = ", ".join(f"{i.target}:{i.line}" for i in by_module[source])
        lines.append(f"  {source}: {targets}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail on deferred imports not in the allow-list")
    parser.add_argument("--pairs", action="store_true", help="print the deferred (source -> target) pairs")
    args = parser.parse_args(argv)
    graph = build()
    if args.pairs:
        print("\n".join(f"{s} -> {t}" for s, t in sorted({(i.source, i.target) for i in graph.deferred()})))
        return 0
    if not args.check:
        print(report(graph))
        return 0
    allowed = read_allow_list()
    bad, old = unlisted(graph, allowed), stale(graph, allowed)
    for imp in bad:
        print(f"{graph.modules[imp.source].relative_to(ROOT)}:{imp.line}: function-level import of {imp.target} "
              f"not in {ALLOW_LIST.name}: move it to module level, or list it with the cycle it breaks")
    for source, target in old:
        print(f"{ALLOW_LIST.name}: '{source} -> {target}' is no longer deferred: remove the entry")
    return 1 if bad or old else 0


if __name__ == "__main__":
    sys.exit(main())
