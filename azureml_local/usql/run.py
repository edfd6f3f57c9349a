"""Run a translated U-SQL script on DuckDB (in this process) and write its outputs all or nothing.

Every OUTPUT is written to a hidden file beside its target; only when every statement succeeded are
they renamed into place, so a failing script leaves no output behind. Values are written the way the
U-SQL built-in outputters write them: strings in double quotes (``quoting: true``, the default),
nulls as empty fields, booleans as ``True``/``False``, rows ending in ``\\r\\n``.
"""
from __future__ import annotations

import datetime
import decimal
import os
import re
from typing import Any, Callable, Mapping

from azureml_local.usql import UsqlError
from azureml_local.usql.translate import Output, Plan, translate, view_name

_TEMPLATE = re.compile(r"@@([A-Za-z_][A-Za-z0-9_]*)@@")
_BATCH = 10_000


def substitute(text: str, values: Mapping[str, Any]) -> str:
    """The SDK's ``@@name@@`` templating: an input/output port name -> its path, a ``params`` key -> its value.

    An ``@@name@@`` that names nothing is an error (the job would otherwise read a literal path)."""
    def repl(m: re.Match) -> str:
        if m.group(1) not in values:
            line = text.count("\n", 0, m.start()) + 1
            raise UsqlError(f"@@{m.group(1)}@@ names no input, output or parameter of the step "
                            f"(known: {', '.join(sorted(values)) or 'none'})", line)
        return str(values[m.group(1)])
    return _TEMPLATE.sub(repl, text)


def run_script(text: str, log: Callable[[str], None] = lambda line: None) -> list[str]:
    """Translate (nothing runs on a translation error), run, then publish the outputs; returns their paths."""
    plan = translate(text)
    log(f"Translated {len(plan.views)} rowset(s) and {len(plan.outputs)} output(s) to DuckDB SQL.")
    return execute(plan, log)


def execute(plan: Plan, log: Callable[[str], None] = lambda line: None) -> list[str]:
    import duckdb  # heavy: only when a U-SQL job runs

    con = duckdb.connect(":memory:")
    written: list[tuple[str, str]] = []
    try:
        for view in plan.views:
            log(f"line {view.line}: {view.name} = {view.sql}")
            _run(con, f"CREATE TEMP VIEW {view_name(view.name)} AS {view.sql}", view.line)
        for out in plan.outputs:
            target = _target(out)
            temp = os.path.join(os.path.dirname(target) or ".", f".{os.path.basename(target)}.usql-partial")
            rows = _write(con, out, temp)
            written.append((temp, target))
            log(f"line {out.line}: OUTPUT {rows} row(s) -> {target}")
    except BaseException:
        for temp, _ in written:
            _remove(temp)
        raise
    finally:
        con.close()
    for temp, target in written:
        os.replace(temp, target)
    return [target for _, target in written]


def _run(con: Any, sql: str, line: int) -> Any:
    import duckdb

    try:
        return con.execute(sql)
    except duckdb.Error as exc:
        raise UsqlError(f"the statement failed: {str(exc).splitlines()[0]}", line) from None


def _target(out: Output) -> str:
    """The file an OUTPUT writes: its path, or ``<folder>/<folder name>`` when the path is a folder (a
    PipelineData output bound to a folder)."""
    path = out.path
    if os.path.isdir(path):
        path = os.path.join(path, os.path.basename(os.path.normpath(path)))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return path


def _write(con: Any, out: Output, temp: str) -> int:
    cursor = _run(con, out.sql, out.line)
    names = [d[0] for d in cursor.description]
    count = 0
    try:
        with open(temp, "w", encoding=out.encoding, newline="") as f:
            if out.header:
                f.write(out.delimiter.join(_quote(n, out) if out.quoting else n for n in names) + out.row_delimiter)
            while True:
                try:
                    batch = cursor.fetchmany(_BATCH)
                except Exception as exc:  # a failing cast in a row surfaces while fetching
                    raise UsqlError(f"the output failed: {str(exc).splitlines()[0]}", out.line) from None
                if not batch:
                    break
                f.writelines(out.delimiter.join(_text(v, out) for v in row) + out.row_delimiter for row in batch)
                count += len(batch)
    except BaseException:
        _remove(temp)
        raise
    return count


def _quote(text: str, out: Output) -> str:
    return '"' + text.replace('"', '""') + '"'


def _text(value: Any, out: Output) -> str:
    if value is None:
        return out.null_text
    if isinstance(value, str):
        return _quote(value, out) if out.quoting else value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
