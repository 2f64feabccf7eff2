"""Rendering findings and rule documentation as text or JSON.

Other formats (SARIF, GitHub annotations) register a renderer in
``RENDERERS``; every renderer takes the same findings.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Type

from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import all_rules, get_rule
from hplint.core.rule import Rule


def location(diag: Diagnostic) -> str:
    path = diag.path if diag.cell is None else f"{diag.path}:cell_{diag.cell}"
    return f"{path}:{diag.line}:{diag.col + 1}"


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(f"{location(d)}: {d.code} {d.message}\n" for d in diagnostics)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2) + "\n"


RENDERERS: Dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": render_text,
    "json": render_json,
}

from hplint.frontends.sarif import render_github, render_sarif  # noqa: E402  (sarif does not import this module)

RENDERERS.update(sarif=render_sarif, github=render_github)


def summary(remaining: Sequence[Diagnostic], fixed: int, unsafe: bool) -> str:
    """One closing line, in the spirit of ruff's."""
    problems = [d for d in remaining if not d.code.startswith("HPL00")]
    broken = len({d.path for d in remaining if d.code.startswith("HPL00")})
    if broken:
        return summary(problems, fixed, unsafe).replace("All checks passed!", "No problems found.") + (
            f" {broken} {_plural(broken, 'file')} could not be checked (HPL001/HPL002 above)."
        )
    if not problems and not fixed:
        return "All checks passed!"
    parts: List[str] = []
    if fixed:
        parts.append(f"{fixed} fixed")
    safe = sum(1 for d in problems if d.fix is not None and d.fix.is_safe)
    unsafe_only = sum(1 for d in problems if d.fix is not None and not d.fix.is_safe)
    if fixed:
        text = f"Found {len(problems) + fixed} {_plural(len(problems) + fixed, 'problem')} ({fixed} fixed, {len(problems)} remaining)."
    else:
        text = f"Found {len(problems)} {_plural(len(problems), 'problem')}"
        extras = []
        if safe:
            extras.append(f"{safe} fixable with --fix")
        if unsafe_only and not unsafe:
            extras.append(f"{unsafe_only} with --unsafe-fixes")
        elif unsafe_only:
            extras.append(f"{unsafe_only} fixable with --fix --unsafe-fixes")
        text += f" ({', '.join(extras)})." if extras else "."
    return text


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def statistics(diagnostics: Iterable[Diagnostic]) -> str:
    counts = Counter(d.code for d in diagnostics)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = get_rule(code)
        name = rule.name if rule else "syntax-error" if code == "HPL001" else "io-error"
        mark = "[*]" if rule and rule.fix_safety is not None else "   "
        lines.append(f"{count:>5}\t{code}\t{mark} {name}")
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------------------
# rule documentation


def rule_rows(enabled: Optional[Iterable[str]] = None) -> List[Dict[str, str]]:
    rows = []
    for rule in all_rules():
        rows.append(
            {
                "code": rule.code,
                "name": rule.name,
                "family": rule.family,
                "fix": rule.fixability(),
                "default": "on" if rule.default_enabled else "opt-in",
                "summary": rule.summary,
            }
        )
    return rows


def rules_table_text() -> str:
    rows = rule_rows()
    header = ("code", "name", "family", "fix", "default")
    widths = {h: max(len(h), *(len(r[h]) for r in rows)) if rows else len(h) for h in header}
    lines = ["  ".join(h.upper().ljust(widths[h]) for h in header)]
    for row in rows:
        lines.append("  ".join(row[h].ljust(widths[h]) for h in header).rstrip())
    return "\n".join(lines) + "\n"


def rules_table_markdown() -> str:
    lines = ["| Code | Name | What it catches | Fix | Default |", "| --- | --- | --- | --- | --- |"]
    for row in rule_rows():
        lines.append(
            f"| {row['code']} | `{row['name']}` | {row['summary']} | {row['fix']} | {row['default']} |"
        )
    return "\n".join(lines) + "\n"


def explain(rule: Type[Rule]) -> str:
    """``hplint explain CODE``: what, why (with numbers), examples, the fix."""
    out = [f"{rule.code} {rule.name} ({rule.family}, {'on by default' if rule.default_enabled else 'opt-in'})", ""]
    out.append(rule.summary)
    out += ["", "Why it matters", _wrap(rule.why)]
    for example in rule.bad_examples[:2]:
        out += ["", "Flagged:", _indent(example.source)]
        if example.note:
            out.append(_wrap(example.note))
        if example.fixed_source is not None:
            out += ["After the fix:", _indent(example.fixed_source)]
    for example in rule.good_examples[:2]:
        out += ["", "Not flagged:", _indent(example.source)]
        if example.note:
            out.append(_wrap(example.note))
    out += ["", "Fix"]
    if rule.fix_safety is None:
        out.append("  No automatic fix.")
    else:
        flag = "--fix" if rule.fix_safety.value == "safe" else "--fix --unsafe-fixes"
        out.append(_wrap(f"{rule.fix_safety.value} ({flag}): {rule.fix_description}"))
    if rule.options:
        out += ["", "Options ([tool.hplint] in pyproject.toml; --hpl-<name> in flake8)"]
        for opt in rule.options:
            out.append(f"  {opt.name} = {opt.default!r}  {opt.help}")
    if rule.demonstration is not None:
        out += ["", f"See it measured: hplint verify {rule.code}"]
    return "\n".join(out).rstrip() + "\n"


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(par, width=88, initial_indent="  ", subsequent_indent="  ") for par in text.split("\n\n"))


def _indent(code: str) -> str:
    return textwrap.indent(code.rstrip("\n"), "    ")
