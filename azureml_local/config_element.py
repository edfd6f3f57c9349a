"""Declarative, JSON-able configuration objects (run configuration and environment sections).

The SDK serializes ``RunConfiguration`` and ``Environment`` to dictionaries with
camelCase keys (``userManagedDependencies``, ``maxRunDurationSeconds``...), the
shape found in ``.runconfig`` files, pipeline definitions and the REST payloads.
Each class here lists its fields once (:class:`Field`); serialization and
deserialization are derived from that list, so adding a field is one line.
Deserialization accepts camelCase and snake_case keys (hand-written YAML uses both).
"""
from __future__ import annotations

import copy
from enum import Enum
from typing import Any, ClassVar


def to_camel_case(name: str) -> str:
    """``max_run_duration_seconds`` -> ``maxRunDurationSeconds`` (the SDK's key style)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def to_snake_case(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out)


class Field:
    """One serialized attribute: ``attr`` on the object, its key in the dict, and its kind.

    ``kind`` is a plain type (``str``, ``int``, ``bool``, ``dict``, ``list``) or a
    :class:`ConfigElement` subclass; ``element`` is the type of list items or dict
    values when those are config elements themselves.
    """

    __slots__ = ("attr", "key", "kind", "element")

    def __init__(self, attr: str, kind: Any = str, key: str | None = None, element: Any = None):
        self.attr = attr
        self.kind = kind
        self.key = key or to_camel_case(attr.lstrip("_"))
        self.element = element


def _is_element(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, ConfigElement)


def serialize_value(value: Any) -> Any:
    """Turn config elements (and containers of them) into plain JSON-able values."""
    if isinstance(value, ConfigElement):
        return value._to_dict()
    if hasattr(value, "_to_config_dict"):
        return value._to_config_dict()
    if isinstance(value, dict):
        return {k: serialize_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [serialize_value(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


class _Strict(type):
    """Marks instances initialized once ``__init__`` returns (see :meth:`ConfigElement.__setattr__`)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__call__(*args, **kwargs)
        object.__setattr__(obj, "_initialized", True)
        return obj


class ConfigElement(metaclass=_Strict):
    """Base of every section; subclasses define ``_FIELDS`` and set defaults in ``__init__``.

    As in the SDK, assigning an attribute that does not exist after construction raises
    ``AttributeError``, so a typo (``env.docker.enable = True``) fails instead of being ignored.
    """

    _FIELDS: ClassVar[tuple[Field, ...]] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_initialized") and not hasattr(self, name):
            raise AttributeError("{} has no attribute {}".format(self.__class__, name))
        object.__setattr__(self, name, value)

    def _to_dict(self) -> dict[str, Any]:
        """The camelCase dictionary form (JSON-able)."""
        out: dict[str, Any] = {}
        for f in self._FIELDS:
            if not hasattr(self, f.attr):
                continue
            out[f.key] = serialize_value(getattr(self, f.attr))
        return out

    @classmethod
    def _from_dict(cls, data: dict[str, Any] | None, obj: "ConfigElement | None" = None) -> "ConfigElement":
        """Build (or update ``obj``) from a dictionary in camelCase or snake_case."""
        target = obj if obj is not None else cls._blank()
        if not data:
            return target
        for f in cls._FIELDS:
            found, raw = _lookup(data, f)
            if not found:
                continue
            setattr(target, f.attr, _deserialize(f, raw, getattr(target, f.attr, None)))
        return target

    @classmethod
    def _blank(cls) -> "ConfigElement":
        return cls()

    def _clone(self) -> "ConfigElement":
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        import json

        return json.dumps(self._to_dict(), indent=4, default=str)


def _lookup(data: dict[str, Any], f: Field) -> tuple[bool, Any]:
    for key in (f.key, f.attr, f.attr.lstrip("_"), to_snake_case(f.key)):
        if key in data:
            return True, data[key]
    return False, None


def _deserialize(f: Field, raw: Any, current: Any) -> Any:
    if raw is None:
        return None
    if _is_element(f.kind):
        if isinstance(raw, f.kind):
            return raw
        if not isinstance(raw, dict):
            return raw
        base = current if isinstance(current, f.kind) else None
        return f.kind._from_dict(raw, base)
    if f.kind is list and _is_element(f.element):
        return [f.element._from_dict(x) if isinstance(x, dict) else x for x in raw]
    if f.kind is dict and _is_element(f.element):
        return {k: f.element._from_dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    if isinstance(f.kind, type) and issubclass(f.kind, Enum):
        try:
            return f.kind(raw)
        except ValueError:
            return raw
    if f.kind is bool and isinstance(raw, str):
        return raw.strip().lower() in ("true", "1", "yes")
    if f.kind is int and isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw)
    if f.kind in (dict, list):
        return copy.deepcopy(raw)
    return raw
