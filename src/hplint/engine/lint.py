"""``lint_source`` and ``fix_source``: what every front end calls.

One parse per file, every enabled rule in one libcst traversal, the
prefilter before any libcst parse, positions only for files with findings.
The CLI, the flake8 plugin, notebooks and the server all go through here, so
they cannot disagree.  A file libcst cannot parse is linted in the top-level
statements that do parse, after that parse has failed (``engine.recovery``).
"""

from __future__ import annotations

import ast
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Type, Union

from hplint.core import memo
from hplint.core.config import Config
from hplint.core.context import RuleContext
from hplint.core.diagnostics import Diagnostic, Edit
from hplint.core.noqa import is_suppressed
from hplint.core.registry import all_rules
from hplint.core.rule import Rule
from hplint.engine import traversal
from hplint.engine.fixing import Document, apply_edits, fix_document
from hplint.engine.import_edits import import_clash
from hplint.engine.positions import NEWLINE, resolve
from hplint.engine.recovery import recover
from hplint.engine.reparse import Reparser
from hplint.engine.syntax import SYNTAX_ERROR, internal_error, nesting_problem, parse_ast, region_diagnostic, syntax_diag, syntax_error
from hplint.engine.tidy import leftover_edits
from hplint.prefilter.select import candidate_rules
from hplint.reading.names import Outside

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

__all__ = ["SYNTAX_ERROR", "FixResult", "fix_source", "lint_source", "rules_for", "source_parses"]

_BOM = "\ufeff"


def rules_for(config: Config, path: Optional[str] = None) -> List[Type[Rule]]:
    enabled = config.enabled_codes(path)
    return [rule for rule in all_rules() if rule.code in enabled]


def lint_source(
    source: str,
    path: str = "<stdin>",
    config: Optional[Config] = None,
    tree: Optional[ast.AST] = None,
    reparser: Optional[Reparser] = None,
) -> List[Diagnostic]:
    """All findings for one file's source text, sorted, noqa applied.

    ``tree``: the ``ast`` of ``source`` when the caller has it (flake8), for
    the prefilter's second stage.  ``reparser``: the one the caller keeps for
    this file across edits (the server), so unchanged statements are not parsed again.
    """
    config = config or Config()
    with memo.file_scope(reparser.carry if reparser is not None else None), _no_garbage_collection():
        if reparser is not None and tree is None and not source.startswith(_BOM):
            return _lint_edited(source, path, config, reparser)
        return _lint(source, path, config, tree, reparser)


def _lint_edited(source: str, path: str, config: Config, reparser: Reparser) -> List[Diagnostic]:
    """A document linted after each edit: only the statements the edit can
    reach, the last version's findings for the rest (``engine.incremental``)."""

    unparsed: List[_Unparsed] = []

    def linter(text: str, outside: Optional[Outside], whole: str) -> Optional[List[Diagnostic]]:
        if outside is None:
            found = _lint_text(text, 0, path, config, None, reparser, noqa=False)
        else:
            with memo.file_scope():
                memo.seed("outside", None, outside)
                found = _lint_text(text, 0, path, config, noqa=False, file_text=whole)
        if isinstance(found, _Unparsed):
            unparsed.append(found)
            return None
        return found

    found = reparser.incremental.lint(source, (config, path), linter, lambda: parse_ast(source))
    if found is None:
        return _lint_recovered(source, 0, path, config, unparsed[-1].diagnostic) if unparsed else _lint(source, path, config)
    return _unsuppressed(found, source, config)


def _unsuppressed(diagnostics: List[Diagnostic], source: str, config: Config) -> List[Diagnostic]:
    """Without the findings a noqa comment suppresses, sorted."""
    if not config.disable_noqa:
        lines = NEWLINE.split(source)
        diagnostics = [d for d in diagnostics if not is_suppressed(d, lines)]
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """libcst builds millions of objects for a big file and frees them by
    reference counting; a collection pass every few hundred allocations
    made parsing grow faster than the file (a 10 MB file: 40 s, 19 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lint(
    source: str, path: str, config: Config, tree: Optional[ast.AST] = None, reparser: Optional[Reparser] = None
) -> List[Diagnostic]:
    offset = 0
    if source.startswith(_BOM):
        source, offset = source[1:], 1
    if tree is not None:
        memo.seed("ast", source, (tree, None))
    found = _lint_text(source, offset, path, config, tree, reparser)
    if isinstance(found, _Unparsed):
        return _lint_recovered(source, offset, path, config, found.diagnostic)
    return found


@dataclass
class _Unparsed:
    """libcst could not parse the text; ``diagnostic`` is the file's one ``HPL001``."""

    diagnostic: Diagnostic


def _lint_text(
    source: str,
    offset: int,
    path: str,
    config: Config,
    tree: Optional[ast.AST] = None,
    reparser: Optional[Reparser] = None,
    noqa: bool = True,
    file_text: Optional[str] = None,
) -> Union[List[Diagnostic], _Unparsed]:
    """``noqa``: leave out what noqa comments suppress (and sort).  ``file_text``:
    the whole file, where ``source`` holds some of its statements (``engine.incremental``)."""
    rules = candidate_rules(source, rules_for(config, path), config, tree)
    if not rules:
        return []
    too_complex = nesting_problem(source)
    if too_complex is not None:
        return [syntax_diag(path, too_complex[0], 0, too_complex[1])]
    try:
        module = reparser.parse(source) if reparser is not None else cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return _Unparsed(syntax_error(source, path, exc))
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        return [syntax_diag(path, 1, 0, f"cannot parse: {type(exc).__name__}: {exc}")]
    ctx = RuleContext(source, path, module, config, parse_ast(source), file_text)
    try:
        traversal.visit_batched(module, [rule(ctx) for rule in rules])
        if not ctx.reports:
            return []
        diagnostics = resolve(ctx, offset)
    except RecursionError:
        return [syntax_diag(path, 1, 0, "file too deeply nested to analyse")]
    except Exception as exc:  # a rule's bug must not stop the run over a repository
        return [internal_error(path, exc)]
    finally:
        ctx.release()
    return _unsuppressed(diagnostics, source, config) if noqa else diagnostics


def _lint_recovered(source: str, offset: int, path: str, config: Config, whole: Diagnostic) -> List[Diagnostic]:
    """A file libcst cannot parse: lint its top-level statements that parse
    (``engine.recovery``), one ``HPL001`` per region that does not.

    Findings there carry no fix: a file that does not parse is often one being
    edited, and ``--fix`` never rewrites it.  Where nothing parses, or the
    parseable part does not parse as a whole, the file's one ``HPL001`` stands.
    """
    recovery = recover(source)
    if recovery is None:
        return [whole]
    found = _lint_text(recovery.text, offset, path, config)
    if isinstance(found, _Unparsed):
        return [whole]
    diagnostics = [_shifted(replace(d, fix=None), recovery.shifts) for d in found] + [region_diagnostic(path, r) for r in recovery.regions]
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics


def _shifted(diag: Diagnostic, shifts) -> Diagnostic:
    """A finding on lines read dedented (``engine.recovery``), at its columns in the file."""
    for first, last, columns in shifts:
        if first <= diag.line <= last:
            end_col = diag.end_col + columns if first <= diag.end_line <= last else diag.end_col
            return replace(diag, col=diag.col + columns, end_col=end_col)
    return diag


def source_parses(source: str) -> bool:
    """Whether fixed text is still Python: CPython's parser (a fraction of
    libcst's cost), and libcst's where syntax newer than the running Python
    (which libcst reads) is beyond CPython's."""
    import warnings

    text = source[1:] if source.startswith(_BOM) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<fixed>", "exec", ast.PyCF_ONLY_AST)
        return True
    except SyntaxError:
        pass
    except Exception:  # any other parser failure means: do not write this
        return False
    try:
        cst.parse_module(text)
    except Exception:
        return False
    return True


# ---------------------------------------------------------------------------
# fixing a file


class SourceDocument(Document):
    """One file's text."""

    def __init__(self, text: str, path: str, config: Config) -> None:
        self.text = text
        self.path = path
        self.config = config

    def lint(self) -> List[Diagnostic]:
        return lint_source(self.text, self.path, self.config)

    def apply(self, edits: Sequence[Edit]) -> "SourceDocument":
        return SourceDocument(apply_edits(self.text, edits), self.path, self.config)

    def leftovers(self, original: Document) -> List[Edit]:
        return leftover_edits(original.text, self.text)

    def clashes(self, before: Document) -> bool:
        return import_clash(before.text, self.text)

    def parses(self) -> bool:
        return source_parses(self.text)


@dataclass
class FixResult:
    """The fixed text, the findings fixed, and those left (on the fixed text)."""

    source: str
    fixed: List[Diagnostic] = field(default_factory=list)
    remaining: List[Diagnostic] = field(default_factory=list)
    rounds: int = 0
    refused: List[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def fix_source(source: str, path: str = "<stdin>", config: Optional[Config] = None, unsafe: bool = False) -> FixResult:
    """Apply fixes until none is left; see ``engine.fixing``."""
    run = fix_document(SourceDocument(source, path, config or Config()), unsafe)
    return FixResult(run.document.text, run.fixed, run.remaining, run.rounds, run.refused)
