"""``--add-noqa``: suppress today's findings in place, so only new ones fail.

As ruff's ``--add-noqa``: a ``# noqa: CODE`` goes on each line that has a
finding; codes join an existing ``# noqa:`` list on that line (sorted, as
ruff writes them), and a line that already has another comment keeps it, the
directive after it.  The line is the reported one, where flake8 reads it too:
flake8 reads a ``# noqa`` only on the physical lines of one token range
(a multi-line string, a backslash continuation), so when the reported line
ends inside a string or with a backslash the directive goes on the line where
that range ends, which still belongs to the statement hplint reads.  Nothing
inside a string is touched (positions come from the tokenizer), and running it
twice changes nothing: the second run has no findings left.  In a notebook
each directive goes into the finding's cell, read with its IPython lines masked
(a directive never lands on one), and only the changed cells' sources are
rewritten, as ``--fix`` rewrites them.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from hplint.core.diagnostics import Diagnostic
from hplint.core.noqa import CODE, NOQA, directive_codes
from hplint.sweeps.reader import is_sweep_path

_LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
NOT_SUPPRESSIBLE = ("HPL001", "HPL002")  # a file that cannot be parsed or read


@dataclass
class TokenLines:
    """Per line: whether a flake8 noqa range ends on it, and its comment."""

    ends: Set[int] = field(default_factory=set)
    comments: Dict[int, Tuple[int, int]] = field(default_factory=dict)  # line -> comment's columns


def split_lines(text: str) -> List[List[str]]:
    """[content, line ending] per line, for the endings the engine counts."""
    out = [[m.group(1), m.group(2)] for m in _LINES.finditer(text)]
    if len(out) > 1 and out[-1] == ["", ""]:
        out.pop()  # the empty match after the last line ending
    return out


def token_lines(text: str) -> Optional[TokenLines]:
    """None when the text does not tokenize (then nothing is added)."""
    normalized = "".join(content + "\n" for content, _ in split_lines(text))
    found = TokenLines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(normalized).readline):
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                found.ends.add(token.start[0])
            elif token.type == tokenize.COMMENT:
                found.comments[token.start[0]] = (token.start[1], token.end[1])
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return found


def noqa_line(diag: Diagnostic, tokens: TokenLines) -> Optional[int]:
    """The line a directive for ``diag`` goes on: the reported line, or where
    its token range ends; None if that is past the statement hplint reads."""
    first, last = diag.stmt_lines if diag.stmt_lines != (0, 0) else (diag.line, diag.end_line)
    last = max(last, diag.line)
    for line in range(diag.line, last + 1):
        if line in tokens.ends:
            return line
    return None


def add_noqa_to_text(
    text: str, diagnostics: Sequence[Diagnostic], tokens: Optional[TokenLines] = None
) -> Tuple[str, int, List[Diagnostic]]:
    """(new text, directives added or extended, findings no directive could cover)."""
    wanted = [d for d in diagnostics if d.code not in NOT_SUPPRESSIBLE]
    if not wanted:
        return text, 0, []
    tokens = tokens or token_lines(text)
    if tokens is None:
        return text, 0, list(wanted)
    by_line: Dict[int, Set[str]] = {}
    missed: List[Diagnostic] = []
    for diag in wanted:
        line = noqa_line(diag, tokens)
        if line is None:
            missed.append(diag)
        else:
            by_line.setdefault(line, set()).add(diag.code)
    lines = split_lines(text)
    changed = 0
    for number, codes in sorted(by_line.items()):
        if number > len(lines):
            missed.extend(d for d in wanted if d.code in codes)
            continue
        content = lines[number - 1][0]
        new = with_codes(content, tokens.comments.get(number), sorted(codes))
        if new != content:
            lines[number - 1][0] = new
            changed += 1
    return "".join(content + ending for content, ending in lines), changed, missed


def with_codes(content: str, comment: Optional[Tuple[int, int]], codes: List[str]) -> str:
    """``content`` (one line) with ``codes`` in its ``# noqa:`` directive."""
    if comment is not None:
        start, end = comment
        text = content[start:end]
        matches = list(NOQA.finditer(text))
        if any(m.group("codes") is None for m in matches):
            return content  # a blanket noqa already covers every code
        if matches:
            match = matches[0]
            existing = [c.upper() for c in CODE.findall(match.group(0).split(":", 1)[1])]
            new = [c for c in codes if not any(c.startswith(e) for e in existing)]
            if not new:
                return content
            rest = text[match.end():]
            directive = directive_codes(sorted(set(existing + new)))
            return content[:start] + text[: match.start()] + directive + (" " + rest if rest else "") + content[end:]
    return content.rstrip(" \t") + "  " + directive_codes(codes)


@dataclass
class AddNoqaReport:
    added: int = 0
    missed: List[Diagnostic] = field(default_factory=list)  # no line could take a directive
    skipped: List[str] = field(default_factory=list)  # files not edited, with the reason
    errors: List[Diagnostic] = field(default_factory=list)  # HPL001 / HPL002


def add_noqa_to_files(paths: Sequence[str], configs, findings: Dict[str, List[Diagnostic]]) -> AddNoqaReport:
    """Edit every file of ``paths`` that ``findings`` (a first, possibly
    cached, run) says has findings; each is linted again from the text that is
    then written, so a file changed since is never edited from stale positions."""
    from hplint.frontends.files import SourceError, read_source, write_source
    from hplint.frontends.runner import Mode, check_source

    report = AddNoqaReport()
    for path in paths:
        found = findings.get(path, [])
        report.errors.extend(d for d in found if d.code in NOT_SUPPRESSIBLE)
        if not any(d.code not in NOT_SUPPRESSIBLE for d in found):
            continue
        if path.endswith(".ipynb"):
            _add_noqa_to_notebook(path, configs[path], report)
            continue
        if is_sweep_path(path):
            _add_noqa_to_sweep(path, configs[path], report)
            continue
        try:
            source = read_source(path)
        except SourceError as exc:
            report.skipped.append(f"{path}: {exc}")
            continue
        tokens = token_lines(source.text)
        if tokens is None:
            report.skipped.append(f"{path}: does not tokenize, so no line is known to take a directive")
            continue
        outcome = check_source(source, configs[path], Mode(), write=False)
        new_text, added, missed = add_noqa_to_text(source.text, outcome.diagnostics, tokens)
        report.missed.extend(missed)
        if added == 0:
            continue
        try:
            write_source(source, new_text)
        except SourceError as exc:
            report.skipped.append(f"{path}: {exc}")
            continue
        report.added += added
    return report


def _add_noqa_to_sweep(path: str, config, report: AddNoqaReport) -> None:
    """A W&B sweep file: YAML takes ``# noqa`` on the finding's line (written
    only if the file still parses and the findings are gone); JSON has no
    comments, so nothing is written there."""
    from hplint.frontends.files import SourceError, write_source
    from hplint.frontends.runner import Mode, check_source
    from hplint.frontends.sweepfiles import read_sweep
    from hplint.sweeps.lint import lint_sweep, noqa_lines

    source = read_sweep(path)
    if source is None:
        return
    if path.lower().endswith(".json"):
        report.skipped.append(f"{path}: JSON has no comments; use per-file-ignores in [tool.hplint]")
        return
    found = [d for d in check_source(source, config, Mode(), write=False).diagnostics if d.code not in NOT_SUPPRESSIBLE]
    ends, comments = noqa_lines(source.text, found)
    new_text, added, missed = add_noqa_to_text(source.text, found, TokenLines(ends, comments))
    if added == 0:
        return
    if any(d.code not in NOT_SUPPRESSIBLE for d in lint_sweep(new_text, path, config)):
        report.skipped.append(f"{path}: a directive would not parse as a YAML comment there; not edited")
        return
    try:
        write_source(source, new_text)
    except SourceError as exc:
        report.skipped.append(f"{path}: {exc}")
        return
    report.missed.extend(missed)
    report.added += added


def _add_noqa_to_notebook(path: str, config, report: AddNoqaReport) -> None:
    """Directives per cell, from findings computed on the text then written."""
    from hplint.frontends.files import SourceError, read_source, write_source
    from hplint.frontends.notebooks import NotebookError, lint_cells, mask_cell, parse_notebook, rewrite

    try:
        notebook = parse_notebook(read_source(path))
    except (SourceError, NotebookError) as exc:
        report.skipped.append(f"{path}: {exc}")
        return
    by_cell: Dict[int, List[Diagnostic]] = {}
    for diag in lint_cells(notebook.cells, path, config):
        if diag.code not in NOT_SUPPRESSIBLE and diag.cell:
            by_cell.setdefault(diag.cell, []).append(diag)
    changed: Dict[int, str] = {}
    added = 0
    for cell in notebook.cells:
        found = by_cell.get(cell.number)
        if not found:
            continue
        mask = mask_cell(cell.text)
        tokens = token_lines(mask.text)
        if tokens is None:
            report.missed.extend(found)
            continue
        for line in mask.lines:  # an IPython line never takes a directive
            tokens.ends.discard(line)
        new_text, count, missed = add_noqa_to_text(cell.text, found, tokens)
        report.missed.extend(missed)
        if count:
            changed[cell.index] = new_text
            added += count
    if not changed:
        return
    try:
        write_source(notebook.source, rewrite(notebook, changed))
    except (SourceError, NotebookError) as exc:
        report.skipped.append(f"{path}: {exc}")
        return
    report.added += added
