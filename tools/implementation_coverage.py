"""Write ``IMPLEMENTATION_COVERAGE.md``: which parts of the real SDK v1 surface we implement.

Reads the SDK surface from ``compat/sdk_manifest.json`` (``tools/sdk_manifest.py``) and ours
from the facade tables (``azureml_local.facade.SURFACE``), like moto's coverage document.

* an SDK class is implemented when some facade import path exposes it (or it is reached as a
  class attribute of an implemented class, e.g. ``Dataset.File``);
* a member is implemented when our class has it (defined or inherited, builtins excluded);
* a function or constant is implemented when a facade path exposes it;
* a member whose signature differs from the SDK's (``tools/signature_check.py``) is flagged,
  and public names our class has but the SDK class lacks are listed (often a misspelling).

Deterministic (sorted, no timestamps), so a diff shows exactly what changed. Run::

    python tools/implementation_coverage.py
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
MANIFEST_PATH = ROOT / "compat" / "sdk_manifest.json"
OUTPUT = ROOT / "IMPLEMENTATION_COVERAGE.md"
AREAS = ("azureml.core", "azureml.data", "azureml.exceptions", "azureml.pipeline.core", "azureml.pipeline.steps",
         "azureml.train")


def our_instance_attributes(cls: type) -> set[str]:
    from signature_check import our_instance_attributes as find

    return find(cls)


def extras(cls: type, sdk_members: dict) -> list[str]:
    """Public names our class defines that the SDK class lacks: often a misspelt SDK member."""
    ours = [k for k in cls.__mro__ if k.__module__.split(".")[0] in ("azureml_local", cls.__module__.split(".")[0])
            and k.__module__ != "builtins"]
    names = {n for k in ours for n in vars(k) if not n.startswith("_")}
    return sorted(names - set(sdk_members))


def area_of(module: str) -> str:
    return next(a for a in sorted(AREAS, key=len, reverse=True) if module == a or module.startswith(a + "."))


def has_member(cls: type, name: str, instance_attributes: set[str] = frozenset()) -> bool:
    """Defined on the class (or a non-builtin base), or assigned as ``self.name`` in its methods."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass.__module__ != "builtins"
    return name in instance_attributes


class Coverage:
    """Joins the manifest with what the facade resolves to."""

    def __init__(self, manifest: dict, surface: dict[str, dict[str, str]]):
        from azureml_local._facade import resolve

        self.m = manifest
        self.ours: dict[str, Any] = {}  # SDK key (class/function/value) -> our object
        for path, names in surface.items():
            for name, target in names.items():
                key = manifest["modules"].get(path, {}).get("names", {}).get(name)
                if key and key not in self.ours:
                    try:
                        self.ours[key] = resolve(target)
                    except Exception as exc:  # a half-written module must not hide the rest
                        print(f"warning: cannot resolve {target}: {exc!r}", file=sys.stderr)
        self._follow_class_attributes()

    def _follow_class_attributes(self) -> None:
        pending = [k for k in self.ours if k in self.m["classes"]]
        while pending:
            key = pending.pop()
            for name, member in self.m["classes"][key]["members"].items():
                ref = member.get("class")
                value = getattr(self.ours[key], name, None) if ref else None
                if ref and ref not in self.ours and isinstance(value, type):
                    self.ours[ref] = value
                    if ref in self.m["classes"]:
                        pending.append(ref)

    def homes(self) -> dict[str, dict[str, list[tuple[str, str]]]]:
        """module -> {"classes"|"functions"|"values": [(display name, key)]}, each key under one module."""
        exported: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for module, info in self.m["modules"].items():
            for name, key in info["names"].items():
                exported[key].append((module, name))
        out: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for section in ("classes", "functions"):
            for key in self.m[section]:
                module, _, qual = key.partition(":")
                if module not in self.m["modules"]:  # defined privately: list under its shortest public path
                    options = sorted(exported.get(key, []) or exported.get(f"{module}:{qual.split('.')[0]}", []),
                                     key=lambda mn: (mn[0].count("."), mn[0]))
                    if not options:
                        continue
                    module, qual = options[0][0], options[0][1] + qual[len(qual.split(".")[0]):]
                out[module][section].append((qual, key))
        for module, info in self.m["modules"].items():
            for name, key in info["names"].items():
                if (key == f"{module}:{name}" and key not in self.m["classes"] and key not in self.m["functions"]
                        and not name.endswith("logger") and name.isupper()):
                    out[module]["values"].append((name, key))
        return out

    def differences(self, key: str, ours: Any) -> set[str]:
        """Members of our class whose kind or parameters differ from the SDK's."""
        from signature_check import member_problems

        if ours is None or not isinstance(ours, type):
            return set()
        try:
            return {p.split(":")[0].split(".")[0] for p in member_problems(self.m, key, ours)}
        except Exception as exc:  # the document must still be written
            print(f"warning: cannot compare {key}: {exc!r}", file=sys.stderr)
            return set()

    def render(self) -> str:
        homes = self.homes()
        totals: dict[str, list[int]] = {a: [0, 0, 0, 0, 0, 0] for a in AREAS}
        body: list[str] = []
        for module in sorted(homes):
            t = totals[area_of(module)]
            lines = []
            for qual, key in sorted(homes[module]["classes"]):
                members = self.m["classes"][key]["members"]
                ours = self.ours.get(key)
                attrs = our_instance_attributes(ours) if isinstance(ours, type) else set()
                done = [n for n in members if isinstance(ours, type) and has_member(ours, n, attrs)]
                differs = self.differences(key, ours)
                t[0] += ours is not None
                t[1] += 1
                t[2] += len(done)
                t[3] += len(members)
                lines.append(f"- [{'x' if ours is not None else ' '}] **{qual}** ({len(done)}/{len(members)} members)")
                if ours is not None:
                    lines += [f"  - [{'x' if n in done else ' '}] {n}"
                              + (" (signature differs from the SDK)" if n in differs else "") for n in members]
                    extra = extras(ours, members) if isinstance(ours, type) else []
                    if extra:
                        lines.append(f"  - not in the SDK (typo? private?): {', '.join(extra)}")
            for section, suffix in (("functions", "()"), ("values", "")):
                for qual, key in sorted(homes[module][section]):
                    t[4] += key in self.ours
                    t[5] += 1
                    lines.append(f"- [{'x' if key in self.ours else ' '}] {qual}{suffix}")
            if lines:
                body += [f"### {module}", "", *lines, ""]
        head = [
            "# Implementation coverage",
            "",
            "Which parts of the real Azure ML SDK v1 public surface azureml-local implements. Generated by",
            "`python tools/implementation_coverage.py` from `compat/sdk_manifest.json` (the SDK surface,",
            "`python tools/sdk_manifest.py`) and the facade tables in `azureml_local/facade/`. Do not edit by hand.",
            "",
            "SDK: " + ", ".join(f"{d} {v}" for d, v in self.m["distributions"].items()) + ".",
            "A class is checked when an SDK import path exposes our implementation; its members are listed",
            "only then. Signatures are checked by `tests/test_api_surface.py`. A member counts when our class",
            "defines it or one of its methods assigns `self.<member>`.",
            "",
            "| area | classes | members | functions and constants |",
            "|---|---|---|---|",
        ]
        for area, t in totals.items():
            head.append(f"| {area} | {t[0]}/{t[1]} | {t[2]}/{t[3]} ({pct(t[2], t[3])}) | {t[4]}/{t[5]} |")
        s = [sum(t[i] for t in totals.values()) for i in range(6)]
        head.append(f"| **total** | {s[0]}/{s[1]} | {s[2]}/{s[3]} ({pct(s[2], s[3])}) | {s[4]}/{s[5]} |")
        return "\n".join(head + [""] + body).rstrip() + "\n"


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "-"


def main() -> int:
    from azureml_local.facade import SURFACE

    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    OUTPUT.write_text(Coverage(manifest, SURFACE).render(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
