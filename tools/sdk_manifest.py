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
* ``values``: public module-level constants whose value is a literal (source text).
* ``private_names``: names only, of private modules and private names (importable, not API).

A parameter is ``[name, kind]`` or ``[name, kind, default_source]`` (plus the literal
value when the default is a named constant), kind in ``po pk vp ko vk``
(positional-only, positional-or-keyword, ``*args``, keyword-only, ``**kwargs``).

Usage::

    python tools/sdk_manifest.py                      # pip download the pinned wheels
    python tools/sdk_manifest.py --src .sdk-wheels    # a folder of .whl files or an unpacked tree
    python tools/sdk_manifest.py --fetch              # only download the pinned wheels into .sdk-wheels
                                                      # (read, never installed: the staleness test uses them)
"""
from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package
from sdk_resolver import Analyzer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compat" / "sdk_manifest.json"
WHEEL_CACHE = ROOT / ".sdk-wheels"
WHEELS = ["azureml-core==1.61.0.post4", "azureml-pipeline-core==1.62.0", "azureml-pipeline-steps==1.62.0",
          "azureml-train-core==1.62.0"]
PUBLIC_ROOTS = ("azureml.core", "azureml.data", "azureml.pipeline.core", "azureml.pipeline.steps",
                "azureml.exceptions", "azureml.train")


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


def download_wheels(dest: Path, specs: list[str] = WHEELS) -> bool:
    """``pip download --no-deps`` of ``specs`` into ``dest``; False when pip failed (its output is shown then)."""
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), *specs],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
    return done.returncode == 0


def fetch_wheels(dest: Path = WHEEL_CACHE) -> bool:
    """The pinned wheels in ``dest``, downloaded only when one is missing; False when pip could not."""
    missing = [spec for spec in WHEELS
               if not any(dest.glob(spec.replace("-", "_").replace("==", "-") + "-*.whl"))]
    if not missing:
        return True
    dest.mkdir(parents=True, exist_ok=True)
    return download_wheels(dest, missing)


# ---------------------------------------------------------------- manifest
def literal_text(expr: ast.expr) -> str | None:
    """Source text of a literal constant (``'Completed'``, ``60``), None for anything computed."""
    try:
        ast.literal_eval(expr)
    except ValueError:
        return None
    text = ast.unparse(expr)
    return text if len(text) <= 200 else None


def public_modules(sources: dict[str, tuple[str, bool]]) -> list[str]:
    return sorted(m for m in sources
                  if any(m == r or m.startswith(r + ".") for r in PUBLIC_ROOTS)
                  and not any(p.startswith("_") for p in m.split(".")))


def build_manifest(sources: dict[str, tuple[str, bool]], versions: dict[str, str]) -> dict:
    an = Analyzer(sources)
    modules: dict[str, dict] = {}
    classes: dict[str, dict] = {}
    functions: dict[str, dict] = {}
    values: dict[str, str] = {}
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
            elif found[0] == "value" and api and literal_text(found[2]) is not None:
                values[found[1]] = literal_text(found[2])
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
        "values": dict(sorted(values.items())),
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
        if section in ("modules", "functions", "values", "private_names"):
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
    parser.add_argument("--fetch", action="store_true", help=f"only download the pinned wheels into {WHEEL_CACHE.name}")
    args = parser.parse_args(argv)
    if args.fetch:
        if fetch_wheels():
            return 0
        print(f"could not download the SDK wheels into {WHEEL_CACHE}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        src = args.src
        if src is None:
            src = Path(tmp)
            if not download_wheels(src):
                parser.error("pip could not download the pinned SDK wheels: pass --src with a folder of them")
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
