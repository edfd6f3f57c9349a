"""Write the two-line facade module for every import path in the facade tables.

Run after adding a path to ``azureml_local/facade/*.py``::

    python tools/sync_facade.py          # create missing files
    python tools/sync_facade.py --check  # exit 1 if a file is missing or stray

A path ``a.b.c`` becomes ``azureml/b/c/__init__.py`` when other paths live below
it (a package), else ``azureml/b/c.py``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATE = '''"""Facade for the SDK path ``{path}``; names resolve lazily to azureml_local."""
from azureml_local._facade import bind

__all__, __getattr__, __dir__ = bind(__name__)
'''

ROOT_INIT = '''"""azureml namespace (azureml-local). Other ``azureml-*`` add-ons may extend it."""
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
'''


def facade_files(paths: set[str]) -> dict[Path, str]:
    """Map each facade path to the file that must implement it."""
    all_paths = set(paths)
    for p in paths:  # parent packages must exist too
        parts = p.split(".")
        for i in range(2, len(parts)):
            all_paths.add(".".join(parts[:i]))
    files: dict[Path, str] = {}
    for p in sorted(all_paths):
        parts = p.split(".")
        is_package = any(q.startswith(p + ".") for q in all_paths)
        rel = Path(*parts, "__init__.py") if is_package else Path(*parts[:-1], parts[-1] + ".py")
        files[ROOT / rel] = p
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    from azureml_local.facade import SURFACE

    wanted = facade_files(set(SURFACE))
    problems = []
    for file, path in wanted.items():
        text = TEMPLATE.format(path=path)
        if not file.exists() or file.read_text() != text:
            if args.check:
                problems.append(f"missing or outdated: {file.relative_to(ROOT)}")
            else:
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(text)
    existing = {f for f in (ROOT / "azureml").rglob("*.py")} - {ROOT / "azureml" / "__init__.py"}
    for stray in sorted(existing - set(wanted)):
        problems.append(f"stray facade file (not in any table): {stray.relative_to(ROOT)}")
    (ROOT / "azureml" / "__init__.py").write_text(ROOT_INIT) if not args.check else None
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
