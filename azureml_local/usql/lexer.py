"""U-SQL tokens: identifiers, @variables, C# string/char literals, numbers, operators; comments skipped."""
from __future__ import annotations

import re
from dataclasses import dataclass

from azureml_local.usql import UsqlError


@dataclass(frozen=True)
class Token:
    kind: str   # ident | var | string | char | number | op | eof
    value: str
    line: int

    def is_kw(self, *words: str) -> bool:
        """A keyword match (U-SQL keywords are upper case; identifiers are case-sensitive)."""
        return self.kind == "ident" and self.value in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == "op" and self.value in ops


_OPS = ("==", "!=", "<=", ">=", "&&", "||", "??", "=>", "<>", "::",
        "(", ")", ",", ";", ".", "+", "-", "*", "/", "%", "<", ">", "=", "!", "?", ":", "[", "]", "{", "}")
_NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?[fFdDmMlLuU]{0,2}")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; ``UsqlError`` (with the line) for an unterminated literal or a stray character."""
    tokens: list[Token] = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise UsqlError("unterminated comment /* ... */", line)
            line += text.count("\n", i, end)
            i = end + 2
        elif c == '"' or (c == "@" and text.startswith('@"', i)):
            value, i2 = _string(text, i, line)
            tokens.append(Token("string", value, line))
            line += text.count("\n", i, i2)
            i = i2
        elif c == "'":
            value, i = _char(text, i, line)
            tokens.append(Token("char", value, line))
        elif c == "@":
            m = _IDENT.match(text, i + 1)
            if not m:
                raise UsqlError("'@' must start a variable name such as @rows", line)
            tokens.append(Token("var", "@" + m.group(0), line))
            i = m.end()
        elif c.isdigit():
            m = _NUMBER.match(text, i)
            tokens.append(Token("number", m.group(0), line))  # type: ignore[union-attr]
            i = m.end()  # type: ignore[union-attr]
        elif _IDENT.match(text, i):
            m = _IDENT.match(text, i)
            tokens.append(Token("ident", m.group(0), line))  # type: ignore[union-attr]
            i = m.end()  # type: ignore[union-attr]
        else:
            op = next((o for o in _OPS if text.startswith(o, i)), None)
            if op is None:
                raise UsqlError(f"unexpected character {c!r}", line)
            tokens.append(Token("op", op, line))
            i += len(op)
    tokens.append(Token("eof", "", line))
    return tokens


def _string(text: str, i: int, line: int) -> tuple[str, int]:
    """A C# string literal at ``i`` (``"..."`` with escapes, or verbatim ``@"..."`` with ``""``)."""
    if text[i] == "@":
        out, j = [], i + 2
        while j < len(text):
            if text[j] == '"':
                if text.startswith('""', j):
                    out.append('"')
                    j += 2
                    continue
                return "".join(out), j + 1
            out.append(text[j])
            j += 1
        raise UsqlError("unterminated string literal", line)
    out, j = [], i + 1
    while j < len(text) and text[j] != "\n":
        ch = text[j]
        if ch == '"':
            return "".join(out), j + 1
        if ch == "\\" and j + 1 < len(text):
            nxt = text[j + 1]
            if nxt not in _ESCAPES:
                raise UsqlError(f"unknown escape sequence \\{nxt} in a string literal", line)
            out.append(_ESCAPES[nxt])
            j += 2
            continue
        out.append(ch)
        j += 1
    raise UsqlError("unterminated string literal", line)


def _char(text: str, i: int, line: int) -> tuple[str, int]:
    m = re.compile(r"'(\\.|[^'\\\n])'").match(text, i)
    if not m:
        raise UsqlError("malformed char literal (write one character in single quotes, e.g. ',')", line)
    body = m.group(1)
    return (_ESCAPES.get(body[1], body[1]) if body.startswith("\\") else body), m.end()


class Cursor:
    """A position in a token list, with the helpers a recursive-descent parser needs."""

    def __init__(self, tokens: list[Token], pos: int = 0):
        self.tokens = tokens
        self.pos = pos

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def accept_kw(self, *words: str) -> Token | None:
        return self.next() if self.tok.is_kw(*words) else None

    def accept_op(self, *ops: str) -> Token | None:
        return self.next() if self.tok.is_op(*ops) else None

    def expect_kw(self, word: str, where: str = "") -> Token:
        if not self.tok.is_kw(word):
            raise UsqlError(f"expected {word}{where}, found {describe(self.tok)}", self.tok.line)
        return self.next()

    def expect_op(self, op: str, where: str = "") -> Token:
        if not self.tok.is_op(op):
            raise UsqlError(f"expected '{op}'{where}, found {describe(self.tok)}", self.tok.line)
        return self.next()

    def expect_ident(self, what: str = "a name") -> Token:
        if self.tok.kind != "ident":
            raise UsqlError(f"expected {what}, found {describe(self.tok)}", self.tok.line)
        return self.next()


def describe(tok: Token) -> str:
    if tok.kind == "eof":
        return "the end of the script"
    if tok.kind == "string":
        return f'the string "{tok.value}"'
    return f"'{tok.value}'"
