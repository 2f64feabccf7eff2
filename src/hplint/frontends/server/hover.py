"""Hover on a finding: the rule's explanation, the text ``hplint explain`` prints.

The explanation is plain text whose examples are indented by four spaces;
markdown would read an indented block right after "Flagged:" as part of that
paragraph, so the markdown form fences each example as Python, the text
otherwise unchanged, under the finding's own message.  Clients that read no
markdown get the plain text.  Several findings under the cursor are separated by a rule.
"""

from __future__ import annotations

from typing import List, Optional

from lsprotocol import types

from hplint.core.registry import get_rule
from hplint.frontends.output import explain
from hplint.frontends.server.diagnostics import finding_range
from hplint.frontends.server.documents import Finding
from hplint.frontends.server.positions import LineIndex


def _contains(rng: types.Range, at: types.Position) -> bool:
    return (rng.start.line, rng.start.character) <= (at.line, at.character) <= (rng.end.line, rng.end.character)


def _markdown_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\*[]<>" else c for c in text)


def _fenced(text: str) -> str:
    """Each run of lines indented by four spaces becomes a fenced Python block;
    a heading ("Why it matters", "Fix") over an indented paragraph becomes its own line."""
    lines = text.splitlines()
    out: List[str] = []
    block: List[str] = []
    for number, line in enumerate(lines + [""]):
        if line.startswith("    "):
            block.append(line[4:])
            continue
        if block:
            out += ["```python", *block, "```"]
            block = []
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line and not line.startswith(" ") and following.startswith("  ") and not following.startswith("    "):
            out += [f"**{line}**", ""]
        else:
            out.append(line)
    return "\n".join(out)


def explanation(finding: Finding, markdown: bool) -> str:
    diag = finding.diagnostic
    rule = get_rule(diag.code)
    body = explain(rule) if rule is not None else ""
    if not markdown:
        return f"{diag.code}: {diag.message}\n\n{body}".rstrip() + "\n"
    head = f"**{diag.code}** {_markdown_escape(diag.message)}"
    return f"{head}\n\n{_fenced(body)}".rstrip() + "\n"


def hover(findings: List[Finding], index: LineIndex, at: types.Position, markdown: bool) -> Optional[types.Hover]:
    under = [f for f in findings if _contains(finding_range(f.diagnostic, index), at)]
    if not under:
        return None
    separator = "\n---\n\n" if markdown else "\n\n"
    value = separator.join(explanation(f, markdown) for f in under)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    first = finding_range(under[0].diagnostic, index)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=value), range=first)
