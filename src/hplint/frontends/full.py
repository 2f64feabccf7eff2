"""``--output-format full``: ruff's default layout, with the code and the fix.

    HPL206 [*] `suggest_loguniform` is deprecated ...
     --> train.py:5:10
      |
    3 | def objective(trial):
    4 |     # the learning rate
    5 |     lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)
      |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    6 |     return lr
      |
    help: use suggest_float
      |
    4 |     # the learning rate
      -     lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)
    5 +     lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    6 |     return lr
      |

Two lines of context around the finding, one around the fix; an unsafe fix
ends with a note.  Notebook findings and files whose text cannot be read
again show the header only.
"""

from __future__ import annotations

import difflib
from typing import List, Optional, Sequence

from hplint.core.diagnostics import Diagnostic
from hplint.engine.fixing import apply_edits
from hplint.frontends.addnoqa import split_lines
from hplint.frontends.rendering import RenderOptions, line_col, location

CONTEXT = 2
TAB = 4
MAX_SPAN_LINES = 8


def render_full(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    options = options or RenderOptions()
    return "".join(_one(d, options) + "\n" for d in diagnostics)


def _one(diag: Diagnostic, options: RenderOptions) -> str:
    mark = "[*] " if options.marked(diag) else ""
    out = [f"{diag.code} {mark}{diag.message}", f" --> {location(diag)}"]
    text = options.texts.get(diag.path) if diag.cell is None else None
    if text is None:
        return "\n".join(out) + "\n"
    lines = [content for content, _ in split_lines(text)]
    width = len(str(min(len(lines), max(diag.end_line, diag.line) + CONTEXT)))
    out += _snippet(diag, lines, width)
    if diag.fix is not None and not diag.fix_applied:
        out += _fix(diag, text, lines, width)
    return "\n".join(out) + "\n"


def _snippet(diag: Diagnostic, lines: List[str], width: int) -> List[str]:
    gutter = " " * width
    first = max(diag.line - CONTEXT, 1)
    last_span = min(diag.end_line, diag.line + MAX_SPAN_LINES - 1, len(lines))
    last = min(max(diag.end_line, diag.line) + CONTEXT, len(lines))
    out = [f"{gutter} |"]
    for number in range(first, last + 1):
        if last_span < number <= diag.end_line:
            if number == last_span + 1:
                out.append(f"{'.' * width} |")
            if number < diag.end_line:
                continue
        line = lines[number - 1]
        out.append(f"{number:>{width}} | {_expand(line)}".rstrip())
        if number == diag.line:
            start = len(_expand(line[: diag.col]))
            end = len(_expand(line[: diag.end_col])) if diag.end_line == diag.line else len(_expand(line))
            out.append(f"{gutter} | {' ' * start}{'^' * max(end - start, 1)}")
    if not out[-1].lstrip(" |").startswith("^"):
        out.append(f"{gutter} |")  # as ruff: a snippet that ends on its underline is not closed
    return out


def _fix(diag: Diagnostic, text: str, lines: List[str], width: int) -> List[str]:
    fix = diag.fix
    assert fix is not None
    out = [f"help: {fix.description}" if fix.description else "help: apply the fix"]
    if fix.edits:
        out += _fix_diff(text, lines, fix.edits, width)
    if not fix.is_safe:
        out.append("note: This is an unsafe fix and may change runtime behavior (--fix --unsafe-fixes applies it)")
    return out


def _fix_diff(text: str, lines: List[str], edits, width: int) -> List[str]:
    """The changed lines with one line of context, numbered as after the fix;
    compared only over the lines the edits touch."""
    fixed = [content for content, _ in split_lines(apply_edits(text, edits))]
    low = max(min(line_col(text, e.start)[0] for e in edits) - 1, 1)
    high = min(max(line_col(text, e.end)[0] for e in edits) + 1, len(lines))
    shift = len(fixed) - len(lines)
    width = max(width, len(str(high + shift)))
    before, after = lines[low - 1 : high], fixed[low - 1 : high + shift]
    gutter = " " * width
    out = [f"{gutter} |"]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for group in matcher.get_grouped_opcodes(1):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset in range(j2 - j1):
                    out.append(f"{low + j1 + offset:>{width}} | {_expand(after[j1 + offset])}".rstrip())
                continue
            for old in before[i1:i2]:
                out.append(f"{gutter} - {_expand(old)}".rstrip())
            for offset in range(j2 - j1):
                out.append(f"{low + j1 + offset:>{width}} + {_expand(after[j1 + offset])}".rstrip())
    out.append(f"{gutter} |")
    return out


def _expand(line: str) -> str:
    return line.expandtabs(TAB)
