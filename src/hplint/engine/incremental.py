"""Linting an edited document again only where the edit can reach (the server).

An editor sends the whole text after every keystroke, and linting a 2,000-line
file of tuning code again takes most of a second.  The rules connect one
top-level statement to another through a name one binds and the other reads (a
grid constant searched in a function, an objective handed to ``optimize``, a
helper the objective calls, ``self.param_grid``), through the file's imports,
and through a few facts of the whole file (``engine.blocks`` lists them: the
module's own code read in order, every study with every objective; the words
of ``core.file_facts``; the names bound anywhere, ``Outside``; the words rules
look for in the file's text, ``RuleContext.file_text``, declared with
``file_facts.text_word``).  So the statements fall into linked groups, and an
edit can change the findings of the groups holding a statement it changed or
removed, and of no other.

``Incremental`` keeps each version's statements (``Block``) and findings.  For
the next text it cuts only the stretch the edit touched into statements again,
lints the groups the edit reaches with the file's head (its first statement and
the imports) as a text of their own, moves what that finds to where those
statements stand in the file, and moves the last version's other findings to
where their statements now stand (with the lines their messages name).  What it
cannot do so (a changed import or head, a changed fact of the whole file, a
finding outside a statement, a declared word's count, text it cannot cut, a
group of half the file) is
linted whole, as is the first version.  ``tests/test_incremental.py`` checks
the result against a whole lint of every fixture and of generated files under
edits of each kind.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.core.file_facts import statement_facts, text_words
from hplint.engine.blocks import Block, cut, cut_whole, reached, trailer_only
from hplint.engine.syntax import SYNTAX_ERROR
from hplint.reading.names import Outside

# how a message names a line of the file ("at line 12", "called at lines 4, 9"): moved with it
_LINES = re.compile(r"\b(lines?) (\d+(?:, \d+)*)\b")

# a group holding more of the file than this is linted with the whole file: no faster alone
_WHOLE_SHARE = 0.5


@dataclass
class Version:
    """A linted text: its statements and its findings before noqa."""

    source: str
    blocks: List[Block]
    findings: List[Diagnostic]
    key: Tuple[object, str]  # the configuration and path it was linted with
    words: Optional[Tuple[Tuple[int, ...], ...]] = None  # ``text_words`` of the source, once read

    def text_words(self) -> Tuple[Tuple[int, ...], ...]:
        if self.words is None:
            self.words = text_words(self.source)
        return self.words


# (text, what it leaves out, the whole file's text) -> findings before noqa, or None where it does not parse
Linter = Callable[[str, Optional[Outside], str], Optional[List[Diagnostic]]]


class Incremental:
    """A document's last linted version, and ``lint`` for the next."""

    def __init__(self) -> None:
        self.last: Optional[Version] = None
        self.partial = False  # whether the last ``lint`` linted only part of the text (for the benchmark)

    def lint(self, source: str, key: Tuple[object, str], linter: Linter, tree: Callable[[], Optional[ast.AST]]) -> Optional[List[Diagnostic]]:
        """The findings of ``source`` before noqa (``linter`` lints a text);
        None where the text does not parse (the caller lints it alone).
        ``key``: the configuration and path linted with."""
        self.partial = False
        last = self.last
        self.last = None
        if last is not None and last.key == key:
            found = _partial(last, source, linter)
            if found is not None:
                self.last, self.partial = found, True
                return found.findings
        findings = linter(source, None, source)
        if findings is None:
            return None
        blocks = cut_whole(source, tree())
        if blocks is not None and _movable(findings, blocks):
            self.last = Version(source, blocks, findings, key)
        return findings


# ---------------------------------------------------------------------------
# the next version


def _partial(last: Version, source: str, linter: Linter) -> Optional[Version]:
    cut = _recut(last, source)
    if cut is None:
        return None
    blocks, changed, removed, kept = cut
    if _imports(blocks) != _imports(last.blocks):
        return None  # the import table changes for every statement
    if _file_facts(blocks, last.key) != _file_facts(last.blocks, last.key):
        return None  # a fact of the whole file changes (``core.file_facts``)
    words = text_words(source)
    if words != last.text_words():
        return None  # a word a rule looks for in the whole text comes or goes (``file_facts.text_word``)
    head, old_head = _head(blocks), _head(last.blocks)
    if any(i <= head for i in changed) or any(i not in kept for i in range(old_head + 1)):
        return None  # the imports, or what stands among them: where every fix adds an import
    dirty = reached(blocks, changed, removed)
    if sum(len(blocks[i].text) for i in dirty) > _WHOLE_SHARE * len(source):
        return None
    linted = [i for i, b in enumerate(blocks) if i in dirty or i <= head or b.included]
    chosen = set(linted)
    part: List[Block] = []  # the blocks linted, where they stand in the text linted
    start = line = 0
    for i in linted:
        part.append(blocks[i].moved(start, line))
        start, line = start + len(blocks[i].text), line + blocks[i].text.count("\n")
    outside = _outside([b for i, b in enumerate(blocks) if i not in chosen], last.key)
    found = linter("".join(b.text for b in part), outside, source)
    if found is None:
        return None
    fresh: List[Diagnostic] = []
    for diag in found:
        k = _block_of(diag, part)
        index = linted[k]
        if index in dirty:
            placed = _placed(diag, k, part, linted, blocks)
            if placed is None or not _within(placed, index, blocks):
                return None
            fresh.append(placed)
        elif blocks[index].facts.context:
            return None  # a finding on the imports: what it reads is not known
    moved = _moved(last, blocks, kept, dirty)
    if moved is None:
        return None
    return Version(source, blocks, fresh + moved, last.key, words)


def _head(blocks: Sequence[Block]) -> int:
    """The last block of the file's head: the first block (a docstring, a
    comment) and those up to the last import.  Where a fix adds an import
    depends on all of them."""
    return max((i for i, b in enumerate(blocks) if b.facts.context), default=0)


def _recut(last: Version, source: str) -> Optional[Tuple[List[Block], Set[int], List[Block], Dict[int, int]]]:
    """The new text's blocks, cutting again only around the change: the blocks,
    which of them changed, the old blocks gone, and old index -> new index of the rest."""
    old, text = last.source, source
    if "\r" in source or "\f" in source:
        return None
    prefix = _common_prefix(old, text)
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    blocks = last.blocks
    starts = [b.start for b in blocks]
    first = max(bisect.bisect_right(starts, prefix) - 2, 0)  # one block of margin: a boundary may have moved
    changed_end = max(len(old) - suffix - 1, prefix)
    after = min(bisect.bisect_right(starts, changed_end) + 1, len(blocks))
    begin = blocks[first].start
    end_old = blocks[after].start if after < len(blocks) else len(old)
    end_new = end_old + len(text) - len(old)
    region = text[begin:end_new]
    if not region.strip() or (after < len(blocks) and not region.endswith("\n")):
        return None
    try:
        tree = ast.parse(region)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not tree.body:
        return None
    lines = region.splitlines(keepends=True)
    if after < len(blocks) and not trailer_only(lines[tree.body[-1].end_lineno or 0 :]):
        return None  # the next statement would be kept with this one
    line = blocks[first].line
    fresh = cut(region, tree.body, begin, line, at_file_start=first == 0)
    if fresh is None:
        return None
    shift, line_shift = len(text) - len(old), region.count("\n") - old[begin:end_old].count("\n")
    tail = [b.moved(b.start + shift, b.line + line_shift) for b in blocks[after:]]
    new = blocks[:first] + fresh + tail
    kept = {i: i for i in range(first)}
    kept.update({after + k: first + len(fresh) + k for k in range(len(tail))})
    changed: Set[int] = set()
    olds: Dict[str, List[int]] = {}
    for k in range(first, after):
        olds.setdefault(blocks[k].text, []).append(k)
    matched = first - 1  # blocks are matched in order: one moved past another changed the order a name is bound in
    for k, block in enumerate(fresh):
        same = [i for i in olds.get(block.text, ()) if i > matched]
        if same:
            matched = same[0]
            kept[matched] = first + k
            fresh[k] = new[first + k] = Block(block.text, block.start, block.line, blocks[matched].facts)
        else:
            changed.add(first + k)
    removed = [blocks[k] for k in range(first, after) if k not in kept]
    return new, changed, removed, kept


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # the longest equal prefix, by halving (string compares run in C)
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, max(limit, 0)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _file_facts(blocks: Iterable[Block], key: Tuple[object, str]) -> FrozenSet[str]:
    """The facts of the whole file (``core.file_facts``) that hold of these blocks."""
    vocabulary = getattr(key[0], "vocabulary", None)
    found: Set[str] = set()
    for block in blocks:
        facts = block.facts
        cached = facts.file_facts.get(id(vocabulary))
        if cached is None or cached[0] is not vocabulary:
            cached = facts.file_facts[id(vocabulary)] = (vocabulary, statement_facts(facts.statements, vocabulary))
        found.update(cached[1])
    return frozenset(found)


def _imports(blocks: Iterable[Block]) -> List[str]:
    return [text for b in blocks for text in b.facts.imports]


def _placed(diag: Diagnostic, k: int, part: Sequence[Block], linted: Sequence[int], blocks: Sequence[Block]) -> Optional[Diagnostic]:
    """A finding of the text linted (in its ``k``th block) where it stands in the
    file; None where its fix edits anything but its own block and the imports."""
    block = blocks[linted[k]]
    shift = block.line - part[k].line
    starts = [b.start for b in part]
    fix = diag.fix
    if fix is not None:
        edits = []
        for edit in fix.edits:
            ends = []
            for offset in (edit.start, edit.end):
                if part[k].holds(offset):
                    ends.append(block.start + offset - part[k].start)
                    continue
                j = min(bisect.bisect_right(starts, offset) - 1, len(part) - 1)
                if j > 0 and offset == part[j].start:
                    j -= 1  # the end of the block before: where an import is added after the last
                holder = j if j >= 0 and part[j].holds(offset) and part[j].facts.context else None
                if holder is None:
                    return None
                ends.append(blocks[linted[holder]].start + offset - part[holder].start)
            edits.append(Edit(ends[0], ends[1], edit.text))
        fix = Fix(fix.safety, tuple(edits), fix.description)
    message = _relined(diag.message, part, lambda k: blocks[linted[k]].line - part[k].line)
    if message is None:
        return None
    stmt = diag.stmt_lines if diag.stmt_lines == (0, 0) else (diag.stmt_lines[0] + shift, diag.stmt_lines[1] + shift)
    return replace(diag, message=message, line=diag.line + shift, end_line=diag.end_line + shift, stmt_lines=stmt, fix=fix)


def _relined(message: str, where: Sequence[Block], shift: Callable[[int], Optional[int]]) -> Optional[str]:
    """``message`` with each line it names moved by its block's ``shift`` (None:
    that block is gone, and the message cannot be moved)."""
    if "line" not in message:
        return message
    lines = [b.line for b in where]
    failed = False

    def one(number: str) -> str:
        nonlocal failed
        index = bisect.bisect_right(lines, int(number) - 1) - 1
        moved = shift(index) if index >= 0 else None
        failed = failed or moved is None
        return str(int(number) + (moved or 0))

    text = _LINES.sub(lambda m: f"{m.group(1)} " + ", ".join(one(n) for n in m.group(2).split(", ")), message)
    return None if failed else text


def _outside(blocks: Sequence[Block], key: Tuple[object, str]) -> Outside:
    module: Dict[str, Set[str]] = {}
    nested: Dict[str, Set[str]] = {}
    reads: Set[str] = set()
    for block in blocks:
        for name, how in block.facts.module_bindings.items():
            module.setdefault(name, set()).update(how)
        for name, how in block.facts.nested_bindings.items():
            nested.setdefault(name, set()).update(how)
        reads |= block.facts.reads
    return Outside({k: frozenset(v) for k, v in module.items()}, {k: frozenset(v) for k, v in nested.items()}, frozenset(reads), _file_facts(blocks, key))


def _within(diag: Diagnostic, index: int, blocks: Sequence[Block]) -> bool:
    """The finding and its statement's lines lie in this block, its fix's edits
    there or in the imports: what can be carried to the next version."""
    if index < 0:
        return False
    block = blocks[index]
    first, last = block.line + 1, block.last_line + 1
    if block.facts.context or diag.code == SYNTAX_ERROR or not (first <= diag.line <= diag.end_line <= last):
        return False
    if diag.stmt_lines != (0, 0) and not (first <= diag.stmt_lines[0] <= diag.stmt_lines[1] <= last):
        return False
    if diag.fix is not None:
        starts = [b.start for b in blocks]
        for edit in diag.fix.edits:
            for offset in (edit.start, edit.end):
                if not block.holds(offset) and not blocks[max(bisect.bisect_right(starts, offset) - 1, 0)].facts.context:
                    return False
    return True


def _block_of(diag: Diagnostic, blocks: Sequence[Block]) -> int:
    return bisect.bisect_right([b.line for b in blocks], diag.line - 1) - 1


def _movable(findings: Sequence[Diagnostic], blocks: Sequence[Block]) -> bool:
    """Every finding lies inside one statement that is not an import: so it can be carried."""
    return all(_within(diag, _block_of(diag, blocks), blocks) for diag in findings)


def _moved(last: Version, blocks: Sequence[Block], kept: Dict[int, int], dirty: Set[int]) -> Optional[List[Diagnostic]]:
    """The last version's findings in statements the edit cannot reach, where those now stand."""
    old = last.blocks
    lines = [b.line for b in old]
    starts = [b.start for b in old]
    out: List[Diagnostic] = []
    for diag in last.findings:
        index = bisect.bisect_right(lines, diag.line - 1) - 1
        new = kept.get(index)
        if new is None or new in dirty:
            continue
        shift = blocks[new].line - old[index].line
        fix = diag.fix
        if fix is not None:
            edits = []
            for edit in fix.edits:
                start, end = _offset(edit.start, index, starts, old, kept, blocks), _offset(edit.end, index, starts, old, kept, blocks)
                if start is None or end is None:
                    return None
                edits.append(Edit(start, end, edit.text))
            fix = Fix(fix.safety, tuple(edits), fix.description)
        message = _relined(diag.message, old, lambda k: blocks[kept[k]].line - old[k].line if k in kept else None)
        if message is None:
            return None
        if shift or fix is not diag.fix or message != diag.message:
            stmt = diag.stmt_lines if diag.stmt_lines == (0, 0) else (diag.stmt_lines[0] + shift, diag.stmt_lines[1] + shift)
            diag = replace(diag, message=message, line=diag.line + shift, end_line=diag.end_line + shift, stmt_lines=stmt, fix=fix)
        out.append(diag)
    return out


def _offset(offset: int, own: int, starts: Sequence[int], old: Sequence[Block], kept: Dict[int, int], blocks: Sequence[Block]) -> Optional[int]:
    """Where an offset of the last text stands now: in the finding's own block
    (``own``), else in the block it lies in or ends (an import added after the
    last), which must be unchanged."""
    if old[own].holds(offset):
        index = own
    else:
        index = min(bisect.bisect_right(starts, offset) - 1, len(old) - 1)
        if index > 0 and offset == old[index].start:
            index -= 1
    new = kept.get(index)
    if new is None:
        return None
    return blocks[new].start + offset - old[index].start
