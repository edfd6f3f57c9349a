"""Writing local files so that a reader never sees a partial one.

Every blob backend's downloads and the folder backend's uploads go through
:func:`atomic_write`: bytes go to a temp file beside the target (same file system)
and are ``os.replace``d into place; on any error the temp file is removed and the
target is left as it was.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

#: prefix of in-flight temp files (listings skip them)
TMP_PREFIX = ".azureml-local-tmp-"


@contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file handle whose content replaces ``target`` only when the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # stdlib, ~7 ms with its random/shutil imports: only writers pay for it

    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def folder_items(local_dir: str | os.PathLike[str], prefix: str) -> list[tuple[str, str]]:
    """``(prefix/relative path, local file)`` for every file under ``local_dir``, sorted.

    The pairs an upload of a folder to blob names below ``prefix`` needs (run artifacts,
    step outputs). Leading/trailing ``/`` of ``prefix`` are ignored.
    """
    root = Path(local_dir)
    prefix = prefix.strip("/")
    items = []
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            full = Path(dirpath) / f
            rel = full.relative_to(root).as_posix()
            items.append((f"{prefix}/{rel}" if prefix else rel, str(full)))
    return sorted(items)
