"""C# expressions -> DuckDB SQL, checked by running the SQL on DuckDB against real values."""
from __future__ import annotations

import duckdb
import pytest

from azureml_local.usql import UsqlError
from azureml_local.usql.expressions import Scope, parse_expression
from azureml_local.usql.lexer import Cursor, tokenize

ROW = "SELECT 'Noah Smith' AS name, 7 AS n, 2 AS m, 2.5 AS x, CAST(NULL AS VARCHAR) AS missing, 'a' AS s"
SCOPE = {"name": "string", "n": "int", "m": "int", "x": "double", "missing": "string", "s": "string"}


def evaluate(expr: str, variables: dict | None = None):
    scope = Scope(columns=dict(SCOPE), aliases={"t"}, variables=variables or {})
    cur = Cursor(tokenize(expr))
    sql, _ = parse_expression(cur, scope)
    assert cur.tok.kind == "eof", f"left over: {cur.tok}"
    return duckdb.execute(f"SELECT {sql} FROM ({ROW}) AS t").fetchone()[0]


@pytest.mark.parametrize("expr, value", [
    ("n == 7", True), ("n != 7", False), ("n > 3 && m < 3", True), ("n < 3 || m == 2", True), ("!(n == 7)", False),
    ("n / m", 3), ("x / 2", 1.25), ("n % m", 1), ("-n + 1", -6),
    ('name + "!"', "Noah Smith!"), ('"#" + n', "#7"), ('missing + "x"', "x"),
    ("name.ToUpper()", "NOAH SMITH"), ("name.ToLower()", "noah smith"), ('name.Contains("Smi")', True),
    ('name.StartsWith("No")', True), ('name.EndsWith("x")', False), ("name.Length", 10),
    ("name.Substring(5)", "Smith"), ("name.Substring(0, 4)", "Noah"), ('name.IndexOf("S")', 5),
    ('name.Replace("Noah", "Liam")', "Liam Smith"), ('"  a ".Trim()', "a"), ("n.ToString()", "7"),
    ("(double)n / 2", 3.5), ("(int)x", 2), ("Convert.ToInt32(\"42\")", 42), ("int.Parse(\"5\") + 1", 6),
    ("double.Parse(\"1.5\")", 1.5), ("Math.Abs(-n)", 7), ("Math.Max(n, m)", 7), ("Math.Round(x)", 3.0),
    ('n > 5 ? "big" : "small"', "big"), ("missing == null", True), ("name != null", True),
    ('missing ?? "none"', "none"), ("string.IsNullOrEmpty(missing)", True), ('string.Concat(s, "b", s)', "aba"),
    ("t.n == 7", True), ("n IN (1, 7)", True), ("n NOT IN (1, 7)", False), ("n BETWEEN 1 AND 10", True),
    ('name LIKE "No%"', True), ("missing IS NULL", True), ("true && !false", True), ("@limit > n", True),
    ("10L + 1", 11),
])
def test_expression_values(expr, value):
    assert evaluate(expr, {"@limit": (9, "int")}) == value


@pytest.mark.parametrize("expr, message", [
    ("new List<int>()", "object creation (new ...) is not supported"),
    ("name.Split(',')", "the C# method .Split() is not supported"),
    ("MyUdf(name)", "the function MyUdf() is not supported"),
    ("name.Foo", "the member .Foo is not supported"),
    ("@undeclared == 1", "@undeclared is not declared"),
    ("n > 3 ? 1", "expected ':' in a conditional expression"),
    ("name.Substring(1, 2, 3)", "Substring takes one or two arguments"),
    ("String.Format(\"{0}\", n)", "String.Format() is not supported"),
    ("(n + 1", "expected ')' closing the parenthesis"),
    ("name[0]", "indexers (x[...]) are not supported"),
])
def test_unsupported_expressions_name_the_construct(expr, message):
    with pytest.raises(UsqlError, match=r"^U-SQL error at line 1: ") as info:
        evaluate(expr)
    assert message in str(info.value)


def test_aggregates():
    scope = Scope(columns={"n": "int"})
    sql, kind = parse_expression(Cursor(tokenize("COUNT(DISTINCT n)")), scope)
    assert (sql, kind) == ('count(DISTINCT "n")', "int")
    assert duckdb.execute(f"SELECT {sql}, {parse_expression(Cursor(tokenize('SUM(n)')), scope)[0]} "
                      "FROM (VALUES (1), (1), (3)) AS v(n)").fetchone() == (2, 5)
    with pytest.raises(UsqlError, match="window functions"):
        parse_expression(Cursor(tokenize("SUM(n) OVER (PARTITION BY n)")), scope)
