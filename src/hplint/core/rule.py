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

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Tuple

from hplint.core.diagnostics import Safety

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

    from hplint.core.context import RuleContext
    from hplint.prefilter.triggers import Trigger


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
    """A per-rule setting: ``[tool.hplint] <name> = ...`` and ``--hpl-<name>``.

    A number must lie in ``minimum..maximum`` (``above``: strictly above the
    minimum); the configuration loader names the allowed range when it does not.
    """

    name: str
    type: type
    default: Any
    help: str
    minimum: Optional[float] = 0
    maximum: Optional[float] = None
    above: bool = False

    @property
    def allowed(self) -> str:
        """The allowed range in words, for error messages."""
        low = "" if self.minimum is None else (f"> {self.minimum:g}" if self.above else f">= {self.minimum:g}")
        high = "" if self.maximum is None else f"<= {self.maximum:g}"
        return " and ".join(part for part in (low, high) if part) or "any number"

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
    # What must be present in a file for the rule to report: the prefilter's
    # text and ``ast`` stages are derived from it (``hplint.prefilter``).
    trigger: ClassVar["Trigger"]
    # The ``hplint verify`` demonstration that measures what the fix buys, if any.
    demonstration: ClassVar[Optional[str]] = None
    options: ClassVar[Tuple[Option, ...]] = ()
    bad_examples: ClassVar[Tuple[Example, ...]] = ()
    good_examples: ClassVar[Tuple[Example, ...]] = ()
    # the same mistake in a sweep config file (W&B or Hydra YAML), where the rule reads one (``hplint.sweeps``)
    sweep_examples: ClassVar[Tuple[Example, ...]] = ()

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
