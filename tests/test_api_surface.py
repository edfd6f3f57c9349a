"""Our public surface against the real SDK's, as recorded in ``compat/sdk_manifest.json``.

For every name in the facade tables (``azureml_local.facade.SURFACE``):

* its import path must exist in the real SDK (the manifest's import index);
* when the SDK name is a class, every public method/property *we* define that the SDK class
  also has must take the same parameters: names, order, kinds and defaults, and its class
  constants / Enum values must be equal. Members we have not written yet are not failures
  (they show up in ``IMPLEMENTATION_COVERAGE.md``);
* our class must derive from our versions of its SDK base classes (``except``/``isinstance``),
  and every path to one SDK class must give one object here;
* module constants and functions must match the SDK's literals and signatures.

Fixed entries in an allowlist are reported as warnings (``-W error`` turns them into failures).

The comparison rules live in ``tools/signature_check.py`` (shared with the coverage document).

Deliberate deviations go into the allowlists below, each with its reason. Regenerate the
manifest with ``python tools/sdk_manifest.py --src .sdk-wheels`` (``scripts/test.sh`` downloads the
pinned wheels there with ``--fetch``; they are read, never installed).
"""
from __future__ import annotations

import importlib.util
import inspect
import json
import sys
import warnings
from pathlib import Path

import pytest

from azureml_local._facade import resolve
from azureml_local.facade import SURFACE

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((ROOT / "compat" / "sdk_manifest.json").read_text(encoding="utf-8"))

# Facade module prefixes served by SDK wheels the manifest does not read.
OTHER_WHEELS: dict[str, str] = {
    "azureml.widgets": "azureml-widgets is a separate wheel, not in the manifest",
}
# (facade path, name) -> why it is not an import path of the real SDK wheels.
IMPORT_ALLOWLIST: dict[tuple[str, str], str] = {}
# (SDK class key or function key, member) -> why our signature deliberately differs.
# Use member "*" to skip a whole class; reason "TODO fix" for mismatches reported to their owner.
_TODO = "TODO fix (reported to the owner; see the fix in the reason)"
SIGNATURE_ALLOWLIST: dict[tuple[str, str], str] = {
    ("azureml._restclient.exceptions:ServiceException", "__init__"):
        "deliberate: the SDK wraps an msrest ErrorResponseException; locally there is none, so ours takes "
        "(exception_message='', status_code=None, **kwargs)",
    ("azureml.core.runconfig:DockerConfiguration", "__init__"):
        "deliberate: arguments=None instead of the SDK's shared mutable default [] (None means [])",
    ("azureml.core.authentication:ArmTokenAuthentication", "__init__"):
        "SDK quirk kept out: its default is the string cloud='None'; ours is None (no cloud lookup locally)",
}

# (SDK class key, SDK ancestor key) -> why our class does not derive from our version of that ancestor.
HIERARCHY_ALLOWLIST: dict[tuple[str, str], str] = {}


def _load_checker():
    """tools/ is not a package: load the shared rules module by path."""
    spec = importlib.util.spec_from_file_location("signature_check", ROOT / "tools" / "signature_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_check = _load_checker()
defining_attr, our_params, defaults_match, params_problem = (
    _check.defining_attr, _check.our_params, _check.defaults_match, _check.params_problem)


def member_problems(key: str, cls: type) -> list[str]:
    return _check.member_problems(MANIFEST, key, cls, SIGNATURE_ALLOWLIST)


# ------------------------------------------------------------------ what the facade exposes
def facade_entries() -> list[tuple[str, str, str]]:
    return [(path, name, target) for path, names in sorted(SURFACE.items())
            for name, target in sorted(names.items())]


def sdk_key(path: str, name: str) -> str | None:
    return MANIFEST["modules"].get(path, {}).get("names", {}).get(name)


def class_pairs() -> list[tuple[str, str]]:
    """Distinct (SDK class key, our target) pairs among facade names the SDK defines as classes."""
    pairs = {(sdk_key(p, n), t) for p, n, t in facade_entries() if sdk_key(p, n) in MANIFEST["classes"]}
    return sorted(pairs)


def function_pairs() -> list[tuple[str, str]]:
    pairs = {(sdk_key(p, n), t) for p, n, t in facade_entries() if sdk_key(p, n) in MANIFEST["functions"]}
    return sorted(pairs)


@pytest.mark.parametrize("path,name,target", facade_entries())
def test_import_path_exists_in_sdk(path, name, target):
    if (path, name) in IMPORT_ALLOWLIST:
        pytest.skip(IMPORT_ALLOWLIST[(path, name)])
    for prefix, reason in OTHER_WHEELS.items():
        if path == prefix or path.startswith(prefix + "."):
            pytest.skip(reason)
    if name in MANIFEST["private_names"].get(path, []):
        return  # a private SDK name some scripts import: it exists, and it is not API to compare
    assert path in MANIFEST["modules"], f"the real SDK has no module {path!r}; fix the facade table"
    assert sdk_key(path, name), (f"`from {path} import {name}` does not work with the real SDK; "
                                 f"use one of its paths or allow-list it with a reason")


NONE_YET = [pytest.param(None, None, marks=pytest.mark.skip(reason="none in the facade yet"))]


@pytest.mark.parametrize("key,target", class_pairs() or NONE_YET)
def test_class_signatures_match_sdk(key, target):
    if (key, "*") in SIGNATURE_ALLOWLIST:
        pytest.skip(SIGNATURE_ALLOWLIST[(key, "*")])
    ours = resolve(target)
    assert inspect.isclass(ours), f"the SDK's {key} is a class, ours ({target}) is {type(ours).__name__}"
    problems = member_problems(key, ours)
    assert not problems, f"{target} differs from the SDK's {key}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("key,target", function_pairs() or NONE_YET)
def test_function_signatures_match_sdk(key, target):
    if (key, "*") in SIGNATURE_ALLOWLIST:
        pytest.skip(SIGNATURE_ALLOWLIST[(key, "*")])
    ours = resolve(target)
    assert callable(ours), f"the SDK's {key} is a function, ours ({target}) is not callable"
    problem = params_problem(MANIFEST["functions"][key]["params"], our_params(ours), drop_first=False)
    assert problem is None, f"{target}: {problem}"


def sdk_ancestors(key: str) -> set[str]:
    """SDK base classes of ``key``, transitively through the classes the manifest describes."""
    seen: set[str] = set()
    todo = list(MANIFEST["classes"].get(key, {}).get("bases", []))
    while todo:
        base = todo.pop()
        if base in MANIFEST["classes"] and base not in seen:
            seen.add(base)
            todo += MANIFEST["classes"][base]["bases"]
    return seen


def hierarchy_cases() -> list[tuple[str, str, str, str]]:
    """(SDK class, our target, SDK ancestor, our target for it) where the facade exposes both."""
    ours = {}
    for p, n, t in facade_entries():
        ours.setdefault(sdk_key(p, n), t)
    return sorted({(key, target, anc, ours[anc]) for key, target in class_pairs()
                   for anc in sdk_ancestors(key) if anc in ours})


@pytest.mark.parametrize("key,target,ancestor,ancestor_target", hierarchy_cases()
                         or [pytest.param(None, None, None, None, marks=pytest.mark.skip(reason="none yet"))])
def test_class_hierarchy_matches_sdk(key, target, ancestor, ancestor_target):
    """``except AzureMLException`` and ``isinstance(run, Run)`` must behave as with the SDK."""
    if (key, ancestor) in HIERARCHY_ALLOWLIST:
        pytest.skip(HIERARCHY_ALLOWLIST[(key, ancestor)])
    assert issubclass(resolve(target), resolve(ancestor_target)), \
        f"the SDK's {key} derives from {ancestor}; make {target} a subclass of {ancestor_target}"


def same_object_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """SDK keys that several facade paths expose, e.g. azureml.core.Run and azureml.core.run.Run."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, name, target in facade_entries():
        key = sdk_key(path, name)
        if key:
            groups.setdefault(key, []).append((f"{path}.{name}", target))
    return sorted((k, v) for k, v in groups.items() if len({t for _, t in v}) > 1)


@pytest.mark.parametrize("key,entries", same_object_groups()
                         or [pytest.param(None, None, marks=pytest.mark.skip(reason="no shared names yet"))])
def test_one_sdk_object_is_one_object_here(key, entries):
    """In the SDK every path to a class gives the same object; isinstance checks rely on it."""
    objects = {path: resolve(target) for path, target in entries}
    first = next(iter(objects.values()))
    assert all(obj is first for obj in objects.values()), \
        f"the SDK's {key} resolves to different objects here: {entries}"


def value_pairs() -> list[tuple[str, str]]:
    pairs = {(sdk_key(p, n), t) for p, n, t in facade_entries() if sdk_key(p, n) in MANIFEST["values"]}
    return sorted(pairs)


@pytest.mark.parametrize("key,target", value_pairs() or NONE_YET)
def test_constant_values_match_sdk(key, target):
    """Module constants (statuses, file names, default versions) must equal the SDK's literals."""
    if (key, "*") in SIGNATURE_ALLOWLIST:
        pytest.skip(SIGNATURE_ALLOWLIST[(key, "*")])
    problem = _check.constant_problem(MANIFEST["values"][key], resolve(target))
    assert problem is None, f"{target}: {problem}"


def test_allowlists_are_not_stale():
    keys = {(k, "*") for section in ("classes", "functions", "values") for k in MANIFEST[section]}
    keys |= {(k, m) for k, c in MANIFEST["classes"].items() for m in c["members"]}
    assert not [k for k in SIGNATURE_ALLOWLIST if k not in keys], "allow-listed SDK members no longer exist"
    facade = {(p, n) for p, n, _ in facade_entries()}
    assert not [k for k in IMPORT_ALLOWLIST if k in facade and sdk_key(*k)], "allow-listed paths now exist"


def test_fixed_mismatches_are_reported_for_removal(monkeypatch):
    """A warning (not a failure: owners fix their code without touching this file) per stale entry."""
    allowed = dict(SIGNATURE_ALLOWLIST)
    monkeypatch.setattr(sys.modules[__name__], "SIGNATURE_ALLOWLIST", {})
    for key, target in class_pairs():
        entries = [m for (k, m) in allowed if k == key and m != "*"]
        if not entries:
            continue
        try:
            ours = resolve(target)
        except Exception:  # noqa: BLE001 - another test reports a broken target
            continue
        still = {p.split(":")[0] for p in member_problems(key, ours)}
        for member in entries:
            if member not in still and defining_attr(ours, member):
                warnings.warn(f"{key}.{member} now matches the SDK: remove it from SIGNATURE_ALLOWLIST")
    for key, target, ancestor, ancestor_target in hierarchy_cases():
        if (key, ancestor) in HIERARCHY_ALLOWLIST and issubclass(resolve(target), resolve(ancestor_target)):
            warnings.warn(f"{key} now derives from {ancestor}: remove it from HIERARCHY_ALLOWLIST")
    facade = {(p, n) for p, n, _ in facade_entries()}
    for entry in IMPORT_ALLOWLIST:
        if entry not in facade:
            warnings.warn(f"{entry} is no longer in the facade: remove it from IMPORT_ALLOWLIST")


# ------------------------------------------------------------------ the checker itself
class _Sdkish:
    """Stand-in for a project class, to prove the checker catches real mismatches."""

    LIMIT = 6  # SDK: 5
    KIND = "ws"

    def __init__(self, name, workspace=None, _private=1, **kwargs):
        pass

    @staticmethod
    def from_config(path=None, auth=None):
        pass

    def get(self, name, cloud="AzureCloud"):  # SDK: staticmethod
        pass

    def log(self, value, name, description=""):  # SDK: (name, value, ...)
        pass

    def wait(self, show_output=True):  # SDK default False
        pass

    def name(self):  # SDK: property
        pass


def _with_fake_sdk(monkeypatch):
    members = {
        "__init__": {"kind": "method", "params": [["self", "pk"], ["name", "pk"], ["workspace", "pk", "None"],
                                                  ["_logger", "pk", "None"]]},
        "from_config": {"kind": "staticmethod", "params": [["path", "pk", "None"], ["auth", "pk", "None"],
                                                           ["_file_name", "pk", "None"]]},
        "get": {"kind": "staticmethod", "params": [["name", "pk"], ["cloud", "pk", "'AzureCloud'"]]},
        "log": {"kind": "method", "params": [["self", "pk"], ["name", "pk"], ["value", "pk"],
                                             ["description", "pk", "''"]]},
        "wait": {"kind": "method", "params": [["self", "pk"], ["show_output", "pk", "DEFAULT", "False"]]},
        "name": {"kind": "property"},
        "not_written_yet": {"kind": "method", "params": [["self", "pk"]]},
        "LIMIT": {"kind": "attribute", "value": "5"},
        "KIND": {"kind": "attribute", "value": "'ws'"},
    }
    monkeypatch.setitem(MANIFEST["classes"], "fake:Sdkish", {"bases": ["object"], "members": members})


def test_checker_flags_real_mismatches_only(monkeypatch):
    _with_fake_sdk(monkeypatch)
    problems = member_problems("fake:Sdkish", _Sdkish)
    flagged = sorted(p.split(":")[0] for p in problems)
    assert flagged == ["LIMIT", "get", "log", "name", "wait"], problems
    assert any("SDK (name, value, description='')" in p for p in problems)


def test_checker_accepts_named_constant_defaults():
    assert defaults_match(["x", "pk", "DEFAULT_TIMEOUT", "60"], ("x", "pk", "60", 60))
    assert defaults_match(["x", "pk", "'a'"], ("x", "pk", '"a"', "a"))
    assert defaults_match(["x", "pk", "RunStatus.COMPLETED"], ("x", "pk", "_status.RunStatus.COMPLETED", "c"))
    assert not defaults_match(["x", "pk", "0"], ("x", "pk", "False", False))
    assert not defaults_match(["x", "pk"], ("x", "pk", "None", None))


# ------------------------------------------------------------------ the manifest itself
WHEEL_SRC = ROOT / ".sdk-wheels"


@pytest.mark.skipif(not any(WHEEL_SRC.glob("*.whl")),
                    reason="the real SDK wheels are not in .sdk-wheels (python tools/sdk_manifest.py --fetch)")
def test_manifest_is_reproducible():
    spec = importlib.util.spec_from_file_location("sdk_manifest", ROOT / "tools" / "sdk_manifest.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    sources, versions = tool.read_sources(WHEEL_SRC)
    text = tool.dump(tool.build_manifest(sources, versions))
    assert text == (ROOT / "compat" / "sdk_manifest.json").read_text(encoding="utf-8"), \
        "compat/sdk_manifest.json is stale: run python tools/sdk_manifest.py --src .sdk-wheels"
