"""U-SQL statements -> a plan of DuckDB views and outputs, checked whole before anything runs.

Supported statements: ``DECLARE [EXTERNAL] @v type = constant;``, ``@rows = EXTRACT ... FROM ...
USING Extractors.Csv/Tsv/Text(...);``, ``@rows = SELECT ...;`` and ``OUTPUT @rows|(SELECT ...) TO
"path" [ORDER BY ...] USING Outputters.Csv/Tsv/Text(...);``. Everything else raises ``UsqlError``
with the construct and its line (``docs/usql.md`` has the table).
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from typing import Any

from azureml_local.usql import UsqlError
from azureml_local.usql.expressions import Scope, constant, constant_sum, parse_expression
from azureml_local.usql.lexer import Cursor, Token, describe, tokenize
from azureml_local.usql.types import parse_type, quote_ident, sql_literal

Columns = dict[str, "str | None"]
_DELIMITERS = {"Csv": ",", "Tsv": "\t", "Text": ","}
_ENCODINGS = {"UTF8": "utf-8", "Default": "utf-8", "ASCII": "utf-8", "Unicode": "utf-16", "UTF32": None,
              "BigEndianUnicode": None, "UTF7": None}
_EXTRACTOR_ARGS = {"delimiter", "skipFirstNRows", "quoting", "encoding", "silent", "nullEscape", "rowDelimiter",
                   "charFormat"}
_OUTPUTTER_ARGS = {"delimiter", "outputHeader", "quoting", "encoding", "nullEscape", "rowDelimiter",
                   "dateTimeFormat", "charFormat"}
_STATEMENT_WORDS = ("CREATE", "DROP", "USE", "REFERENCE", "INSERT", "SET", "ALTER", "TRUNCATE", "IF", "DEPLOY",
                    "IMPORT", "PROCESS", "REDUCE", "COMBINE", "TABLE", "PARTITION", "LOOP", "BEGIN")
_CLAUSE_END = ("WHERE", "GROUP", "HAVING", "ORDER", "UNION", "EXCEPT", "INTERSECT", "OPTION", "FETCH", "OFFSET",
               "TO", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "ON", "OUTER", "SEMIJOIN", "ANTISEMIJOIN")


@dataclass
class View:
    name: str         # the rowset variable, e.g. "@rows"
    sql: str
    columns: Columns
    line: int


@dataclass
class Output:
    sql: str
    path: str
    line: int
    delimiter: str = ","
    header: bool = False
    quoting: bool = True
    encoding: str = "utf-8"
    row_delimiter: str = "\r\n"
    null_text: str = ""


@dataclass
class Plan:
    views: list[View] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    variables: dict[str, tuple[Any, "str | None"]] = field(default_factory=dict)


def view_name(variable: str) -> str:
    return quote_ident("rs_" + variable.lstrip("@"))


def translate(text: str) -> Plan:
    """The plan of a whole script; raises ``UsqlError`` (with the line) at the first problem."""
    return _Translator(tokenize(text)).script()


class _Translator:
    def __init__(self, tokens: list[Token]):
        self.cur = Cursor(tokens)
        self.plan = Plan()
        self.rowsets: dict[str, Columns] = {}

    def script(self) -> Plan:
        cur = self.cur
        while cur.tok.kind != "eof":
            tok = cur.tok
            if cur.accept_op(";"):
                continue
            if tok.is_kw("DECLARE"):
                self.declare()
            elif tok.kind == "var" and cur.peek().is_op("="):
                self.assign()
            elif tok.is_kw("OUTPUT"):
                self.output()
            elif tok.kind == "ident" and tok.value.upper() in _STATEMENT_WORDS:
                words = tok.value if cur.peek().kind != "ident" else f"{tok.value} {cur.peek().value}"
                raise UsqlError(f"the statement {words} is not supported by the local U-SQL engine (it runs "
                                "DECLARE, rowset assignments with EXTRACT/SELECT, and OUTPUT)", tok.line)
            else:
                raise UsqlError(f"a statement cannot start with {describe(tok)} (expected DECLARE, @rowset = ..., "
                                "or OUTPUT)", tok.line)
            cur.expect_op(";", " at the end of the statement")
        if not self.plan.outputs:
            raise UsqlError("the script has no OUTPUT statement: a U-SQL job must output at least one rowset",
                            self.cur.tok.line)
        return self.plan

    # -- statements ----------------------------------------------------------------------------
    def declare(self) -> None:
        cur = self.cur
        cur.expect_kw("DECLARE")
        cur.accept_kw("EXTERNAL")
        var = cur.next()
        if var.kind != "var":
            raise UsqlError(f"expected a variable name (@name) after DECLARE, found {describe(var)}", var.line)
        if var.value in self.plan.variables and not self.plan.variables[var.value][1] == "external":
            raise UsqlError(f"the variable {var.value} is already declared", var.line)
        short, _duck = parse_type(cur)
        cur.expect_op("=", f" after DECLARE {var.value} <type>")
        value, _ = constant(cur, self.plan.variables)
        self.plan.variables[var.value] = (value, short)

    def assign(self) -> None:
        cur = self.cur
        var = cur.next()
        if var.value in self.plan.variables:
            raise UsqlError(f"{var.value} is a scalar variable (DECLARE); a rowset needs another name", var.line)
        cur.expect_op("=")
        tok = cur.tok
        if tok.is_kw("EXTRACT"):
            sql, columns = self.extract()
        elif tok.is_kw("SELECT"):
            sql, columns = self.select()
        elif tok.is_op("(") and cur.peek().is_kw("SELECT"):
            cur.next()
            sql, columns = self.select()
            cur.expect_op(")")
        elif tok.kind == "ident" and tok.value in ("PROCESS", "REDUCE", "COMBINE", "VALUES"):
            raise UsqlError(f"{tok.value} (user-defined operators and C# code-behind) is not supported by the "
                            "local U-SQL engine", tok.line)
        else:
            raise UsqlError(f"expected EXTRACT or SELECT after {var.value} =, found {describe(tok)}", tok.line)
        self.rowsets[var.value] = columns
        self.plan.views.append(View(var.value, sql, columns, var.line))

    def output(self) -> None:
        cur = self.cur
        line = cur.expect_kw("OUTPUT").line
        if cur.tok.kind == "var":
            var = cur.next()
            sql = f"SELECT * FROM {self.rowset(var)}"
        elif cur.accept_op("("):
            sql, _ = self.select()
            cur.expect_op(")", " closing the OUTPUT's SELECT")
        else:
            raise UsqlError(f"expected a rowset (@rows) or (SELECT ...) after OUTPUT, found {describe(cur.tok)}",
                            cur.tok.line)
        cur.expect_kw("TO", " in OUTPUT ... TO \"path\"")
        path = self.path_value()
        if "{" in path:
            raise UsqlError("file set outputs (paths with {...}) are not supported by the local U-SQL engine", line)
        if cur.tok.is_kw("ORDER"):
            sql = f"SELECT * FROM ({sql}) AS _o {self.order_by(Scope(columns={}, variables=self.plan.variables))}"
        cur.expect_kw("USING", " in OUTPUT ... USING Outputters.Csv()")
        kind, args = self.udo("Outputters", _OUTPUTTER_ARGS)
        out = Output(sql, path, line, delimiter=_DELIMITERS[kind])
        for name, (value, tok) in args.items():
            if name == "outputHeader":
                out.header = bool(value)
            elif name == "quoting":
                out.quoting = bool(value)
            elif name == "delimiter":
                out.delimiter = str(value)
            elif name == "encoding":
                out.encoding = _encoding(value, tok)
            elif name == "nullEscape":
                out.null_text = str(value)
            elif name == "rowDelimiter":
                out.row_delimiter = str(value)
            else:
                raise UsqlError(f"the outputter argument {name} is not supported by the local U-SQL engine", tok.line)
        self.plan.outputs.append(out)

    # -- EXTRACT -----------------------------------------------------------------------------
    def extract(self) -> tuple[str, Columns]:
        cur = self.cur
        line = cur.expect_kw("EXTRACT").line
        columns: list[tuple[str, str, str]] = []
        while True:
            name = cur.expect_ident("a column name in EXTRACT")
            short, duck = parse_type(cur)
            columns.append((name.value, short, duck))
            if not cur.accept_op(","):
                break
        cur.expect_kw("FROM", " after the EXTRACT column list")
        paths = [self.path_value()]
        while cur.accept_op(","):
            paths.append(self.path_value())
        cur.expect_kw("USING", " in EXTRACT ... USING Extractors.Csv()")
        kind, args = self.udo("Extractors", _EXTRACTOR_ARGS)
        options = {"delim": _DELIMITERS[kind], "quote": '"', "skip": 0, "encoding": "utf-8"}
        silent = False
        for name, (value, tok) in args.items():
            if name == "delimiter":
                options["delim"] = str(value)
            elif name == "skipFirstNRows":
                options["skip"] = int(value)
            elif name == "quoting":
                options["quote"] = '"' if value else ""
            elif name == "encoding":
                options["encoding"] = _encoding(value, tok)
            elif name == "silent":
                silent = bool(value)
            elif name == "nullEscape":
                options["nullstr"] = str(value)
            elif name == "rowDelimiter" and value not in ("\n", "\r\n", "\r"):
                raise UsqlError("rowDelimiter other than \\n, \\r\\n or \\r is not supported by the local engine",
                                tok.line)
        files = [self.input_files(p, line) for p in paths]
        raw = ", ".join(f"{quote_ident('c%d' % i)}: 'VARCHAR'" for i in range(len(columns)))
        opts = ", ".join(f"{k}={sql_literal(v)}" for k, v in options.items())
        source = (f"read_csv([{', '.join(sql_literal(f) for f in files)}], header=false, auto_detect=false, "
                  f"columns={{{raw}}}, {opts}, strict_mode=false" + (", ignore_errors=true" if silent else "") + ")")
        cast = "TRY_CAST" if silent else "CAST"
        items = []
        for i, (name, short, duck) in enumerate(columns):
            raw_col = quote_ident("c%d" % i)
            if short == "bool":
                value = f"{cast}(lower(trim({raw_col})) AS BOOLEAN)"
            elif duck == "VARCHAR":
                value = raw_col
            else:
                value = f"{cast}(trim({raw_col}) AS {duck})"
            items.append(f"{value} AS {quote_ident(name)}")
        return f"SELECT {', '.join(items)} FROM {source}", {name: short for name, short, _ in columns}

    def input_files(self, path: str, line: int) -> str:
        """The file (or glob) DuckDB reads for a FROM path; a missing input fails now, before any output."""
        if "{" in path:
            if path.count("{*}") != path.count("{"):
                raise UsqlError("file sets with named patterns ({name} virtual columns) are not supported by the "
                                "local U-SQL engine; {*} is", line)
            path = path.replace("{*}", "*")
        if os.path.isdir(path):
            path = os.path.join(path, "**")
        if not glob.glob(path, recursive=True) or all(os.path.isdir(p) for p in glob.glob(path, recursive=True)):
            raise UsqlError(f"the input file {path} does not exist", line)
        self.plan.inputs.append(path)
        return path

    def path_value(self) -> str:
        tok = self.cur.tok
        if tok.kind in ("string", "var"):
            value, _ = constant_sum(self.cur, self.plan.variables)
            if isinstance(value, str):
                return value
        raise UsqlError(f"expected a path (a string literal or a declared string variable), found {describe(tok)}",
                        tok.line)

    def udo(self, family: str, allowed: set[str]) -> tuple[str, dict[str, tuple[Any, Token]]]:
        """``Extractors.Csv(name: value, ...)``: the built-in kind and its named arguments."""
        cur = self.cur
        owner = cur.expect_ident(f"{family}.Csv(), .Tsv() or .Text()")
        if owner.value != family:
            raise UsqlError(f"user-defined {family.lower()[:-1]}s ({owner.value}...) are not supported by the local "
                            f"U-SQL engine; use {family}.Csv(), {family}.Tsv() or {family}.Text()", owner.line)
        cur.expect_op(".")
        kind = cur.expect_ident(f"Csv, Tsv or Text after {family}.")
        if kind.value not in _DELIMITERS:
            raise UsqlError(f"{family}.{kind.value}() is not supported by the local U-SQL engine "
                            f"(supported: Csv, Tsv, Text)", kind.line)
        cur.expect_op("(")
        args: dict[str, tuple[Any, Token]] = {}
        while not cur.accept_op(")"):
            name = cur.expect_ident("a named argument (name: value)")
            cur.expect_op(":", f" after the argument name {name.value}")
            if name.value not in allowed:
                raise UsqlError(f"the argument {name.value} of {family}.{kind.value}() is not supported by the local "
                                "U-SQL engine", name.line)
            args[name.value] = (self.arg_value(), name)
            if not cur.accept_op(","):
                cur.expect_op(")", f" closing {family}.{kind.value}(...)")
                break
        return kind.value, args

    def arg_value(self) -> Any:
        cur = self.cur
        tok = cur.next()
        if tok.kind in ("string", "char"):
            return tok.value
        if tok.kind == "number":
            return int(tok.value) if tok.value.isdigit() else float(tok.value)
        if tok.kind == "ident" and tok.value in ("true", "false"):
            return tok.value == "true"
        if tok.kind == "ident" and tok.value == "Encoding" and cur.accept_op("."):
            return "Encoding." + cur.expect_ident("an encoding name").value
        if tok.kind == "var" and tok.value in self.plan.variables:
            return self.plan.variables[tok.value][0]
        raise UsqlError(f"unsupported argument value {describe(tok)}", tok.line)

    # -- SELECT ------------------------------------------------------------------------------
    def rowset(self, var: Token) -> str:
        if var.value not in self.rowsets:
            raise UsqlError(f"the rowset {var.value} is not defined before its use", var.line)
        return view_name(var.value)

    def select(self) -> tuple[str, Columns]:
        """``SELECT ... FROM ...`` (with joins, WHERE, GROUP BY, HAVING, ORDER BY/FETCH, UNION)."""
        cur = self.cur
        select_tok = cur.expect_kw("SELECT")
        distinct = "DISTINCT " if cur.accept_kw("DISTINCT") else ""
        cur.accept_kw("ALL")
        top = ""
        if cur.accept_kw("TOP"):
            top = f" LIMIT {cur.next().value}"
        items_at = cur.pos
        from_at = self._find_from(select_tok)
        cur.pos = from_at
        scope = Scope(variables=self.plan.variables, subquery=lambda c: self.select()[0])
        from_sql = self.from_clause(scope)
        after_from = cur.pos
        cur.pos = items_at
        items, columns = self.select_items(scope)
        cur.pos = after_from
        sql = f"SELECT {distinct}{items} FROM {from_sql}"
        if cur.accept_kw("WHERE"):
            sql += f" WHERE {parse_expression(cur, scope)[0]}"
        if cur.tok.is_kw("GROUP"):
            cur.next()
            cur.expect_kw("BY", " after GROUP")
            groups = [parse_expression(cur, scope)[0]]
            while cur.accept_op(","):
                groups.append(parse_expression(cur, scope)[0])
            sql += f" GROUP BY {', '.join(groups)}"
        if cur.accept_kw("HAVING"):
            sql += f" HAVING {parse_expression(cur, scope)[0]}"
        if cur.tok.is_kw("ORDER"):
            sql += " " + self.order_by(Scope(columns={**scope.columns, **columns}, aliases=scope.aliases,
                                             variables=self.plan.variables))
        sql += top
        if cur.tok.is_kw("UNION", "EXCEPT", "INTERSECT"):
            op = cur.next().value
            mode = cur.next().value if cur.tok.is_kw("ALL", "DISTINCT") else ""
            other, _ = self.select()
            sql = f"({sql}) {op} {mode} ({other})".replace("  ", " ")
        if cur.tok.is_kw("OPTION"):
            raise UsqlError("OPTION(...) hints are not supported by the local U-SQL engine", cur.tok.line)
        return sql, columns

    def _find_from(self, select_tok: Token) -> int:
        """The position of the FROM of this SELECT (at depth 0), for scoping the select list."""
        depth, pos, tokens = 0, self.cur.pos, self.cur.tokens
        while tokens[pos].kind != "eof":
            tok = tokens[pos]
            if tok.is_op("("):
                depth += 1
            elif tok.is_op(")"):
                depth -= 1
                if depth < 0:
                    break
            elif tok.is_op(";"):
                break
            elif depth == 0 and tok.is_kw("FROM"):
                return pos
            pos += 1
        raise UsqlError("SELECT without FROM is not supported by the local U-SQL engine (select from a rowset)",
                        select_tok.line)

    def from_clause(self, scope: Scope) -> str:
        cur = self.cur
        cur.expect_kw("FROM")
        sql = self.from_item(scope)
        while True:
            tok = cur.tok
            if tok.is_kw("CROSS") and cur.peek().is_kw("APPLY"):
                raise UsqlError("CROSS APPLY (EXPLODE) is not supported by the local U-SQL engine", tok.line)
            join = self.join_kind()
            if join is None:
                return sql
            item = self.from_item(scope)
            if join == "CROSS JOIN":
                sql += f" CROSS JOIN {item}"
                continue
            cur.expect_kw("ON", f" after {join} <rowset>")
            sql += f" {join} {item} ON {parse_expression(cur, scope)[0]}"

    def join_kind(self) -> str | None:
        cur = self.cur
        tok = cur.tok
        if tok.is_kw("JOIN"):
            cur.next()
            return "INNER JOIN"
        if tok.is_kw("INNER") and cur.peek().is_kw("JOIN"):
            cur.next(), cur.next()
            return "INNER JOIN"
        if tok.is_kw("CROSS") and cur.peek().is_kw("JOIN"):
            cur.next(), cur.next()
            return "CROSS JOIN"
        if tok.is_kw("LEFT", "RIGHT", "FULL"):
            side = cur.next().value
            if cur.accept_kw("SEMIJOIN"):
                return f"{'' if side == 'LEFT' else side + ' '}SEMI JOIN" if side == "LEFT" else self._bad_join(tok)
            if cur.accept_kw("ANTISEMIJOIN"):
                return "ANTI JOIN" if side == "LEFT" else self._bad_join(tok)
            cur.accept_kw("OUTER")
            cur.expect_kw("JOIN", f" after {side} [OUTER]")
            return f"{side} OUTER JOIN"
        if tok.is_kw("SEMIJOIN", "ANTISEMIJOIN"):
            cur.next()
            return "SEMI JOIN" if tok.value == "SEMIJOIN" else "ANTI JOIN"
        return None

    def _bad_join(self, tok: Token) -> str:
        raise UsqlError("RIGHT SEMIJOIN / ANTISEMIJOIN are not supported by the local U-SQL engine "
                        "(swap the rowsets and use LEFT)", tok.line)

    def from_item(self, scope: Scope) -> str:
        cur = self.cur
        tok = cur.tok
        if tok.kind == "var":
            cur.next()
            sql, columns, alias = self.rowset(tok), self.rowsets.get(tok.value, {}), tok.value.lstrip("@")
        elif tok.is_op("(") and cur.peek().is_kw("SELECT"):
            cur.next()
            sql, columns = self.select()
            cur.expect_op(")")
            sql, alias = f"({sql})", None
        elif tok.is_op("(") and cur.peek().is_kw("VALUES"):
            raise UsqlError("inline VALUES rowsets are not supported by the local U-SQL engine", tok.line)
        else:
            raise UsqlError(f"expected a rowset (@rows) or (SELECT ...) after FROM/JOIN, found {describe(tok)}",
                            tok.line)
        if cur.accept_kw("AS") or (cur.tok.kind == "ident" and cur.tok.value not in _CLAUSE_END):
            alias = cur.expect_ident("an alias").value
        if alias is None:
            raise UsqlError("a subquery in FROM needs an alias: (SELECT ...) AS name", tok.line)
        scope.aliases.add(alias)
        for name, short in columns.items():
            scope.columns.setdefault(name, short)
        return f"{sql} AS {quote_ident(alias)}"

    def select_items(self, scope: Scope) -> tuple[str, Columns]:
        cur = self.cur
        items, columns = [], {}
        while True:
            if cur.accept_op("*"):
                items.append("*")
                columns.update(scope.columns)
            elif cur.tok.kind == "ident" and cur.peek().is_op(".") and cur.peek(2).is_op("*"):
                alias = cur.next().value
                cur.next(), cur.next()
                items.append(f"{quote_ident(alias)}.*")
            else:
                start = cur.tok
                sql, short = parse_expression(cur, scope)
                name = None
                if cur.accept_kw("AS"):
                    if cur.tok.is_kw("FROM"):
                        raise UsqlError("expected a column alias after AS, found FROM", cur.tok.line)
                    name = cur.expect_ident("a column alias after AS").value
                elif start.kind == "ident" and sql.endswith(quote_ident(cur.tokens[cur.pos - 1].value)):
                    name = cur.tokens[cur.pos - 1].value
                items.append(sql if name is None else f"{sql} AS {quote_ident(name)}")
                if name is not None:
                    columns[name] = short
            if not cur.accept_op(","):
                break
        if not cur.tok.is_kw("FROM"):
            raise UsqlError(f"unexpected {describe(cur.tok)} in the SELECT list (missing a comma or AS?)",
                            cur.tok.line)
        return ", ".join(items), columns

    def order_by(self, scope: Scope) -> str:
        cur = self.cur
        cur.expect_kw("ORDER")
        cur.expect_kw("BY", " after ORDER")
        keys = []
        while True:
            sql, _ = parse_expression(cur, scope)
            direction = cur.accept_kw("ASC", "DESC")
            keys.append(sql + (f" {direction.value}" if direction else ""))
            if not cur.accept_op(","):
                break
        sql = "ORDER BY " + ", ".join(keys)
        if cur.accept_kw("OFFSET"):
            sql += f" OFFSET {cur.next().value}"
            cur.accept_kw("ROWS", "ROW")
        if cur.accept_kw("FETCH"):
            cur.accept_kw("FIRST", "NEXT")
            count = cur.next()
            if count.kind != "number":
                raise UsqlError(f"expected a row count after FETCH, found {describe(count)}", count.line)
            cur.accept_kw("ROWS", "ROW")
            cur.accept_kw("ONLY")
            sql += f" LIMIT {count.value}"
        return sql


def _encoding(value: Any, tok: Token) -> str:
    name = str(value).removeprefix("Encoding.")
    encoding = _ENCODINGS.get(name)
    if encoding is None:
        raise UsqlError(f"the encoding {value} is not supported by the local U-SQL engine (UTF8, ASCII, Unicode are)",
                        tok.line)
    return encoding
