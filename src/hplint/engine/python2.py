"""Reading a Python 2 (or IPython) statement as Python 3 would read it without that syntax.

Old tuning scripts and course code still write ``print "loss", loss`` and
``except ValueError, e:``.  One such line makes a whole objective fail to
parse, and ``engine.recovery`` would leave the function unread: its grid,
its budget and its epoch loop with it.  Here the lines that are Python 2
syntax only are rewritten in place, keeping every line, so the rest of the
statement is read: a ``print`` or ``exec`` statement becomes ``pass`` (what
it prints is no hyperparameter), ``except E, e:`` becomes ``except E:`` and
``raise E, "message"`` becomes ``raise E``.  The rest of each line is padded
with spaces, so the columns of what follows are the file's.  The statement is
still reported as ``HPL001``: the file does not run under Python 3.

A notebook exported to ``.py`` fails the same way on IPython's shell and magic
lines (``!pip install optuna``, ``%matplotlib inline``, an automagic ``pip install
optuna``): each becomes ``pass``.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

# ``print x`` / ``print >>f, x`` / ``print`` (also after a one-line ``if x:``), not ``print(x)`` or ``print = f``
_PRINT = re.compile(
    r"^(?P<head>[ \t]*(?:(?:if|elif|else|while|for|with|try|except|finally)\b[^#\n]*?:[ \t]*)?)"
    r"(?:print|exec)\b(?=[ \t]*(?:$|#|[^\s(=.,)\]:;]))"
)
_EXCEPT = re.compile(r"^(?P<head>[ \t]*except[ \t]+.*?)(?P<tail>[ \t]*,[ \t]*[^\W\d]\w*[ \t]*)(?P<colon>:[ \t]*(?:#.*)?)$")
_RAISE = re.compile(r"^(?P<head>[ \t]*raise[ \t]+[\w.]+)(?P<tail>[ \t]*,.*)$")
# a notebook exported to ``.py`` keeps IPython's shell (``!pip install x``) and magic (``%matplotlib inline``) lines,
# and its automagic package commands (``pip install x``: two names side by side are no Python)
_PACKAGE_COMMAND = r"(?:pip3?|conda|mamba)[ \t]+(?:install|uninstall|list|show|freeze|download)\b"
AUTOMAGIC = re.compile(r"[ \t]*" + _PACKAGE_COMMAND)
_IPYTHON = re.compile(r"^(?P<head>[ \t]*)(?:[!%]|" + _PACKAGE_COMMAND + ")")


def repaired(lines: Sequence[str], clean: Sequence[bool]) -> Optional[List[str]]:
    """``lines`` (with their ends) with their Python 2 statements rewritten, or None
    when no line needed it.  ``clean[i]``: line ``i`` starts a logical line.  A
    ``print`` statement's continuation lines are blanked with it; an ``except`` or
    ``raise`` line is rewritten only when its statement ends on it."""
    out = list(lines)
    changed = False
    index = 0
    while index < len(lines):
        text = lines[index]
        body = text.rstrip("\r\n")
        following = index + 1
        while following < len(lines) and not clean[following]:
            following += 1
        new = _rewrite(body, alone=following == index + 1) if clean[index] else None
        if new is not None:
            out[index] = new + text[len(body):]
            for later in range(index + 1, following):  # the print's continuation lines
                out[later] = _blanked(lines[later])
            changed = True
            index = following
            continue
        index += 1
    return out if changed else None


def _blanked(text: str) -> str:
    body = text.rstrip("\r\n")
    return " " * len(body) + text[len(body):]


def _rewrite(body: str, alone: bool) -> Optional[str]:
    found = _PRINT.match(body) or _IPYTHON.match(body)
    if found is not None:
        return _padded(found.group("head") + "pass", len(body))
    if not alone:
        return None
    found = _EXCEPT.match(body)
    if found is not None:
        return _padded(found.group("head") + " " * len(found.group("tail")) + found.group("colon"), len(body))
    found = _RAISE.match(body)
    if found is not None:
        return _padded(found.group("head"), len(body))
    return None


def _padded(text: str, length: int) -> str:
    return text + " " * max(length - len(text), 0)
