"""The seed document's code blocks, read from the copy in this folder (``seed_notes.txt``).

A block is the text after an ``In [None]:`` line up to the next blank line followed by
prose. ``corrected`` applies the one fix the seed needs (the stray ``)`` in the
``allow_reuse=False`` block, a SyntaxError as written) and nothing else.
"""
from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).with_name("seed_notes.txt")
STRAY = "arguments = ['--folder', prepped_data]),"
FIXED = "arguments = ['--folder', prepped_data],"


def blocks() -> list[str]:
    """Every code block, in document order."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "In [None]:":
            i += 1
            body: list[str] = []
            while i < len(lines):
                line = lines[i]
                if line and not line[0].isspace() and body and body[-1] == "" and not _looks_like_code(line):
                    break
                body.append(line)
                i += 1
            while body and body[-1] == "":
                body.pop()
            found.append("\n".join(body) + "\n")
        else:
            i += 1
    return found


def _looks_like_code(line: str) -> bool:
    starts = ("from ", "import ", "#", "raw_ds", "data_store", "prepped", "step", "run", "parser", "args",
              "output_", "os.", "published", "pipeline", "rest_", "print", "response", "reg_", "...", "daily",
              "training_")
    if line.startswith("##"):
        return False
    return line.startswith(starts) or "=" in line.split("(")[0]


def block_containing(text: str) -> str:
    matches = [b for b in blocks() if text in b]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} seed blocks contain {text!r}")
    return matches[0]


def corrected(block: str) -> str:
    return block.replace(STRAY, FIXED)
