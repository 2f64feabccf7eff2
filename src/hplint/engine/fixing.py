"""The one fix loop, for files and notebooks alike.

A round applies fixes whose edits do not overlap, checks the result still
parses, and lints it again, so two fixes that touch the same code are applied
one after the other, never one silently lost.  A round whose result does not
parse is retried one fix at a time, and a fix that breaks the code on its
own is refused for good.

What is fixed is a ``Document``: a plain file, or a notebook's code cells
joined into one text (``frontends.notebooks``), which also says which fixes
it allows (none that touch an IPython line) and how a finding is addressed
to the user (by cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar

from hplint.core.diagnostics import Diagnostic, Edit, Fix, Safety

MAX_FIX_ROUNDS = 10
D = TypeVar("D", bound="Document")


class Document:
    """A text to fix.  Subclasses say how it is linted, edited and checked."""

    text: str

    def lint(self) -> List[Diagnostic]:  # pragma: no cover - interface
        raise NotImplementedError

    def allows(self, fix: Optional[Fix]) -> bool:
        return fix is not None

    def apply(self: D, edits: Sequence[Edit]) -> D:  # pragma: no cover - interface
        raise NotImplementedError

    def parses(self) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def address(self, diag: Diagnostic) -> Diagnostic:
        """The finding as the user reads it (a notebook names the cell)."""
        return diag

    def leftovers(self, original: "Document") -> List[Edit]:
        """Edits that remove what the fixes left unused (``engine.tidy``); none by default."""
        return []

    def clashes(self, before: "Document") -> bool:
        """Fixes applied together bound one name twice (two imports of it); never by default."""
        return False


@dataclass
class FixRun(Generic[D]):
    """The fixed document, the findings fixed, and those left (on the fixed text)."""

    document: D
    fixed: List[Diagnostic] = field(default_factory=list)
    remaining: List[Diagnostic] = field(default_factory=list)
    refused: List[Diagnostic] = field(default_factory=list)
    rounds: int = 0


def fixable(diag: Diagnostic, unsafe: bool) -> bool:
    return diag.fix is not None and (diag.fix.is_safe or unsafe)


def fix_key(diag: Diagnostic) -> Tuple[str, str]:
    return (diag.code, diag.message)


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply edits (identical ones once); insertions at one point keep their order."""
    unique = list(dict.fromkeys(edits))
    ordered = sorted(enumerate(unique), key=lambda item: (item[1].start, item[1].end, item[0]))
    pieces: List[str] = []
    at = 0
    for _, edit in ordered:
        if edit.start < at:  # overlapping edits: apply the rest on what is built so far
            return _apply_one_by_one(source, [e for _, e in ordered])
        pieces += [source[at : edit.start], edit.text]
        at = edit.end
    pieces.append(source[at:])
    return "".join(pieces)


def _apply_one_by_one(source: str, ordered: List[Edit]) -> str:
    for edit in reversed(ordered):
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


def fix_document(document: D, unsafe: bool = False) -> FixRun[D]:
    """Apply fixes until none is left (at most ``MAX_FIX_ROUNDS`` rounds)."""
    run: FixRun[D] = FixRun(document)
    refused: Set[Tuple[str, str]] = set()
    diagnostics = document.lint()
    untidy = False  # fixes applied since the last tidying
    for round_no in range(MAX_FIX_ROUNDS):
        todo = [d for d in diagnostics if fixable(d, unsafe) and document.allows(d.fix) and fix_key(d) not in refused]
        if not todo:
            tidied = _tidy(run.document, document) if untidy else None
            untidy = False
            if tidied is None:
                break
            document, diagnostics = tidied, tidied.lint()  # what it uncovers is fixed in the next round
            continue
        chosen, candidate = _round(document, choose_fixes(todo), refused, run)
        if candidate is None:
            continue
        for diag in chosen:
            diag.fix_applied = True
        run.fixed.extend(document.address(d) for d in chosen)
        document = candidate
        run.rounds = round_no + 1
        diagnostics = document.lint()
        untidy = True
    else:
        tidied = _tidy(run.document, document) if untidy else None
        if tidied is not None:
            document, diagnostics = tidied, tidied.lint()
    run.document = document
    run.remaining = [document.address(d) for d in diagnostics]
    return run


def _tidy(original: D, document: D) -> Optional[D]:
    """The fixed document without the imports and locals its fixes left unused."""
    edits = document.leftovers(original)
    if not edits or not document.allows(Fix(Safety.SAFE, tuple(edits), "remove what the fixes left unused")):
        return None
    candidate = document.apply(edits)
    return candidate if candidate.parses() else None


def _round(document: D, chosen: List[Diagnostic], refused: Set[Tuple[str, str]], run: FixRun) -> Tuple[List[Diagnostic], Optional[D]]:
    """The fixes applied this round and the document they give (None: none applied)."""
    candidate = document.apply([e for d in chosen for e in d.fix.edits])  # type: ignore[union-attr]
    if candidate.parses() and (len(chosen) == 1 or not candidate.clashes(document)):
        return chosen, candidate
    # keep, in order, every fix that still parses and binds no name twice with
    # the ones kept before it (the rest wait for a later round, which sees the
    # names these bind); a fix that breaks the code on its own is refused for good
    kept: List[Diagnostic] = []
    best: Optional[D] = None
    for diag in chosen:
        attempt = document.apply([e for d in kept + [diag] for e in d.fix.edits])  # type: ignore[union-attr]
        if attempt.parses() and (not kept or not attempt.clashes(document)):
            kept.append(diag)
            best = attempt
        elif not document.apply(diag.fix.edits).parses():  # type: ignore[union-attr]
            refused.add(fix_key(diag))
            run.refused.append(diag)
    return kept, best
