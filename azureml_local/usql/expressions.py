"""C# expressions (the part of U-SQL between SELECT and FROM, in WHERE, ON...) -> DuckDB SQL.

A Pratt parser over the tokens: each parse returns ``(sql, type)`` where type is a short name
(``string``, ``int``, ``double``, ``bool``, ``datetime``) or None when unknown; types decide what
``+`` (concat vs add), ``/`` (integer vs real division) and ``== null`` mean. Anything outside the
subset raises ``UsqlError`` naming it and its line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from azureml_local.usql import UsqlError
from azureml_local.usql.lexer import Cursor, Token, describe
from azureml_local.usql.types import TYPES, quote_ident, sql_literal

Typed = tuple[str, "str | None"]

AGGREGATES = {"COUNT": "count", "SUM": "sum", "AVG": "avg", "MIN": "min", "MAX": "max", "ANY_VALUE": "any_value",
              "STDEV": "stddev_samp", "STDEVP": "stddev_pop", "VAR": "var_samp", "VARP": "var_pop"}
_STRING_METHODS: dict[str, tuple[str, int | None, str | None]] = {
    # name -> (SQL template with {0}=target, {1}.. = args, arg count or None, result type)
    "ToUpper": ("upper({0})", 0, "string"), "ToUpperInvariant": ("upper({0})", 0, "string"),
    "ToLower": ("lower({0})", 0, "string"), "ToLowerInvariant": ("lower({0})", 0, "string"),
    "Trim": ("trim({0})", 0, "string"), "TrimStart": ("ltrim({0})", 0, "string"),
    "TrimEnd": ("rtrim({0})", 0, "string"), "Contains": ("contains({0}, {1})", 1, "bool"),
    "StartsWith": ("starts_with({0}, {1})", 1, "bool"), "EndsWith": ("ends_with({0}, {1})", 1, "bool"),
    "IndexOf": ("(strpos({0}, {1}) - 1)", 1, "int"), "Replace": ("replace({0}, {1}, {2})", 2, "string"),
    "ToString": ("CAST({0} AS VARCHAR)", 0, "string"), "Equals": ("({0} = {1})", 1, "bool"),
    "PadLeft": ("lpad({0}, {1}, ' ')", 1, "string"), "PadRight": ("rpad({0}, {1}, ' ')", 1, "string"),
}
_PROPERTIES = {"Length": ("length({0})", "int"), "HasValue": ("({0} IS NOT NULL)", "bool"), "Value": ("{0}", None),
               "Year": ("year({0})", "int"), "Month": ("month({0})", "int"), "Day": ("day({0})", "int"),
               "Hour": ("hour({0})", "int"), "Minute": ("minute({0})", "int"), "Second": ("second({0})", "int"),
               "Date": ("date_trunc('day', {0})", "datetime")}
_MATH = {"Abs": "abs", "Round": "round", "Floor": "floor", "Ceiling": "ceil", "Sqrt": "sqrt", "Pow": "pow",
         "Max": "greatest", "Min": "least", "Log": "ln", "Log10": "log10", "Exp": "exp", "Sign": "sign"}
_CONVERT = {"ToInt32": "int", "ToInt64": "long", "ToInt16": "short", "ToDouble": "double", "ToSingle": "float",
            "ToDecimal": "decimal", "ToString": "string", "ToBoolean": "bool", "ToDateTime": "DateTime"}
_BINARY = [("??",), ("||", "OR"), ("&&", "AND"), ("==", "!=", "<>"), ("<", ">", "<=", ">=", "IN", "BETWEEN", "LIKE", "IS"),
           ("+", "-"), ("*", "/", "%")]


@dataclass
class Scope:
    """What names mean while translating one query: columns in scope, table aliases, declared values."""

    columns: dict[str, "str | None"] = field(default_factory=dict)
    aliases: set[str] = field(default_factory=set)
    variables: dict[str, tuple[Any, "str | None"]] = field(default_factory=dict)
    subquery: "Callable[[Cursor], str] | None" = None   # IN (SELECT ...) and EXISTS


def parse_expression(cur: Cursor, scope: Scope) -> Typed:
    """One expression (a ternary ``c ? a : b`` at the top)."""
    cond = _binary(cur, scope, 0)
    if cur.accept_op("?"):
        then = parse_expression(cur, scope)
        cur.expect_op(":", " in a conditional expression (c ? a : b)")
        other = parse_expression(cur, scope)
        return f"(CASE WHEN {cond[0]} THEN {then[0]} ELSE {other[0]} END)", then[1] or other[1]
    return cond


def _is_binary(tok: Token, ops: tuple) -> bool:
    return (tok.kind == "op" and tok.value in ops) or (tok.kind == "ident" and tok.value in ops) or (
        tok.is_kw("NOT") and "IN" in ops)


def _binary(cur: Cursor, scope: Scope, level: int) -> Typed:
    if level == len(_BINARY):
        return _unary(cur, scope)
    left = _binary(cur, scope, level + 1)
    while _is_binary(cur.tok, _BINARY[level]):
        op_tok = cur.next()
        op = op_tok.value
        if op == "NOT":  # NOT IN / NOT LIKE / NOT BETWEEN
            op = "NOT " + cur.expect_ident("IN, LIKE or BETWEEN after NOT").value
        if op in ("IN", "NOT IN"):
            left = (f"({left[0]} {op} {_in_list(cur, scope)})", "bool")
            continue
        if op == "IS":
            negate = " NOT" if cur.accept_kw("NOT") else ""
            cur.expect_kw("NULL", " after IS")
            left = (f"({left[0]} IS{negate} NULL)", "bool")
            continue
        if op in ("BETWEEN", "NOT BETWEEN"):
            low = _binary(cur, scope, level + 1)
            cur.expect_kw("AND", " in BETWEEN ... AND ...")
            high = _binary(cur, scope, level + 1)
            left = (f"({left[0]} {op} {low[0]} AND {high[0]})", "bool")
            continue
        right = _binary(cur, scope, level + 1)
        left = _combine(op, left, right, op_tok)
    return left


def _combine(op: str, left: Typed, right: Typed, tok: Token) -> Typed:
    (ls, lt), (rs, rt) = left, right
    if op in ("==", "!=", "<>"):
        negate = "" if op == "==" else " NOT"
        if rs == "NULL":
            return f"({ls} IS{negate} NULL)", "bool"
        if ls == "NULL":
            return f"({rs} IS{negate} NULL)", "bool"
        return f"({ls} {'=' if op == '==' else '<>'} {rs})", "bool"
    if op in ("||", "OR", "&&", "AND"):
        return f"({ls} {'OR' if op in ('||', 'OR') else 'AND'} {rs})", "bool"
    if op == "??":
        return f"coalesce({ls}, {rs})", lt or rt
    if op == "+" and "string" in (lt, rt):
        return f"concat({ls}, {rs})", "string"
    if op == "/" and lt == "int" and rt == "int":
        return f"({ls} // {rs})", "int"
    if op in ("<", ">", "<=", ">=", "LIKE", "NOT LIKE"):
        return f"({ls} {op} {rs})", "bool"
    result = "double" if "double" in (lt, rt) else (lt if lt == rt else None)
    return f"({ls} {op} {rs})", result


def _in_list(cur: Cursor, scope: Scope) -> str:
    cur.expect_op("(", " after IN")
    if cur.tok.is_kw("SELECT") and scope.subquery is not None:
        sql = scope.subquery(cur)
    else:
        items = [parse_expression(cur, scope)[0]]
        while cur.accept_op(","):
            items.append(parse_expression(cur, scope)[0])
        sql = ", ".join(items)
    cur.expect_op(")", " closing the IN list")
    return f"({sql})"


def _unary(cur: Cursor, scope: Scope) -> Typed:
    tok = cur.tok
    if tok.is_op("!") or tok.is_kw("NOT"):
        cur.next()
        inner = _unary(cur, scope)
        return f"(NOT {inner[0]})", "bool"
    if tok.is_op("-"):
        cur.next()
        inner = _unary(cur, scope)
        return f"(-{inner[0]})", inner[1]
    if tok.is_op("(") and _is_cast(cur):
        cur.next()
        short, duck = TYPES[cur.next().value]
        cur.accept_op("?")
        cur.expect_op(")")
        inner = _unary(cur, scope)
        if short == "int" and inner[1] == "double":  # C# casts to integral types truncate
            return f"CAST(trunc({inner[0]}) AS {duck})", short
        return f"CAST({inner[0]} AS {duck})", short
    return _postfix(cur, scope, _primary(cur, scope))


def _is_cast(cur: Cursor) -> bool:
    name, after = cur.peek(1), cur.peek(2)
    if name.kind != "ident" or name.value not in TYPES:
        return False
    close = cur.peek(3) if after.is_op("?") else after
    follow = cur.peek(4) if after.is_op("?") else cur.peek(3)
    return close.is_op(")") and (follow.kind in ("ident", "var", "number", "string", "char") or follow.is_op("("))


def _postfix(cur: Cursor, scope: Scope, value: Typed) -> Typed:
    while cur.tok.is_op("."):
        cur.next()
        member = cur.expect_ident("a method or property name after '.'")
        if cur.tok.is_op("("):
            args = _arguments(cur, scope)
            value = _method(member, value, args)
        elif member.value in _PROPERTIES:
            template, result = _PROPERTIES[member.value]
            value = template.format(value[0]), result or value[1]
        else:
            raise UsqlError(f"the member .{member.value} is not supported by the local U-SQL engine", member.line)
    if cur.tok.is_op("["):
        raise UsqlError("indexers (x[...]) are not supported by the local U-SQL engine", cur.tok.line)
    return value


def _method(member: Token, target: Typed, args: list[Typed]) -> Typed:
    name = member.value
    if name == "Substring":
        if len(args) not in (1, 2):
            raise UsqlError("Substring takes one or two arguments", member.line)
        extra = f", {args[1][0]}" if len(args) == 2 else ""
        return f"substr({target[0]}, ({args[0][0]}) + 1{extra})", "string"
    if name not in _STRING_METHODS:
        raise UsqlError(f"the C# method .{name}() is not supported by the local U-SQL engine", member.line)
    template, count, result = _STRING_METHODS[name]
    if count is not None and len(args) != count and not (name in ("PadLeft", "PadRight") and len(args) == 2):
        raise UsqlError(f".{name}() takes {count} argument(s), got {len(args)}", member.line)
    if name in ("PadLeft", "PadRight") and len(args) == 2:
        template = template.replace("' '", "{2}")
    return template.format(target[0], *(a[0] for a in args)), result


def _arguments(cur: Cursor, scope: Scope) -> list[Typed]:
    cur.expect_op("(")
    args: list[Typed] = []
    if not cur.accept_op(")"):
        args.append(parse_expression(cur, scope))
        while cur.accept_op(","):
            args.append(parse_expression(cur, scope))
        cur.expect_op(")", " closing the argument list")
    return args


def _primary(cur: Cursor, scope: Scope) -> Typed:
    tok = cur.next()
    if tok.kind == "string" or tok.kind == "char":
        return sql_literal(tok.value), "string"
    if tok.kind == "number":
        text = tok.value.rstrip("fFdDmMlLuU")
        return text, ("double" if any(c in text for c in ".eE") or tok.value[-1:] in "fFdDmM" else "int")
    if tok.kind == "var":
        if tok.value not in scope.variables:
            raise UsqlError(f"{tok.value} is not declared (DECLARE {tok.value} type = value; before its use), "
                            "or is a rowset used where a value is expected", tok.line)
        value, short = scope.variables[tok.value]
        return sql_literal(value), short
    if tok.is_op("("):
        inner = parse_expression(cur, scope)
        cur.expect_op(")", " closing the parenthesis")
        return f"({inner[0]})", inner[1]
    if tok.kind != "ident":
        raise UsqlError(f"unexpected {describe(tok)} in an expression", tok.line)
    return _name(cur, scope, tok)


def _name(cur: Cursor, scope: Scope, tok: Token) -> Typed:
    word = tok.value
    if word in ("true", "false", "TRUE", "FALSE"):
        return word.upper(), "bool"
    if word in ("null", "NULL"):
        return "NULL", None
    if word == "new":
        raise UsqlError("object creation (new ...) is not supported by the local U-SQL engine", tok.line)
    if word in AGGREGATES and cur.tok.is_op("("):
        return _aggregate(cur, scope, tok)
    if word == "EXISTS" and scope.subquery is not None:
        cur.expect_op("(")
        sql = scope.subquery(cur)
        cur.expect_op(")")
        return f"EXISTS ({sql})", "bool"
    if cur.tok.is_op(".") and cur.peek().kind == "ident":
        static = _static_call(cur, scope, tok)
        if static is not None:
            return static
        if word in scope.aliases and not cur.peek(2).is_op("("):
            cur.next()
            column = cur.next().value
            return f"{quote_ident(word)}.{quote_ident(column)}", scope.columns.get(column)
    if cur.tok.is_op("("):
        raise UsqlError(f"the function {word}() is not supported by the local U-SQL engine (user-defined "
                        "functions and C# code-behind cannot run locally)", tok.line)
    return quote_ident(word), scope.columns.get(word)


def _aggregate(cur: Cursor, scope: Scope, tok: Token) -> Typed:
    func = AGGREGATES[tok.value]
    cur.expect_op("(")
    if cur.accept_op("*"):
        body = "*"
    else:
        distinct = "DISTINCT " if cur.accept_kw("DISTINCT") else ""
        body = distinct + parse_expression(cur, scope)[0]
    cur.expect_op(")", f" closing {tok.value}(...)")
    if cur.tok.is_kw("OVER"):
        raise UsqlError("window functions (... OVER (...)) are not supported by the local U-SQL engine", cur.tok.line)
    result = "int" if tok.value == "COUNT" else ("double" if tok.value in ("AVG", "STDEV", "STDEVP", "VAR", "VARP")
                                                  else None)
    return f"{func}({body})", result


def _static_call(cur: Cursor, scope: Scope, tok: Token) -> Typed | None:
    """``Math.Abs(x)``, ``Convert.ToInt32(x)``, ``int.Parse(s)``, ``string.IsNullOrEmpty(s)``, ``DateTime.Now``."""
    owner, member = tok.value, cur.peek()
    if owner == "DateTime" and member.value in ("Now", "UtcNow", "Today"):
        cur.next(), cur.next()
        return ("current_date::TIMESTAMP" if member.value == "Today" else "now()::TIMESTAMP"), "datetime"
    known = owner in ("Math", "Convert", "string", "String") or (owner in TYPES and member.value == "Parse")
    if not known:
        return None
    cur.next(), cur.next()
    args = _arguments(cur, scope)
    name = member.value
    if owner == "Math" and name in _MATH:
        return f"{_MATH[name]}({', '.join(a[0] for a in args)})", "double" if name not in ("Max", "Min", "Abs") \
            else args[0][1]
    if owner == "Convert" and name in _CONVERT and len(args) == 1:
        short, duck = TYPES[_CONVERT[name]]
        return f"CAST({args[0][0]} AS {duck})", short
    if owner in TYPES and name == "Parse" and len(args) == 1:
        short, duck = TYPES[owner]
        return f"CAST({args[0][0]} AS {duck})", short
    if owner in ("string", "String") and len(args) == 1 and name == "IsNullOrEmpty":
        return f"({args[0][0]} IS NULL OR {args[0][0]} = '')", "bool"
    if owner in ("string", "String") and len(args) == 1 and name == "IsNullOrWhiteSpace":
        return f"({args[0][0]} IS NULL OR trim({args[0][0]}) = '')", "bool"
    if owner in ("string", "String") and name == "Concat" and args:
        return f"concat({', '.join(a[0] for a in args)})", "string"
    raise UsqlError(f"{owner}.{name}() is not supported by the local U-SQL engine", member.line)


def constant(cur: Cursor, variables: dict[str, tuple[Any, "str | None"]]) -> tuple[Any, "str | None"]:
    """The value of a DECLARE's right-hand side: literals, declared variables, ``+`` of them, ``-number``."""
    line = cur.tok.line
    value, short = constant_sum(cur, variables)
    if not (cur.tok.is_op(";") or cur.tok.kind == "eof"):
        raise UsqlError("DECLARE supports constant values only (literals, declared variables and +); "
                        f"found {describe(cur.tok)}", line)
    return value, short


def constant_sum(cur: Cursor, variables: dict[str, tuple[Any, "str | None"]]) -> tuple[Any, "str | None"]:
    """Constant terms joined by ``+`` (string concatenation when either side is a string)."""
    value, short = _constant_term(cur, variables)
    while cur.tok.is_op("+"):
        cur.next()
        right, rshort = _constant_term(cur, variables)
        if "string" in (short, rshort):
            value, short = ("" if value is None else str(value)) + ("" if right is None else str(right)), "string"
        else:
            value = value + right
    return value, short


def _constant_term(cur: Cursor, variables: dict) -> tuple[Any, "str | None"]:
    tok = cur.next()
    if tok.kind in ("string", "char"):
        return tok.value, "string"
    if tok.is_op("-") and cur.tok.kind == "number":
        value, short = _constant_term(cur, variables)
        return -value, short
    if tok.kind == "number":
        text = tok.value.rstrip("fFdDmMlLuU")
        return (float(text), "double") if any(c in text for c in ".eE") else (int(text), "int")
    if tok.kind == "ident" and tok.value in ("true", "false"):
        return tok.value == "true", "bool"
    if tok.kind == "ident" and tok.value == "null":
        return None, None
    if tok.kind == "var" and tok.value in variables:
        return variables[tok.value]
    raise UsqlError(f"DECLARE supports constant values only; {describe(tok)} is not one", tok.line)
