"""Tokens and their line numbers; malformed literals fail with the line."""
from __future__ import annotations

import pytest

from azureml_local.usql import UsqlError
from azureml_local.usql.lexer import tokenize


def kinds(text: str) -> list[tuple[str, str, int]]:
    return [(t.kind, t.value, t.line) for t in tokenize(text)][:-1]


def test_tokens_with_lines_and_comments_skipped():
    text = 'DECLARE @x string = "a\\tb"; // comment\n/* block\n comment */ @r = SELECT a==b, c!=d && e||f;'
    toks = kinds(text)
    assert toks[:5] == [("ident", "DECLARE", 1), ("var", "@x", 1), ("ident", "string", 1), ("op", "=", 1),
                        ("string", "a\tb", 1)]
    assert ("var", "@r", 3) in toks
    assert [v for k, v, _ in toks if k == "op"][-6:] == ["==", ",", "!=", "&&", "||", ";"]


def test_verbatim_string_char_and_numbers():
    toks = kinds('@"C:\\in ""x"".csv" \',\' 12 3.5 2e3 10L 4.5m')
    assert toks == [("string", 'C:\\in "x".csv', 1), ("char", ",", 1), ("number", "12", 1), ("number", "3.5", 1),
                    ("number", "2e3", 1), ("number", "10L", 1), ("number", "4.5m", 1)]


@pytest.mark.parametrize("text, message, line", [
    ('@r = SELECT "abc\nFROM @x;', "unterminated string literal", 1),
    ("\n\n/* never closed", "unterminated comment", 3),
    ("\n@r = SELECT a # b;", "unexpected character '#'", 2),
    ('x = "\\q";', "unknown escape sequence", 1),
    ("\n\n'ab'", "malformed char literal", 3),
    ("@ x", "'@' must start a variable name", 1),
])
def test_lexical_errors_name_the_line(text, message, line):
    with pytest.raises(UsqlError) as info:
        tokenize(text)
    assert info.value.line == line and message in str(info.value)
    assert str(info.value).startswith(f"U-SQL error at line {line}: ")
