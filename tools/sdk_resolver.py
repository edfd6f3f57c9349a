"""Name resolution over the real SDK's sources, with ``ast`` only (used by ``sdk_manifest.py``).

``Scope`` collects one module's top-level bindings; ``Analyzer`` follows ``from x import y``
chains, ``A = B`` aliases and class attributes across modules to the defining class or
function, and describes classes (bases, members, parameters) in the manifest's format.
"""
from __future__ import annotations

import ast
import warnings
from typing import Any

Target = tuple  # ("class"|"function"|"value"|"module"|"member"|"external", key, ...)


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
        for name in self._init_attributes(node):  # ``self.python = PythonSection()`` in __init__
            members.setdefault(name, {"kind": "instance_attribute"})
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

    @staticmethod
    def _init_attributes(node: ast.ClassDef) -> list[str]:
        """Public ``self.x = ...`` names that ``__init__`` sets: API for users (``env.python``)."""
        init = next((i for i in node.body if isinstance(i, ast.FunctionDef) and i.name == "__init__"), None)
        if init is None or not init.args.args:
            return []
        me = init.args.args[0].arg
        names = []
        for sub in ast.walk(init):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target] if isinstance(
                sub, (ast.AnnAssign, ast.AugAssign)) else []
            for t in targets:
                for el in (t.elts if isinstance(t, ast.Tuple) else [t]):
                    if (isinstance(el, ast.Attribute) and isinstance(el.value, ast.Name) and el.value.id == me
                            and not el.attr.startswith("_") and el.attr not in names):
                        names.append(el.attr)
        return names

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
