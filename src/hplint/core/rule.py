"""The contract every rule follows, and the registry that lists them.

A rule is a libcst visitor (``visit_<Node>`` / ``leave_<Node>`` methods): the
engine parses a file once and runs every enabled rule in the same traversal
(as TorchFix does).  It does not subclass libcst's visitor classes, so
importing the rules does not import libcst.  A rule
carries its own documentation and examples (as Fixit's rules do); the
``explain`` command, the rule table in the README, the rule docs and the
tests are all generated from those, so there is one source of truth per rule.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Dict, List, Optional, Tuple, Type

from hplint.core.diagnostics import Safety

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

    from hplint.core.context import RuleContext


@dataclass(frozen=True)
class Example:
    """A code example.  For a bad example, ``fixed`` is the code after the
    rule's fix (``None`` when the rule has no fix for it)."""

    code: str
    fixed: Optional[str] = None
    note: str = ""

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip("\n") + "\n"

    @property
    def fixed_source(self) -> Optional[str]:
        if self.fixed is None:
            return None
        return textwrap.dedent(self.fixed).strip("\n") + "\n"


@dataclass(frozen=True)
class Option:
    """A per-rule setting: ``[tool.hplint] <name> = ...`` and ``--hpl-<name>``."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")


class Rule:
    """Base class: subclass, fill in the metadata, implement ``visit_*``.

    Report with ``self.report(node, message, fix=...)``.  Fixes are built from
    node-relative edits (``self.ctx.replace(node, text)``) so positions are
    computed only for files that have findings.
    """

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, e.g. "linear-spacing-log-scale"
    family: ClassVar[str]  # e.g. "search-space"
    summary: ClassVar[str]  # one line: what is wrong
    why: ClassVar[str]  # the reasoning, with numbers
    fix_description: ClassVar[str] = ""  # what the fix does ("" = no fix)
    fix_safety: ClassVar[Optional[Safety]] = None
    default_enabled: ClassVar[bool] = True
    # The rule can only match files that contain one of these substrings.
    # Must be sound: a file without any of them can never produce a finding.
    prefilter: ClassVar[Tuple[str, ...]] = ()
    # Regular expressions that must *all* match, checked after ``prefilter``;
    # for tokens that need word boundaries or case folding (``\bbs\b``).
    prefilter_patterns: ClassVar[Tuple[str, ...]] = ()
    options: ClassVar[Tuple[Option, ...]] = ()
    bad_examples: ClassVar[Tuple[Example, ...]] = ()
    good_examples: ClassVar[Tuple[Example, ...]] = ()

    def __init__(self, ctx: "RuleContext") -> None:
        self.ctx = ctx

    def report(self, node: cst.CSTNode, message: str, fix=None) -> None:
        self.ctx.report(self.code, node, message, fix)

    def option(self, name: str) -> Any:
        return self.ctx.config.option(name)

    @classmethod
    def fixability(cls) -> str:
        if cls.fix_safety is None:
            return "none"
        return cls.fix_safety.value

    @classmethod
    def wants(cls, source: str) -> bool:
        """Cheap text check: could this file produce a finding at all?"""
        if cls.prefilter and not any(token in source for token in cls.prefilter):
            return False
        return all(pattern.search(source) for pattern in _compiled(cls))


_PATTERNS: Dict[type, Tuple["re.Pattern[str]", ...]] = {}


def _compiled(rule: type) -> Tuple["re.Pattern[str]", ...]:
    found = _PATTERNS.get(rule)
    if found is None:
        found = _PATTERNS[rule] = tuple(re.compile(p, re.M) for p in rule.prefilter_patterns)  # type: ignore[attr-defined]
    return found
