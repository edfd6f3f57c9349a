"""Write ``compat/sdk_manifest.json``: the real SDK v1 public surface, read with ``ast`` only.

The real wheels are never imported or installed (they would shadow our ``azureml/``
facade and pull in Azure clients). We parse their sources and record:

* ``modules``: every public module under the covered packages, with ``names`` (each
  public name a user can import from it -> ``"defining.module:QualName"``, following
  ``from x import y`` chains and ``A = B`` aliases) and ``all`` (its ``__all__``).
* ``classes``: every public class those names reach, with ``bases`` and ``members``
  (public methods/properties/static/classmethods/attributes plus ``__init__``,
  inherited members flattened in with ``inherited_from``).
* ``functions``: public module-level functions.
* ``private_names``: names only, of private modules and private names (importable, not API).

A parameter is ``[name, kind]`` or ``[name, kind, default_source]`` (plus the literal
value when the default is a named constant), kind in ``po pk vp ko vk``
(positional-only, positional-or-keyword, ``*args``, keyword-only, ``**kwargs``).

Usage::

    python tools/sdk_manifest.py                      # pip download the pinned wheels
    python tools/sdk_manifest.py --src /tmp/wheels    # a folder of .whl files or an unpacked tree
"""
from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compat" / "sdk_manifest.json"
WHEELS = ["azureml-core==1.61.0.post4", "azureml-pipeline-core==1.62.0", "azureml-pipeline-steps==1.62.0"]
PUBLIC_ROOTS = ("azureml.core", "azureml.data", "azureml.pipeline.core", "azureml.pipeline.steps",
                "azureml.exceptions")
KINDS = {"posonlyargs": "po", "args": "pk", "vararg": "vp", "kwonlyargs": "ko", "kwarg": "vk"}

Target = tuple  # ("class"|"function"|"value"|"module"|"member"|"external", key, ...)


# ---------------------------------------------------------------- reading sources
def read_sources(src: Path) -> tuple[dict[str, tuple[str, bool]], dict[str, str]]:
    """Map module name -> (source, is_package) from .whl files or an unpacked tree; plus versions."""
    files: dict[str, str] = {}
    versions: dict[str, str] = {}
    for wheel in sorted(src.glob("*.whl")):
        dist, version = wheel.name.split("-")[:2]
        versions[dist.replace("_", "-")] = version
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if name.startswith("azureml/") and name.endswith(".py"):
                    files[name] = zf.read(name).decode("utf-8")
    tree = src / "src" if (src / "src" / "azureml").is_dir() else src
    if not files and (tree / "azureml").is_dir():
        for path in sorted((tree / "azureml").rglob("*.py")):
            files[path.relative_to(tree).as_posix()] = path.read_text(encoding="utf-8")
        for info in sorted(tree.glob("*.dist-info")):
            dist, version = info.name[: -len(".dist-info")].split("-")[:2]
            versions[dist.replace("_", "-")] = version
    sources = {}
    for rel, text in files.items():
        parts = rel[:-3].split("/")
        is_pkg = parts[-1] == "__init__"
        sources[".".join(parts[:-1] if is_pkg else parts)] = (text, is_pkg)
    return sources, versions


def download_wheels(dest: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), *WHEELS],
                   check=True)


# ---------------------------------------------------------------- name resolution
class Scope:
    """Top-level bindings of one module (later bindings win, except in ``except``/``else`` fallbacks)."""

    def __init__(self, name: str, text: str, is_pkg: bool):
        self.name, self.is_pkg = name, is_pkg
        self.bindings: dict[str, tuple] = {}
        self.fallbacks: dict[str, tuple] = {}
        self.stars: list[str] = []
        self.all: list[str] | None = None
        with warnings.catch_warnings():  # the SDK has invalid escapes in docstrings
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        self._collect(tree.body, fallback=False)

    def _abs(self, module: str | None, level: int) -> str:
        if not level:
            return module or ""
        base = self.name.split(".")
        base = base if self.is_pkg else base[:-1]
        base = base[: len(base) - (level - 1)]
        return ".".join(base + ([module] if module else []))

    def _set(self, name: str, value: tuple, fallback: bool) -> None:
        if not (fallback and name in self.bindings):
            self.bindings[name] = value
        elif name not in self.fallbacks:  # used when the preferred binding imports a module not shipped
            self.fallbacks[name] = value

    def _collect(self, body: list[ast.stmt], fallback: bool) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                self._set(node.name, ("class", node), fallback)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._set(node.name, ("function", node), fallback)
            elif isinstance(node, ast.ImportFrom):
                module = self._abs(node.module, node.level)
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(module)
                    else:
                        self._set(alias.asname or alias.name, ("import", module, alias.name), fallback)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self._set(alias.asname, ("module", alias.name), fallback)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id == "__all__":
                        self._set_all(node)
                    elif isinstance(t, ast.Name):
                        self._set(t.id, ("expr", node.value), fallback)
            elif isinstance(node, ast.If):
                self._collect(node.body, fallback)
                self._collect(node.orelse, True)
            elif isinstance(node, ast.Try):
                self._collect(node.body, fallback)
                for handler in node.handlers:
                    self._collect(handler.body, True)
                self._collect(node.orelse + node.finalbody, fallback)
            elif isinstance(node, ast.With):
                self._collect(node.body, fallback)

    def _set_all(self, node: ast.stmt) -> None:
        try:
            names = list(ast.literal_eval(node.value))
        except ValueError:
            return
        self.all = (self.all or []) + names if isinstance(node, ast.AugAssign) else names


class Analyzer:
    """Resolves names across the SDK sources and describes classes and functions."""

    def __init__(self, sources: dict[str, tuple[str, bool]]):
        self.sources = sources
        self._scopes: dict[str, Scope] = {}
        self._classes: dict[str, tuple[ast.ClassDef, str]] = {}
        self._described: dict[str, dict] = {}

    def scope(self, module: str) -> Scope | None:
        if module not in self._scopes and module in self.sources:
            self._scopes[module] = Scope(module, *self.sources[module])
        return self._scopes.get(module)

    def resolve(self, module: str, name: str, depth: int = 0) -> Target | None:
        """What ``name`` in ``module`` finally is (follows imports and aliases)."""
        scope = self.scope(module)
        if scope is None or depth > 40:
            return None
        b = scope.bindings.get(name)
        if b and b[0] == "import" and b[1] not in self.sources and name in scope.fallbacks:
            b = scope.fallbacks[name]  # ``try: from azureml._x import y / except ImportError: def y``
        if b is None:
            for star in scope.stars:
                found = self.resolve(star, name, depth + 1)
                if found:
                    return found
            return ("module", f"{module}.{name}") if f"{module}.{name}" in self.sources else None
        if b[0] in ("class", "function"):
            key = f"{module}:{name}"
            if b[0] == "class":
                self._classes[key] = (b[1], module)
            return (b[0], key, b[1], module)
        if b[0] == "module":
            return ("module", b[1])
        if b[0] == "import":
            src, orig = b[1], b[2]
            if src not in self.sources:
                return ("external", f"{src}:{orig}")
            return self.resolve(src, orig, depth + 1) or (
                ("module", f"{src}.{orig}") if f"{src}.{orig}" in self.sources else None)
        expr = b[1]
        if isinstance(expr, (ast.Name, ast.Attribute)):
            found = self.resolve_expr(module, expr, depth + 1)
            if found and found[0] != "value":
                return found
        return ("value", f"{module}:{name}", expr, module)

    def resolve_expr(self, module: str, expr: ast.expr, depth: int = 0) -> Target | None:
        if isinstance(expr, ast.Name):
            return self.resolve(module, expr.id, depth + 1)
        if not isinstance(expr, ast.Attribute):
            return None
        base = self.resolve_expr(module, expr.value, depth + 1)
        if base is None:
            return None
        if base[0] == "module":
            return self.resolve(base[1], expr.attr, depth + 1)
        if base[0] == "class":
            return self._class_attr(base[1], base[2], base[3], expr.attr, depth + 1)
        return None

    def _class_attr(self, key: str, node: ast.ClassDef, module: str, attr: str, depth: int) -> Target | None:
        for item in node.body:
            if isinstance(item, ast.ClassDef) and item.name == attr:
                self._classes[f"{key}.{attr}"] = (item, module)
                return ("class", f"{key}.{attr}", item, module)
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == attr:
                return ("member", key, attr)
            if isinstance(item, (ast.Assign, ast.AnnAssign)) and item.value is not None:
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                if any(isinstance(t, ast.Name) and t.id == attr for t in targets):
                    found = self.resolve_expr(module, item.value, depth + 1)
                    return found if found and found[0] != "value" else ("value", f"{key}.{attr}", item.value, module)
        for base in node.bases:  # inherited attribute
            b = self.resolve_expr(module, base, depth + 1)
            if b and b[0] == "class" and depth < 40:
                found = self._class_attr(b[1], b[2], b[3], attr, depth + 1)
                if found:
                    return found
        return None

    # ------------------------------------------------------------ descriptions
    def params(self, args: ast.arguments, module: str, owner: ast.ClassDef | None = None) -> list[list[str]]:
        out: list[list[str]] = []
        positional = args.posonlyargs + args.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            out.append(self._param(arg.arg, "po" if arg in args.posonlyargs else "pk", default, module, owner))
        if args.vararg:
            out.append([args.vararg.arg, "vp"])
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            out.append(self._param(arg.arg, "ko", default, module, owner))
        if args.kwarg:
            out.append([args.kwarg.arg, "vk"])
        return out

    def _param(self, name: str, kind: str, default: ast.expr | None, module: str,
               owner: ast.ClassDef | None = None) -> list[str]:
        if default is None:
            return [name, kind]
        text = ast.unparse(default)
        try:
            ast.literal_eval(default)
            return [name, kind, text]
        except ValueError:
            pass
        found = self.resolve_expr(module, default) if isinstance(default, (ast.Name, ast.Attribute)) else None
        if isinstance(default, ast.Name) and owner is not None:  # a class constant used in a method default
            found = self._class_attr("", owner, module, default.id, 0) or found
        if found and found[0] == "value" and not self._is_enum_member(found[1]):
            try:
                ast.literal_eval(found[2])
                return [name, kind, text, ast.unparse(found[2])]
            except ValueError:
                pass
        return [name, kind, text]

    def _is_enum_member(self, key: str) -> bool:
        """``Color.RED`` defaults are shown as source text: their literal value would mislead."""
        owner = self._classes.get(key.rsplit(".", 1)[0]) if ":" in key and "." in key.split(":")[1] else None
        return owner is not None and any("Enum" in ast.unparse(b) for b in owner[0].bases)

    def describe_function(self, node: ast.FunctionDef, module: str) -> dict:
        return {"params": self.params(node.args, module)}

    def describe_class(self, key: str) -> dict:
        if key in self._described:
            return self._described[key]
        node, module = self._classes[key]
        self._described[key] = {"bases": [], "members": {}}  # cycle guard
        bases, members = [], {}
        for base in node.bases:
            found = self.resolve_expr(module, base)
            if found and found[0] == "class":
                bases.append(found[1])
                for name, member in self.describe_class(found[1])["members"].items():
                    members[name] = dict(member, inherited_from=member.get("inherited_from", found[1]))
            else:
                bases.append(ast.unparse(base))
        members.update(self._own_members(key, node, module))
        desc = {"bases": bases, "members": dict(sorted(members.items()))}
        self._described[key] = desc
        return desc

    def _own_members(self, key: str, node: ast.ClassDef, module: str) -> dict[str, dict]:
        own: dict[str, dict] = {}
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if item.name.startswith("_") and item.name != "__init__":
                    continue
                decos = [ast.unparse(d).split("(")[0] for d in item.decorator_list]
                if any(d.endswith((".setter", ".deleter")) for d in decos):
                    if item.name in own:
                        own[item.name]["setter"] = True
                    continue
                kind = next((k for k in ("staticmethod", "classmethod") if k in decos), None)
                if kind is None:
                    kind = "property" if any(d.endswith("property") for d in decos) else "method"
                member: dict[str, Any] = {"kind": kind}
                if kind != "property":
                    member["params"] = self.params(item.args, module, node)
                own[item.name] = member
            elif isinstance(item, ast.ClassDef) and not item.name.startswith("_"):
                self._classes[f"{key}.{item.name}"] = (item, module)
                own[item.name] = {"kind": "attribute", "class": f"{key}.{item.name}"}
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                for t in targets:
                    if isinstance(t, ast.Name) and not t.id.startswith("_"):
                        own[t.id] = self._class_attribute(item.value, module)
        return own

    def _class_attribute(self, value: ast.expr | None, module: str) -> dict:
        found = self.resolve_expr(module, value) if isinstance(value, (ast.Name, ast.Attribute)) else None
        if found and found[0] == "member":
            member = self.describe_class(found[1])["members"].get(found[2])
            if member:
                return {k: v for k, v in member.items() if k != "inherited_from"}
        if found and found[0] == "class":
            return {"kind": "attribute", "class": found[1]}
        text = ast.unparse(value) if value is not None else ""
        return {"kind": "attribute", "value": text} if len(text) <= 60 else {"kind": "attribute"}


# ---------------------------------------------------------------- manifest
def public_modules(sources: dict[str, tuple[str, bool]]) -> list[str]:
    return sorted(m for m in sources
                  if any(m == r or m.startswith(r + ".") for r in PUBLIC_ROOTS)
                  and not any(p.startswith("_") for p in m.split(".")))


def build_manifest(sources: dict[str, tuple[str, bool]], versions: dict[str, str]) -> dict:
    an = Analyzer(sources)
    modules: dict[str, dict] = {}
    classes: dict[str, dict] = {}
    functions: dict[str, dict] = {}
    for module in public_modules(sources):
        scope = an.scope(module)
        names: dict[str, str] = {}
        candidates = set(n for n in scope.bindings if not n.startswith("_")) | set(scope.all or [])
        for name in sorted(candidates):
            found = an.resolve(module, name)
            if found is None or (found[0] in ("external", "module") and name not in (scope.all or [])):
                continue  # stdlib/third-party helpers and module aliases are not API
            names[name] = found[1]
            # A plain module's incidental imports stay importable (index) but are not described
            # unless they are its own definitions, a package re-export or listed in __all__.
            api = scope.is_pkg or name in (scope.all or []) or found[1].startswith(f"{module}:")
            if found[0] == "class" and api:
                classes[found[1]] = {}
            elif found[0] == "function" and api:
                functions[found[1]] = an.describe_function(found[2], found[3])
        modules[module] = {"all": scope.all, "names": names} if scope.all is not None else {"names": names}
    pending = sorted(classes)
    while pending:  # nested classes and class-valued attributes are public too
        key = pending.pop()
        classes[key] = an.describe_class(key)
        for member in classes[key]["members"].values():
            ref = member.get("class")
            if ref and ref not in classes and ref.rsplit(":", 1)[-1].split(".")[-1][:1] != "_":
                an.describe_class(ref)
                classes[ref] = {}
                pending.append(ref)
    return {
        "generated_by": "python tools/sdk_manifest.py",
        "distributions": dict(sorted(versions.items())),
        "modules": modules,
        "classes": dict(sorted(classes.items())),
        "functions": dict(sorted(functions.items())),
        "private_names": private_names(an),
    }


def private_names(an: Analyzer) -> dict[str, list[str]]:
    """Names only: private names of public modules and everything in private ones (not generated REST code).

    Some working scripts import them (``from azureml.core._experiment_method import experiment_method``),
    so the facade may expose them; they are never described or signature-checked.
    """
    out: dict[str, list[str]] = {}
    public = set(public_modules(an.sources))
    for module in sorted(an.sources):
        parts = module.split(".")
        if "_restclient" in parts or "_restclients" in parts:
            continue
        if not any(module == r or module.startswith(r + ".") for r in PUBLIC_ROOTS):
            continue
        scope = an.scope(module)
        names = sorted(n for n in scope.bindings if (module not in public or n.startswith("_"))
                       and not (n.startswith("__") and n.endswith("__")))
        if names:
            out[module] = names
    return out


def dump(manifest: dict) -> str:
    """Deterministic JSON with one line per module, class member and function (diff-friendly, small)."""
    lines = ["{"]
    for i, (section, value) in enumerate(manifest.items()):
        comma = "," if i < len(manifest) - 1 else ""
        if section in ("modules", "functions", "private_names"):
            body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in value.items())
            lines.append(f" {json.dumps(section)}: {{\n{body}\n }}{comma}")
        elif section == "classes":
            items = []
            for key, desc in value.items():
                members = ",\n".join(f"    {json.dumps(n)}: {json.dumps(m, sort_keys=True)}"
                                     for n, m in desc["members"].items())
                items.append(f"  {json.dumps(key)}: {{\"bases\": {json.dumps(desc['bases'])}, \"members\": {{"
                             + (f"\n{members}\n   " if members else "") + "}}")
            lines.append(f" \"classes\": {{\n" + ",\n".join(items) + f"\n }}{comma}")
        else:
            lines.append(f" {json.dumps(section)}: {json.dumps(value, sort_keys=True)}{comma}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # guard: the hand-laid layout must stay valid JSON
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, help="folder with the wheels (.whl) or their unpacked tree")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = args.src
        if src is None:
            src = Path(tmp)
            download_wheels(src)
        sources, versions = read_sources(src)
    if not public_modules(sources):
        parser.error(f"no azureml SDK sources found under {src}")
    manifest = build_manifest(sources, versions)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump(manifest), encoding="utf-8")
    print(f"wrote {args.output}: {len(manifest['modules'])} modules, {len(manifest['classes'])} classes, "
          f"{len(manifest['functions'])} functions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
