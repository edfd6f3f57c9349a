"""A local U-SQL engine: the common subset of U-SQL translated to DuckDB SQL (``docs/usql.md``).

``lexer`` (tokens with line numbers) -> ``expressions`` (C# expressions -> SQL) and ``translate``
(statements -> a plan of DuckDB views and outputs, all checked before anything runs) -> ``run``
(executes the plan; outputs are written beside their targets and renamed into place only when
every statement succeeded). ``UsqlError`` names the construct and its line.
"""
from __future__ import annotations


class UsqlError(Exception):
    """A script the local engine cannot run: a syntax error or a construct outside the subset."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"U-SQL error at line {line}: {message}" if line is not None else message)
