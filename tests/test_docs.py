"""The docs name only modules and files that exist (they are the map a newcomer follows)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
_SKIP = {".venv", "node_modules", ".git", ".azureml-local", "__pycache__"}
_PY_FILE = re.compile(r"`([A-Za-z0-9_./-]+\.py)`")
# names files of the official notebooks' repository, not of this one
_OTHER_REPOS = {"compat-pipeline-notebooks.md"}
_DOTTED = re.compile(r"\bazureml_local(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def _repo_files() -> list[str]:
    files = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not _SKIP.intersection(rel.parts):
            files.append(rel.as_posix())
    return files


def _exists_dotted(name: str) -> bool:
    """``azureml_local.a.b`` is a module, or ``azureml_local.a.b.Name`` a name defined in module a.b."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        spec = _find_spec(module)
        if spec is None:
            continue
        rest = parts[cut:]
        if not rest:
            return True
        source = Path(spec.origin).read_text()
        return re.search(rf"^\s*(?:def|class)\s+{rest[0]}\b|^{rest[0]}\s*[:=]", source, re.M) is not None
    return False


def _find_spec(module: str):
    try:
        return importlib.util.find_spec(module)
    except ModuleNotFoundError:  # a name inside a module, not a submodule
        return None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_named_module_exists(doc: Path) -> None:
    text = doc.read_text()
    files = _repo_files()
    named_files = set() if doc.name in _OTHER_REPOS else set(_PY_FILE.findall(text))
    missing = [ref for ref in sorted(named_files) if not any(f == ref or f.endswith("/" + ref) for f in files)]
    missing += [ref for ref in sorted(set(_DOTTED.findall(text))) if not _exists_dotted(ref.rstrip("."))]
    assert not missing, f"{doc.name} names modules that do not exist: {missing}"
