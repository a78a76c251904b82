"""A Babel extraction method for the dashboard's labels: every t("key", …) and N_("key"), f-strings included.

Babel's own Python extractor reads tokens, so on Python 3.11 it misses a call inside an f-string and merges
`t("a" if x else "b", …)` into one bogus msgid; this one walks the syntax tree instead. babel.cfg names it.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO

MARKERS = ("t", "N_")


def _keys(node: ast.expr) -> Iterator[str]:
    """The string constants a key argument can be: a literal, or either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _keys(node.body)
        yield from _keys(node.orelse)


def extract_labels(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """(line, funcname, message, comments) per label key, as Babel's extraction interface expects."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS and node.args:
            for key in _keys(node.args[0]):
                yield node.lineno, node.func.id, key, []
