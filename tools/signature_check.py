"""Is our class call-compatible with the SDK's? The rules behind ``tests/test_api_surface.py``.

Compares a live project class with an SDK class described in ``compat/sdk_manifest.json``:
parameter names, order, kinds and defaults of every member both define, and member kinds
(an SDK property must stay a property, an SDK static/class method callable on the class).

Rules: the SDK's private parameters (``_logger=None``) may be left out; we may add private
parameters with defaults and a trailing ``**kwargs``; ``*args``/``**kwargs`` names do not
matter; a default matches by source text, by value (``'x'`` vs ``"x"``, a named constant vs
its literal) or when both name the same ``Enum.MEMBER``. Members we lack are not problems.
Shared by the test and by ``tools/implementation_coverage.py``.
"""
from __future__ import annotations

import ast
import enum
import inspect
import textwrap
from typing import Any, Container

KIND_NAMES = {"po": "positional-only", "pk": "", "vp": "*", "ko": "keyword-only", "vk": "**"}


def defining_attr(cls: type, name: str) -> tuple[type, Any] | None:
    """The raw attribute ``name`` and the class defining it, ignoring builtins (``object``, ``dict``...)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return None if klass.__module__ == "builtins" else (klass, vars(klass)[name])
    return None


def our_instance_attributes(cls: type) -> set[str]:
    """Public ``self.x = ...`` names assigned in any method of ``cls`` or its (non-builtin) bases.

    Read from source, because a plain instance attribute is invisible on the class itself.
    """
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__ == "builtins":
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AnnAssign, ast.AugAssign)) else []
            for t in targets:
                for el in (t.elts if isinstance(t, ast.Tuple) else [t]):
                    if isinstance(el, ast.Attribute) and isinstance(el.value, ast.Name) and el.value.id == "self":
                        names.add(el.attr)
    return {n for n in names if not n.startswith("_")}


def our_kind(raw: Any) -> tuple[str, Any]:
    """(kind, function) of a raw class attribute: method, staticmethod, classmethod, property, attribute."""
    if isinstance(raw, staticmethod):
        return "staticmethod", raw.__func__
    if isinstance(raw, classmethod):
        return "classmethod", raw.__func__
    if inspect.isfunction(raw):
        return "method", raw
    if inspect.isclass(raw):
        return "attribute", None
    if hasattr(raw, "__get__") and not callable(raw):
        return "property", None  # property, cached_property, custom descriptors
    return "attribute", None


def our_params(func: Any) -> list[tuple[str, str, str | None, Any]]:
    """``(name, kind, default_source, default_value)`` for each parameter of ``func``."""
    sig = inspect.signature(func)
    sources: dict[str, str] = {}
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(func))))
        node = next(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
        args = node.args
        positional = args.posonlyargs + args.args
        for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
            sources[arg.arg] = ast.unparse(default)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                sources[arg.arg] = ast.unparse(default)
    except (OSError, TypeError, StopIteration, SyntaxError):
        pass
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "po", inspect.Parameter.POSITIONAL_OR_KEYWORD: "pk",
             inspect.Parameter.VAR_POSITIONAL: "vp", inspect.Parameter.KEYWORD_ONLY: "ko",
             inspect.Parameter.VAR_KEYWORD: "vk"}
    out = []
    for p in sig.parameters.values():
        has_default = p.default is not inspect.Parameter.empty
        text = sources.get(p.name, repr(p.default)) if has_default else None
        out.append((p.name, kinds[p.kind], text, p.default if has_default else None))
    return out


def _literal(text: str | None) -> Any:
    try:
        return ast.literal_eval(text) if text is not None else None
    except (ValueError, SyntaxError):
        return inspect.Parameter.empty


def defaults_match(sdk: list[str], ours: tuple) -> bool:
    sdk_text = sdk[2] if len(sdk) > 2 else None
    our_text, our_value = ours[2], ours[3]
    if (sdk_text is None) != (our_text is None):
        return False
    if sdk_text is None or sdk_text == our_text:
        return True
    for literal in (_literal(sdk_text), _literal(sdk[3]) if len(sdk) > 3 else inspect.Parameter.empty):
        if literal is not inspect.Parameter.empty and type(literal) is type(our_value) and literal == our_value:
            return True
    tail = lambda t: t.split(".")[-2:]  # noqa: E731 - Enum.MEMBER however the enum was imported
    return "." in sdk_text and tail(sdk_text) == tail(our_text)


def fmt_sdk(params: list[list[str]]) -> str:
    return "(" + ", ".join(_fmt(p[0], p[1], p[2] if len(p) > 2 else None) for p in params) + ")"


def fmt_ours(params: list[tuple]) -> str:
    return "(" + ", ".join(_fmt(p[0], p[1], p[2]) for p in params) + ")"


def _fmt(name: str, kind: str, default: str | None) -> str:
    prefix = {"vp": "*", "vk": "**"}.get(kind, "")
    suffix = "" if default is None else f"={default}"
    marker = {"po": "/", "ko": "*"}.get(kind, "")
    return f"{prefix}{name}{suffix}{marker and ' [' + KIND_NAMES[kind] + ']'}"


def params_problem(sdk: list[list[str]], ours: list[tuple], drop_first: bool) -> str | None:
    """None when ``ours`` is call-compatible with ``sdk`` under the module's rules, else what differs."""
    sdk_view = [p for p in (sdk[1:] if drop_first else sdk) if not p[0].startswith("_")]
    our_view = list(ours[1:] if drop_first else ours)
    # Extra private keyword parameters with defaults and a trailing **kwargs are allowed on our side.
    extras = [p for p in our_view if p[0].startswith("_") and p[2] is not None]
    our_view = [p for p in our_view if p not in extras]
    if our_view and our_view[-1][1] == "vk" and not (sdk_view and sdk_view[-1][1] == "vk"):
        our_view = our_view[:-1]
    same = [(s[0] == o[0] or s[1] in ("vp", "vk")) and s[1] == o[1] and defaults_match(s, o)
            for s, o in zip(sdk_view, our_view)]
    if len(sdk_view) == len(our_view) and all(same):
        return None
    i = same.index(False) if False in same else min(len(sdk_view), len(our_view))
    first = (f"SDK {fmt_sdk(sdk_view[i:i + 1])[1:-1] or 'nothing'} vs ours "
             f"{fmt_ours(our_view[i:i + 1])[1:-1] or 'nothing'}")
    return f"parameter {i + 1}: {first}; SDK {fmt_sdk(sdk_view)} vs ours {fmt_ours(our_view)}"


def constant_problem(sdk_value: str | None, raw: Any) -> str | None:
    """A class constant (or Enum member) whose literal value differs from the SDK's, e.g. a status string."""
    expected = _literal(sdk_value)
    if expected is inspect.Parameter.empty or sdk_value is None:
        return None  # not a literal in the SDK (a call, a name): nothing to compare
    actual = raw.value if isinstance(raw, enum.Enum) else raw
    if type(actual) is type(expected) and actual == expected:
        return None
    return f"the SDK's value is {sdk_value}, ours is {actual!r}"


def member_problems(manifest: dict, sdk_key: str, cls: type, allowlist: Container = (),
                    _seen: frozenset = frozenset()) -> list[str]:
    """Every ``"member: what differs"`` between our class ``cls`` and the SDK class ``sdk_key``.

    ``allowlist`` holds ``(sdk_key, member)`` pairs not to check (deliberate deviations).
    """
    problems = []
    for name, member in manifest["classes"][sdk_key]["members"].items():
        if (sdk_key, name) in allowlist:
            continue
        found = defining_attr(cls, name)
        if found is None:
            continue  # not implemented: a coverage matter, not a failure
        kind, func = our_kind(found[1])
        sdk_kind = member["kind"]
        if sdk_kind == "attribute":  # e.g. Dataset.File -> FileDatasetFactory: check that class too
            ref = member.get("class")
            if ref in manifest["classes"] and inspect.isclass(found[1]) and ref not in _seen | {sdk_key}:
                problems += [f"{name}.{p}" for p in member_problems(manifest, ref, found[1], allowlist,
                                                                   _seen | {sdk_key})]
            problem = constant_problem(member.get("value"), found[1])
            if problem:
                problems.append(f"{name}: {problem}")
            continue
        if sdk_kind == "instance_attribute":  # set in the SDK's __init__: anything but a method will do
            if func is not None:
                problems.append(f"{name}: the SDK has a plain attribute, ours is a {kind}")
            continue
        if sdk_kind == "property":
            if kind not in ("property", "attribute"):
                problems.append(f"{name}: the SDK has a property, ours is a {kind}")
            continue
        if func is None:
            problems.append(f"{name}: the SDK has a {sdk_kind}, ours is a {kind}")
            continue
        if sdk_kind in ("staticmethod", "classmethod") and kind == "method":
            problems.append(f"{name}: the SDK has a {sdk_kind} (callable on the class), ours is an instance method")
            continue
        sdk_params = member["params"]
        if sdk_kind in ("method", "classmethod") and kind == "staticmethod":
            sdk_params = sdk_params[1:]
        ours = our_params(func)
        if kind in ("method", "classmethod") and sdk_kind == "staticmethod":
            ours = ours[1:]
        drop = kind in ("method", "classmethod") and sdk_kind in ("method", "classmethod")
        problem = params_problem(sdk_params, ours, drop_first=drop)
        if problem:
            problems.append(f"{name}: {problem}")
    return problems
