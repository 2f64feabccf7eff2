"""Findings as text (``concise``), the summary, ``--statistics`` and rule docs.

The other formats live in ``formats`` (the registry of every
``--output-format``), ``full`` and ``sarif``; every renderer takes the same
findings and ``RenderOptions``.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Type

from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import documented
from hplint.core.rule import Rule
from hplint.frontends.rendering import RenderOptions, location, rule_name

__all__ = ["explain", "location", "render_concise", "rules_table_text", "statistics", "summary"]


def render_concise(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    """``path:line:col: CODE [*] message``: ruff's ``concise``, flake8's lines;
    ``[*]`` marks a finding ``--fix`` would fix with the flags given."""
    options = options or RenderOptions()
    return "".join(f"{location(d)}: {d.code} {'[*] ' if options.marked(d) else ''}{d.message}\n" for d in diagnostics)


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Findings without fix marks (errors printed beside a diff)."""
    return render_concise(diagnostics, RenderOptions(show_fix_status=False))


def summary(remaining: Sequence[Diagnostic], fixed: int, unsafe: bool) -> str:
    """One closing line, in the spirit of ruff's."""
    problems = [d for d in remaining if not d.code.startswith("HPL00")]
    broken = len({d.path for d in remaining if d.code.startswith("HPL00")})
    if broken:
        return summary(problems, fixed, unsafe).replace("All checks passed!", "No problems found.") + (
            f" {broken} {_plural(broken, 'file')} could not be checked, in whole or in part (HPL001/HPL002 above)."
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


def fix_only_summary(remaining: Sequence[Diagnostic], fixed: int, unsafe: bool) -> str:
    """``--fix-only``: what was fixed, never what is left (ruff's wording)."""
    left_unsafe = 0 if unsafe else sum(1 for d in remaining if d.fix is not None and not d.fix.is_safe)
    hint = f" ({left_unsafe} {'fix' if left_unsafe == 1 else 'fixes'} available with --unsafe-fixes)" if left_unsafe else ""
    if fixed:
        return f"Fixed {fixed} {_plural(fixed, 'problem')}{hint}."
    return f"No problems fixed{hint}." if hint else "No problems fixed."


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def statistics(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    """ruff's (and flake8's) ``--statistics`` table, most frequent first:
    ``count<TAB>code<TAB>[*] name``.  The mark column appears only when some
    finding is fixable with the flags given: ``[*]`` all of that code's, ``[-]``
    some, ``[ ]`` none."""
    rows = _statistics_rows(diagnostics, options or RenderOptions())
    if not rows:
        return ""
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    any_fixable = any(row["fixable_count"] for row in rows)
    lines = []
    for row in rows:
        mark = ""
        if any_fixable:
            mark = "[*] " if row["fixable"] else "[-] " if row["fixable_count"] else "[ ] "
        lines.append(f"{row['count']:>{count_width}}\t{row['code']:<{code_width}}\t{mark}{row['name']}")
    return "\n".join(lines) + "\n"


def statistics_json(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    """``--statistics --output-format json``: ruff's fields."""
    return json.dumps(_statistics_rows(diagnostics, options or RenderOptions()), indent=2) + "\n"


def _statistics_rows(diagnostics: Sequence[Diagnostic], options: RenderOptions) -> List[Dict[str, object]]:
    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if options.fixable(d))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {
            "code": code,
            "name": rule_name(code),
            "count": count,
            "fixable": fixable[code] == count,
            "fixable_count": fixable[code],
        }
        for code, count in ordered
    ]


def fix_summary(fixed: Sequence[Diagnostic]) -> str:
    """``--show-fixes``: what was fixed, per file and code (ruff's layout)."""
    if not fixed:
        return ""
    by_file: Dict[str, Counter] = {}
    for diag in fixed:
        by_file.setdefault(diag.path, Counter())[diag.code] += 1
    width = max(len(str(n)) for counts in by_file.values() for n in counts.values())
    lines = [f"Fixed {len(fixed)} {_plural(len(fixed), 'problem')}:"]
    for path in sorted(by_file):
        lines.append(f"- {path}:")
        for code, count in sorted(by_file[path].items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    {count:>{width}} × {code} ({rule_name(code)})")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# rule documentation


def rule_rows(enabled: Optional[Iterable[str]] = None) -> List[Dict[str, str]]:
    rows = []
    for rule in documented():
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
    for example in getattr(rule, "sweep_examples", ())[:2]:
        out += ["", "In a sweep config file:", _indent(example.source)]
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
