"""The core every front end calls: ``lint_source`` and ``fix_source``.

One parse per file, every enabled rule in one libcst traversal, a text
prefilter per rule before any parsing, positions only for files with
findings.  The CLI, the flake8 plugin and the notebook reader all go through
here, so they cannot disagree.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence, Tuple, Type

from hplint.core import memo
from hplint.engine import traversal
from hplint.prefilter.astindex import unix_newlines
from hplint.core.config import Config
from hplint.core.context import NodeEdit, PendingFix, RuleContext
from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.core.noqa import is_suppressed
from hplint.core.rule import Rule, all_options, all_rules

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

SYNTAX_ERROR = "HPL001"
MAX_FIX_ROUNDS = 10
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"
# Off only to prove prefilters sound: a run without them must report the same.
PREFILTER = os.environ.get("HPLINT_NO_PREFILTER", "") == ""


def rules_for(config: Config, path: Optional[str] = None) -> List[Type[Rule]]:
    enabled = config.enabled_codes(path)
    return [rule for rule in all_rules() if rule.code in enabled]


def candidate_rules(
    source: str, rules: Sequence[Type[Rule]], config: Optional[Config] = None, tree: Optional[ast.AST] = None
) -> List[Type[Rule]]:
    """The rules whose text prefilter matches: the rest cannot fire here.

    Prefilters know the built-in vocabulary only; a name the user added in
    config may stand where a built-in one would, so it admits every rule.
    Text stages see ``\n`` line ends only (a lone ``\r`` ends a line too).
    """
    if not PREFILTER or (config is not None and _mentions_user_names(source, config)):
        return list(rules)
    customised = _customised_rules(rules, config)
    text = unix_newlines(source)
    return _ast_stage(source, [rule for rule in rules if rule in customised or rule.wants(text)], tree, customised)


def _customised_rules(rules: Sequence[Type[Rule]], config: Optional[Config]) -> Sequence[Type[Rule]]:
    """Rules with an option set away from its default: their prefilters only
    know the defaults (say, the default interaction pairs), so they always run."""
    if config is None or not config.options:
        return ()
    changed = {name for name, value in config.options if all_options()[name].default != value}
    return [rule for rule in rules if any(opt.name in changed for opt in rule.options)]


def _ast_stage(
    source: str, rules: List[Type[Rule]], tree: Optional[ast.AST], keep: Sequence[Type[Rule]] = ()
) -> List[Type[Rule]]:
    """A finer, still cheap second stage for rules with an ``ast_wants(tree)`` classmethod.

    One ``ast`` parse (about 8x cheaper than libcst's) is shared by all of
    them; the flake8 plugin hands in the tree flake8 already built.  Source
    ``ast`` cannot parse keeps every rule, so libcst reports the error.
    """
    staged = [rule for rule in rules if rule not in keep and callable(getattr(rule, "ast_wants", None))]
    if not staged:
        return rules
    if tree is None:
        tree = parse_ast(source)
        if tree is None:
            return rules
    return [rule for rule in rules if rule not in staged or rule.ast_wants(tree)]


def parse_ast(source: str) -> Optional[ast.AST]:
    """``ast.parse`` without its warnings (user code is not ours to warn about)."""
    return _ast_result(source)[0]


def _ast_result(source: str) -> Tuple[Optional[ast.AST], Optional[BaseException]]:
    """(tree, error) of ``ast.parse``: the prefilter and the nesting check share one parse."""
    return memo.once("ast", source, _parse_ast)


def _parse_ast(source: str) -> Tuple[Optional[ast.AST], Optional[BaseException]]:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source), None
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return None, exc


def _mentions_user_names(source: str, config: Config) -> bool:
    vocab = config.vocabulary
    extra = vocab.extra_log_names | vocab.extra_batch_names | vocab.extra_linear_names
    if not extra:
        return False
    folded = source.lower()
    # names are stored normalized (snake_case): match camelCase spellings too
    return any(name in folded or name.replace("_", "") in folded for name in extra)


def lint_source(
    source: str, path: str = "<stdin>", config: Optional[Config] = None, tree: Optional[ast.AST] = None
) -> List[Diagnostic]:
    """All findings for one file's source text, sorted, noqa applied.

    ``tree``: the ``ast`` of ``source`` when the caller has it (flake8), for
    the prefilter's second stage.
    """
    config = config or Config()
    with memo.file_scope():
        return _lint(source, path, config, tree)[0]


def _lint(source: str, path: str, config: Config, tree: Optional[ast.AST] = None) -> Tuple[List[Diagnostic], bool]:
    """Findings, and whether the file was parsed at all."""
    offset = 0
    if source.startswith(_BOM):
        source, offset = source[1:], 1
    if tree is not None:
        memo.seed("ast", source, (tree, None))
    rules = candidate_rules(source, rules_for(config, path), config, tree)
    if not rules:
        return [], False
    too_complex = nesting_problem(source)
    if too_complex is not None:
        return [_syntax_diag(path, too_complex[0], 0, too_complex[1])], True
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return [_syntax_error(source, path, exc)], True
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        return [_syntax_diag(path, 1, 0, f"cannot parse: {type(exc).__name__}: {exc}")], True
    try:
        wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
        ctx = RuleContext(source, path, module, wrapper, config)
        visitors = [rule(ctx) for rule in rules]
        traversal.visit_batched(module, visitors)
        if not ctx.reports:
            return [], True
        diagnostics = _resolve(ctx, offset)
    except RecursionError:
        return [_syntax_diag(path, 1, 0, "file too deeply nested to analyse")], True
    except Exception as exc:  # a rule's bug must not stop the run over a repository
        return [_internal_error(path, exc)], True
    if not config.disable_noqa:
        lines = _NEWLINE.split(source)
        diagnostics = [d for d in diagnostics if not is_suppressed(d, lines)]
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics, True


def _syntax_error(source: str, path: str, exc: cst.ParserSyntaxError) -> Diagnostic:
    # CPython's own message is clearer than the grammar's; prefer it.
    _, err = _ast_result(source)
    if isinstance(err, SyntaxError):
        line = err.lineno or 1
        col = max((err.offset or 1) - 1, 0)
        return _syntax_diag(path, line, col, f"SyntaxError: {err.msg}")
    message = str(exc.message).strip().splitlines()[0] if getattr(exc, "message", None) else str(exc).splitlines()[0]
    return _syntax_diag(path, exc.raw_line, max(exc.raw_column, 0), f"SyntaxError: {message}")


INTERNAL_ERROR = "internal error"
MAX_BRACKET_DEPTH = 200  # CPython's own limit ("too many nested parentheses")
MAX_EXPRESSION_DEPTH = 1000  # far beyond real code; libcst's native parser crashes near 1500
_LONG_LINE = 2000
_CHAIN_KEYWORDS = frozenset({"lambda", "not", "and", "or", "if", "else", "await", "yield", "in", "is"})


def _internal_error(path: str, exc: Exception) -> Diagnostic:
    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    origin = f" at {os.path.basename(where.tb_frame.f_code.co_filename)}:{where.tb_lineno}" if where else ""
    message = f"{INTERNAL_ERROR} while analysing this file ({type(exc).__name__}: {exc}{origin}); please report it"
    return _syntax_diag(path, 1, 0, message)


def nesting_problem(source: str) -> Optional[Tuple[int, str]]:
    """(line, message) when ``source`` is nested too deeply to hand to libcst.

    libcst's native parser overflows its stack (the process dies) near 1500
    nested brackets and takes minutes on chains of a few thousand operators.
    ``ast`` is a cheap C-speed first check; where it cannot decide (its own
    syntax errors, including newer syntax) or a line is huge, the tokens are
    counted: an upper bound of the expression depth per statement.
    """
    _, err = _ast_result(source)
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


def _syntax_diag(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(SYNTAX_ERROR, message, line, col, line, col, path=path, stmt_lines=(line, line))


# ---------------------------------------------------------------------------
# positions


class _Offsets:
    """(line, column) -> string offset, for one source text."""

    def __init__(self, source: str, shift: int = 0) -> None:
        starts = [0]
        for match in _NEWLINE.finditer(source):
            starts.append(match.end())
        self.starts = starts
        self.source = source
        self.shift = shift

    def at(self, line: int, col: int) -> int:
        line = min(max(line, 1), len(self.starts))
        return self.starts[line - 1] + col

    def line_start(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]

    def next_line_start(self, line: int) -> int:
        if line < len(self.starts):
            return self.starts[line]
        return len(self.source)

    def indentation(self, line: int) -> str:
        start = self.line_start(line)
        text = self.source[start:]
        return text[: len(text) - len(text.lstrip(" \t"))]


def _resolve(ctx: RuleContext, shift: int) -> List[Diagnostic]:
    positions = ctx.wrapper.resolve(cst.metadata.PositionProvider)
    offsets = _Offsets(ctx.source, shift)
    newline = _detect_newline(ctx.source)
    out: List[Diagnostic] = []
    for rep in ctx.reports:
        rng = positions.get(rep.node)
        if rng is None:
            continue
        line, col = rng.start.line, rng.start.column
        end_line, end_col = rng.end.line, rng.end.column
        if isinstance(rep.node, cst.BaseCompoundStatement):
            end_line, end_col = _header_end(rep.node, positions, offsets, line)
        stmt = _statement_lines(ctx, rep.node, positions, offsets)
        fix = None
        if rep.fix is not None:
            fix = _resolve_fix(ctx, rep.fix, positions, offsets, newline)
        out.append(
            Diagnostic(
                code=rep.code,
                message=rep.message,
                line=line,
                col=col,
                end_line=end_line,
                end_col=end_col,
                fix=fix,
                path=ctx.path,
                stmt_lines=stmt,
            )
        )
    return out


def _header_end(node, positions, offsets: _Offsets, start_line: int) -> Tuple[int, int]:
    """A compound statement is reported on its header, not its whole body."""
    body = getattr(node, "body", None)
    first = None
    if isinstance(body, cst.IndentedBlock) and body.body:
        first = positions.get(body.body[0])
    if first is None:
        return start_line, len(_line_text(offsets, start_line))
    line = max(first.start.line - 1, start_line)
    return line, len(_line_text(offsets, line))


def _line_text(offsets: _Offsets, line: int) -> str:
    start = offsets.line_start(line)
    end = offsets.next_line_start(line)
    return offsets.source[start:end].rstrip("\r\n")


def _statement_lines(ctx: RuleContext, node, positions, offsets: _Offsets) -> Tuple[int, int]:
    current = node
    while current is not None:
        if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            rng = positions.get(current)
            if rng is None:
                break
            if isinstance(current, cst.BaseCompoundStatement):
                end, _ = _header_end(current, positions, offsets, rng.start.line)
                return rng.start.line, end
            return rng.start.line, rng.end.line
        current = ctx.parent(current)
    rng = positions.get(node)
    return (rng.start.line, rng.end.line) if rng is not None else (0, 0)


def _detect_newline(source: str) -> str:
    match = _NEWLINE.search(source)
    return match.group(0) if match else "\n"


def _resolve_fix(ctx: RuleContext, fix: PendingFix, positions, offsets: _Offsets, newline: str) -> Optional[Fix]:
    edits: List[Edit] = []
    for pending in fix.edits:
        edit = _resolve_edit(ctx, pending, positions, offsets)
        if edit is None:
            return None
        text = edit.text.replace("\n", newline) if newline != "\n" else edit.text
        edits.append(Edit(edit.start + offsets.shift, edit.end + offsets.shift, text))
    if not edits:
        return None
    unique = list(dict.fromkeys(edits))  # stable: never depends on hashing
    return Fix(fix.safety, tuple(sorted(unique, key=lambda e: (e.start, e.end))), fix.description)


def _resolve_edit(ctx: RuleContext, pending: NodeEdit, positions, offsets: _Offsets) -> Optional[Edit]:
    if pending.kind == "import":
        return _import_edit(ctx, pending.text, positions, offsets)
    rng = positions.get(pending.node)
    if rng is None:
        return None
    if pending.kind == "replace":
        text = pending.text
        if isinstance(text, cst.CSTNode):
            text = _render(ctx, text, pending.node, positions, offsets)
        return Edit(offsets.at(rng.start.line, rng.start.column), offsets.at(rng.end.line, rng.end.column), text)
    indent = offsets.indentation(rng.start.line)
    lines = [indent + line if line else line for line in pending.text.split("\n")]
    if pending.kind == "before-lines":
        at = offsets.line_start(rng.start.line)
        return Edit(at, at, "\n".join(lines) + "\n")
    if pending.kind == "after-lines":
        end_line = rng.end.line
        if isinstance(pending.node, cst.BaseCompoundStatement):
            end_line = _last_line(pending.node, positions, rng.end.line)
        at = offsets.next_line_start(end_line)
        prefix = "" if at == 0 or offsets.source[at - 1 : at] in ("\n", "\r") else "\n"
        return Edit(at, at, prefix + "\n".join(lines) + "\n")
    raise ValueError(f"unknown edit kind {pending.kind}")


def _render(ctx: RuleContext, new: cst.CSTNode, anchor: cst.CSTNode, positions, offsets: _Offsets) -> str:
    """Code for ``new`` as if it stood where ``anchor`` stands (same indentation)."""
    from libcst._nodes.internal import CodegenState

    line = _statement_lines(ctx, anchor, positions, offsets)[0] or positions[anchor].start.line
    state = CodegenState(default_indent=ctx.module.default_indent, default_newline="\n")
    indent = offsets.indentation(line)
    if indent:
        state.indent_tokens.append(indent)
    new._codegen(state)
    text = "".join(state.tokens)
    if isinstance(new, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        # a statement renders with its indentation and its newline; the span it
        # replaces (the old statement's position) has neither
        if indent and text.startswith(indent):
            text = text[len(indent):]
        if text.endswith("\n"):
            text = text[:-1]
    return text


def _last_line(node, positions, default: int) -> int:
    rng = positions.get(node)
    return rng.end.line if rng is not None else default


def _import_edit(ctx: RuleContext, statement: str, positions, offsets: _Offsets) -> Optional[Edit]:
    """Insert ``statement`` once, after the file's leading import block."""
    body = ctx.module.body
    anchor = None
    for index, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and stmt.body:
            first = stmt.body[0]
            if isinstance(first, (cst.Import, cst.ImportFrom)):
                anchor = stmt
                continue
            if index == 0 and isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
                anchor = stmt  # module docstring
                continue
        break
    if anchor is None:
        if not body:
            at = len(ctx.source)
            prefix = "" if not ctx.source or ctx.source.endswith(("\n", "\r")) else "\n"
            return Edit(at, at, prefix + statement + "\n")
        rng = positions.get(body[0])
        if rng is None:
            return None
        at = offsets.line_start(rng.start.line)
        return Edit(at, at, statement + "\n")
    rng = positions.get(anchor)
    if rng is None:
        return None
    at = offsets.next_line_start(rng.end.line)
    prefix = "" if at == 0 or ctx.source[at - 1 : at] in ("\n", "\r") else "\n"
    return Edit(at, at, prefix + statement + "\n")


# ---------------------------------------------------------------------------
# fixing


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


def fixable(diag: Diagnostic, unsafe: bool) -> bool:
    return diag.fix is not None and (diag.fix.is_safe or unsafe)


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply edits (identical ones once); insertions at one point keep their order."""
    unique = list(dict.fromkeys(edits))
    ordered = sorted(enumerate(unique), key=lambda item: (item[1].start, item[1].end, item[0]), reverse=True)
    for _, edit in ordered:
        source = source[: edit.start] + edit.text + source[edit.end :]
    return source


def choose_fixes(fixes: Sequence[Diagnostic]) -> List[Diagnostic]:
    """A set of fixes whose edits do not overlap (first come, first served)."""
    chosen: List[Diagnostic] = []
    taken: List[Edit] = []
    for diag in fixes:
        edits = diag.fix.edits  # type: ignore[union-attr]
        if any(e.overlaps(t) for e in edits for t in taken):
            continue
        chosen.append(diag)
        taken.extend(edits)
    return chosen


def source_parses(source: str) -> bool:
    try:
        cst.parse_module(source[1:] if source.startswith(_BOM) else source)
    except Exception:  # any parser failure means: do not write this
        return False
    return True


def fix_source(
    source: str,
    path: str = "<stdin>",
    config: Optional[Config] = None,
    unsafe: bool = False,
) -> FixResult:
    """Apply fixes until none is left (at most MAX_FIX_ROUNDS rounds).

    Each round applies non-overlapping fixes, re-parses and re-lints, so two
    fixes that touch the same code are applied one after the other, never
    one silently lost.  A round whose result does not parse is retried one
    fix at a time, and a fix that breaks the code alone is refused.
    """
    config = config or Config()
    result = FixResult(source)
    current = source
    refused_keys = set()
    diagnostics = lint_source(current, path, config)
    for round_no in range(MAX_FIX_ROUNDS):
        todo = [d for d in diagnostics if fixable(d, unsafe) and fix_key(d) not in refused_keys]
        if not todo:
            break
        chosen = choose_fixes(todo)
        candidate = apply_edits(current, [e for d in chosen for e in d.fix.edits])  # type: ignore[union-attr]
        if not source_parses(candidate):
            # find the culprit: apply the first fix that parses alone; the
            # ones that break the code on their own are refused for good
            applied: List[Diagnostic] = []
            for diag in chosen:
                attempt = apply_edits(current, diag.fix.edits)  # type: ignore[union-attr]
                if source_parses(attempt):
                    candidate, applied = attempt, [diag]
                    break
                refused_keys.add(fix_key(diag))
                result.refused.append(diag)
            chosen = applied
        if not chosen:
            continue
        for diag in chosen:
            diag.fix_applied = True
        result.fixed.extend(chosen)
        current = candidate
        result.rounds = round_no + 1
        diagnostics = lint_source(current, path, config)
    result.source = current
    result.remaining = diagnostics
    return result


def fix_key(diag: Diagnostic) -> Tuple[str, str]:
    return (diag.code, diag.message)
