"""Files hplint cannot analyse: syntax errors, nesting too deep for libcst, rule failures.

Each becomes one ``HPL001`` finding, so a run over a repository reports the
file and goes on.
"""

from __future__ import annotations

import ast
import os
from typing import TYPE_CHECKING, Optional, Tuple

from hplint.core import memo
from hplint.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    import libcst as cst

    from hplint.engine.recovery import Region

SYNTAX_ERROR = "HPL001"


def parse_ast(source: str) -> Optional[ast.AST]:
    """``ast.parse`` without its warnings (user code is not ours to warn about), once per file."""
    return ast_result(source)[0]


def ast_result(source: str) -> Tuple[Optional[ast.AST], Optional[BaseException]]:
    """(tree, error) of ``ast.parse``: the prefilter, the rules' imports and the nesting check share one parse."""
    return memo.once("ast", source, _parse_ast)


def _parse_ast(source: str) -> Tuple[Optional[ast.AST], Optional[BaseException]]:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source), None
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return None, exc


def syntax_error(source: str, path: str, exc: "cst.ParserSyntaxError") -> Diagnostic:
    # CPython's own message is clearer than the grammar's; prefer it.
    _, err = ast_result(source)
    if isinstance(err, SyntaxError):
        line = err.lineno or 1
        col = max((err.offset or 1) - 1, 0)
        return syntax_diag(path, line, col, f"SyntaxError: {err.msg}")
    message = str(exc.message).strip().splitlines()[0] if getattr(exc, "message", None) else str(exc).splitlines()[0]
    return syntax_diag(path, exc.raw_line, max(exc.raw_column, 0), f"SyntaxError: {message}")


INTERNAL_ERROR = "internal error"
MAX_BRACKET_DEPTH = 200  # CPython's own limit ("too many nested parentheses")
MAX_EXPRESSION_DEPTH = 1000  # far beyond real code; libcst's native parser crashes near 1500
_LONG_LINE = 2000
_CHAIN_KEYWORDS = frozenset({"lambda", "not", "and", "or", "if", "else", "await", "yield", "in", "is"})


def internal_error(path: str, exc: Exception) -> Diagnostic:
    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    origin = f" at {os.path.basename(where.tb_frame.f_code.co_filename)}:{where.tb_lineno}" if where else ""
    message = f"{INTERNAL_ERROR} while analysing this file ({type(exc).__name__}: {exc}{origin}); please report it"
    return syntax_diag(path, 1, 0, message)


def nesting_problem(source: str) -> Optional[Tuple[int, str]]:
    """(line, message) when ``source`` is nested too deeply to hand to libcst.

    libcst's native parser overflows its stack (the process dies) near 1500
    nested brackets and takes minutes on chains of a few thousand operators.
    ``ast`` is a cheap C-speed first check; where it cannot decide (its own
    syntax errors, including newer syntax) or a line is huge, the tokens are
    counted: an upper bound of the expression depth per statement.
    """
    _, err = ast_result(source)
    if isinstance(err, (RecursionError, MemoryError)):
        return 1, "file too deeply nested to analyse"
    if isinstance(err, SyntaxError):
        if "too many nested parentheses" in str(err.msg):
            return err.lineno or 1, f"SyntaxError: {err.msg}"
        return _token_nesting(source)
    if isinstance(err, ValueError):
        return None  # e.g. NUL bytes: libcst reports it
    if any(len(line) > _LONG_LINE for line in source.splitlines()):
        return _token_nesting(source)
    return None


def _token_nesting(source: str) -> Optional[Tuple[int, str]]:
    import io
    import tokenize

    levels = [0]  # chain length at each open bracket level
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            kind, text = tok.type, tok.string
            if kind in (tokenize.NEWLINE, tokenize.ENDMARKER) or text == ";":
                levels = [0]
            elif text == ",":
                levels[-1] = 0
            elif text in "([{" and text:
                levels[-1] += 1
                levels.append(0)
                if len(levels) - 1 > MAX_BRACKET_DEPTH:
                    return tok.start[0], "SyntaxError: too many nested parentheses"
            elif text in ")]}" and text:
                if len(levels) > 1:
                    levels.pop()
            elif kind == tokenize.STRING or (kind == tokenize.OP and text not in ":=") or text in _CHAIN_KEYWORDS:
                levels[-1] += 1
            else:
                continue
            if sum(levels) > MAX_EXPRESSION_DEPTH:
                return tok.start[0], f"file too deeply nested to analyse (an expression over {MAX_EXPRESSION_DEPTH} levels deep)"
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # a real syntax error: libcst reports it
    return None


def syntax_diag(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(SYNTAX_ERROR, message, line, col, line, col, path=path, stmt_lines=(line, line))


def region_diagnostic(path: str, region: "Region") -> Diagnostic:
    """One ``HPL001`` for top-level code that did not parse while the rest did:
    at the parser's first error in it, spanning the region (no line numbers in
    the message, which a notebook's cells would renumber)."""
    if region.shift:
        columns = "1 column" if region.shift == 1 else f"{region.shift} columns"
        message = f"{region.message} (this code was analysed as if dedented by {columns}; the rest of the file as written)"
    elif region.tabs:
        message = f"{region.message} (this code was analysed with each tab of its indentation reaching the next multiple of 8 columns, as Python 2 read it)"
    elif region.repaired:
        count = "this statement was" if region.repaired == 1 else f"this and {region.repaired - 1} more top-level statements were"
        message = (
            f"{region.message} (Python 2 or IPython syntax: {count} analysed without their print, exec, except "
            "and raise statements and IPython shell (`!`) and magic (`%`) lines)"
        )
    else:
        skipped = "this line was" if region.size == 1 else f"the {region.size} lines of top-level code around it were"
        message = f"{region.message} ({skipped} not analysed; the rest of the file was)"
    return Diagnostic(
        SYNTAX_ERROR, message, region.line, region.col, region.last, region.end_col, path=path, stmt_lines=(region.first, region.last)
    )
