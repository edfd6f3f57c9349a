"""U-SQL (C#) built-in types -> DuckDB types, and SQL literals of constant values."""
from __future__ import annotations

from typing import Any

from azureml_local.usql import UsqlError
from azureml_local.usql.lexer import Cursor

# C# type name -> (our short type, DuckDB type)
TYPES: dict[str, tuple[str, str]] = {
    "int": ("int", "INTEGER"), "Int32": ("int", "INTEGER"), "long": ("int", "BIGINT"), "Int64": ("int", "BIGINT"),
    "short": ("int", "SMALLINT"), "Int16": ("int", "SMALLINT"), "byte": ("int", "UTINYINT"),
    "sbyte": ("int", "TINYINT"), "uint": ("int", "UINTEGER"), "ulong": ("int", "UBIGINT"),
    "double": ("double", "DOUBLE"), "Double": ("double", "DOUBLE"), "float": ("double", "FLOAT"),
    "Single": ("double", "FLOAT"), "decimal": ("double", "DECIMAL(28,10)"), "Decimal": ("double", "DECIMAL(28,10)"),
    "string": ("string", "VARCHAR"), "String": ("string", "VARCHAR"), "char": ("string", "VARCHAR"),
    "bool": ("bool", "BOOLEAN"), "Boolean": ("bool", "BOOLEAN"), "DateTime": ("datetime", "TIMESTAMP"),
    "Guid": ("string", "UUID"),
}


def parse_type(cur: Cursor) -> tuple[str, str]:
    """``(short type, DuckDB type)`` of a C# type name at the cursor (``int?`` is a nullable int)."""
    tok = cur.tok
    if tok.kind != "ident" or tok.value not in TYPES:
        if tok.kind == "ident" and tok.value in ("SqlArray", "SqlMap", "byte[]"):
            raise UsqlError(f"the complex type {tok.value} is not supported by the local U-SQL engine", tok.line)
        raise UsqlError(f"expected a built-in type (int, long, double, string, bool, DateTime...), found '{tok.value}'",
                        tok.line)
    cur.next()
    if cur.tok.is_op("["):
        raise UsqlError(f"array types ({tok.value}[]) are not supported by the local U-SQL engine", tok.line)
    cur.accept_op("?")
    return TYPES[tok.value]


def sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
