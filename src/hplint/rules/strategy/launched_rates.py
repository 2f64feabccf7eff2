"""The learning rate a launched training command fixes.

Research code often trains each configuration by starting a script:
``subprocess.run(["python", "train.py", "--start-lr", "5e-3", ...])`` or
``os.system(f"python train.py --lr 0.001 --depth {depth}")``.  A learning-rate
flag given a constant there holds the rate fixed for every configuration the
search launches, as ``SGD(lr=0.1)`` would in the search's own code.  Only
constants written in the command (or in the one list a name holds there) are
read; a value formatted in (``{lr}``) or taken from elsewhere is not fixed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, Optional, Tuple

from hplint.reading.calls import arg_value, has_star_args, string_value
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import names_lr_bound, normalize, tokens

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# the calls that start a command, by qualified name (``subprocess.run`` only so: ``run`` alone is anything)
LAUNCHING_CALLS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen", "os.system", "os.popen"}
)
# ``--lr 0.001``, ``--learning-rate=1e-3``, ``-lr 0.01`` in a command written as one string
_FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)(?:=|\s+)([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])")


def launched_rate(ctx, reader, call: cst.Call) -> Optional[Tuple[cst.CSTNode, str]]:
    """Where the command ``call`` launches fixes the learning rate, and how the message
    says it: ``("5e-3" node, "a fixed learning rate of 5e-3 (`--start-lr 5e-3` in the launched command)")``."""
    if ctx.qualify(call.func) not in LAUNCHING_CALLS or has_star_args(call):
        return None
    command = arg_value(call, 0, "args") or arg_value(call, 0, "command")
    if isinstance(command, cst.Name):
        command = reader.lookup(command)  # ``prompt = [...]`` then ``subprocess.run(prompt)``
    for node, flag, value in _flags(command):
        if _names_rate(ctx.vocabulary, flag) and float(value) > 0:
            return node, f"a fixed learning rate of {value} (`{flag} {value}` in the launched command)"
    return None


def one_launched_rate(ctx, reader, func: cst.FunctionDef) -> Optional[Tuple[cst.CSTNode, str]]:
    """The one rate the commands a function of this file launches fix (the first, where they
    agree), or None: a helper that launches one training at one rate holds it fixed."""
    found = [held for held in (launched_rate(ctx, reader, n) for n in descendants(func.body) if isinstance(n, cst.Call)) if held]
    return found[0] if found and len({how for _, how in found}) == 1 else None


def _names_rate(vocabulary, flag: str) -> bool:
    """``--lr``, ``--start-lr``, ``--learning-rate``, ``--lr0``: a flag whose last word is the
    rate itself (``--lr-cooldown``, ``--lr-milestones`` and ``--min-lr`` set a schedule)."""
    name = flag.lstrip("-")
    last = tokens(normalize(name))[-1:] or [""]
    return last[0].rstrip("0123456789") in ("lr", "rate") and vocabulary.is_learning_rate(name) and not names_lr_bound(name)


def _flags(command: Optional[cst.BaseExpression]) -> Iterator[Tuple[cst.CSTNode, str, str]]:
    """``(node, flag, value)`` of each flag the command gives a constant number."""
    if isinstance(command, (cst.List, cst.Tuple)):
        words = [e.value for e in command.elements if isinstance(e, cst.Element)]
        for index, word in enumerate(words):
            text = string_value(word)
            if text is None or not text.startswith("-"):
                continue
            if "=" in text:
                yield from ((word, flag, value) for flag, value in _FLAG.findall(text))
                continue
            following = string_value(words[index + 1]) if index + 1 < len(words) else None
            if following is not None and _FLAG.fullmatch(f"{text} {following}"):
                yield words[index + 1], text, following
    elif isinstance(command, cst.BinaryOperation) and isinstance(command.operator, cst.Add):
        yield from _flags(command.left)
        yield from _flags(command.right)
    elif isinstance(command, (cst.SimpleString, cst.ConcatenatedString)):
        text = string_value(command)
        yield from ((command, flag, value) for flag, value in _FLAG.findall(text or ""))
    elif isinstance(command, cst.FormattedString):
        last = len(command.parts) - 1
        for at, part in enumerate(command.parts):  # only the text written out: a formatted value varies
            if isinstance(part, cst.FormattedStringText):
                for match in _FLAG.finditer(part.value):
                    if at == last or match.end() < len(part.value):  # ``--lr 0.00{k}`` is not ``0.00``
                        yield command, match.group(1), match.group(2)
