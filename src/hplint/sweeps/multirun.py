"""Hydra multirun command lines in shell scripts and in the fenced code
blocks of Markdown files: ``python train.py -m model.lr=0.1,0.01,0.001
model.depth=2,4,8`` runs the basic sweeper's grid, HPL102 as in a
``hydra.sweeper.params`` block (``overrides``).

Words are read as the shell reads them (quotes removed, ``\\``-newline
joined), so ``'model.tags="a,b"'`` is one value, as Hydra gets it.  A
command counts when it runs a Python program (``python``, ``python -m pkg``,
a ``*.py`` script after a launcher) with ``-m``/``--multirun``
(``python -m`` names a module and does not count); overrides are read after
the program only, never the environment assignments before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

from hplint.sweeps.overrides import basic_grid_message, numbers_of, sweep_size

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$", re.MULTILINE)
_SHELL_BLOCKS = frozenset({"", "bash", "sh", "shell", "console", "zsh", "shell-session", "bash-session"})
_PYTHON = re.compile(r"(?:.*/)?python[\d.]*")
_OVERRIDE = re.compile(r"([+]{0,2})([A-Za-z_][\w./@-]*)=(.*)", re.DOTALL)
_SEPARATORS = (";", "&", "|", "\n", "(", ")")


@dataclass(frozen=True)
class Word:
    text: str  # as the program gets it
    start: int  # offsets of its written form in the file
    end: int
    brace: bool  # an unquoted ``{``: the shell may expand it


def regions(text: str, path: str) -> Iterator[Tuple[int, int]]:
    """The spans of ``text`` that hold shell: all of a script, the shell
    (or unlabelled) fenced blocks of a Markdown file."""
    if not path.lower().endswith(".md"):
        yield 0, len(text)
        return
    at = 0
    while True:
        opening = _FENCE.search(text, at)
        if opening is None:
            return
        fence = opening.group(1)
        closing = re.compile(rf"^[ \t]{{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*$", re.MULTILINE).search(text, opening.end())
        end = closing.start() if closing is not None else len(text)
        if opening.group(2).strip("{}.").lower() in _SHELL_BLOCKS:
            yield opening.end(), end
        if closing is None:
            return
        at = closing.end()


def commands(text: str, start: int, end: int) -> Iterator[List[Word]]:
    """The simple commands in ``text[start:end]``, as lists of words."""
    words: List[Word] = []
    current: List[str] = []
    begin, brace, quoted = -1, False, False
    at = start

    def finish() -> None:
        nonlocal begin, brace, quoted
        if begin >= 0:
            words.append(Word("".join(current), begin, at, brace))
        current.clear()
        begin, brace, quoted = -1, False, False

    while at < end:
        char = text[at]
        if char == "\\" and at + 1 < end:
            if text[at + 1] in "\r\n":
                at += 3 if text.startswith("\r\n", at + 1) else 2
                continue
            begin = at if begin < 0 else begin
            current.append(text[at + 1])
            at += 2
            continue
        if char in "'\"":
            begin = at if begin < 0 else begin
            close = at + 1
            while close < end and text[close] != char:
                close += 2 if char == '"' and text[close] == "\\" else 1
            current.append(text[at + 1 : close].replace('\\"', '"') if char == '"' else text[at + 1 : close])
            at = close + 1
            continue
        if char == "#" and begin < 0:
            newline = text.find("\n", at, end)
            at = end if newline < 0 else newline
            continue
        if char in " \t\r" or char in _SEPARATORS and not (char in "()" and begin >= 0):  # ``x=range(1,3)``: one word to the program
            finish()
            if char in _SEPARATORS and words:
                yield list(words)
                words.clear()
            at += 1
            continue
        begin = at if begin < 0 else begin
        brace = brace or char == "{"
        current.append(char)
        at += 1
    finish()
    if words:
        yield words


def arguments(words: List[Word]) -> Optional[List[Word]]:
    """The words after the Python program a command runs, or None."""
    for index, word in enumerate(words):
        if word.text.endswith(".py"):
            return words[index + 1 :]
        if _PYTHON.fullmatch(word.text):
            at = index + 1
            while at < len(words) and words[at].text.startswith("-"):
                if words[at].text == "-m":
                    return words[at + 2 :]
                if words[at].text == "-c":
                    return None
                at += 1
    return None


@dataclass(frozen=True)
class Sweep:
    word: Word  # the first swept override
    last: int  # offset where the command ends
    message: str


def multirun_sweeps(text: str, path: str, config) -> List[Sweep]:
    found: List[Sweep] = []
    for start, end in regions(text, path):
        for words in commands(text, start, end):
            sweep = _sweep(words, config)
            if sweep is not None:
                found.append(sweep)
    return found


def multirun_arguments(words: List[Word]) -> Optional[List[Word]]:
    """The program's words, when the command runs a Python program in multirun mode."""
    args = arguments(words)
    if not args or not any(_multirun_flag(args, index) for index in range(len(args))):
        return None
    return args


def _multirun_flag(args: List[Word], index: int) -> bool:
    """Hydra's ``-m`` takes no value: one followed by a plain word is another
    program's option (``pytest -m slow``)."""
    word = args[index].text
    if word == "hydra.mode=MULTIRUN":
        return True
    if word not in ("-m", "--multirun"):
        return False
    after = args[index + 1].text if index + 1 < len(args) else ""
    return not after or after.startswith("-") or "=" in after


def has_multirun(text: str, path: str) -> bool:
    """A multirun command that sweeps a key (what ``--show-files`` lists)."""
    for start, end in regions(text, path):
        for words in commands(text, start, end):
            args = multirun_arguments(words) or []
            if any((m := _OVERRIDE.fullmatch(w.text)) is not None and sweep_size(m.group(3)) != 1 for w in args):
                return True
    return False


def _sweep(words: List[Word], config) -> Optional[Sweep]:
    args = multirun_arguments(words)
    if args is None:
        return None
    axes = []
    first: Optional[Word] = None
    for word in args:
        match = _OVERRIDE.fullmatch(word.text)
        if match is None or match.group(2).startswith("hydra"):
            continue
        size = sweep_size(match.group(3))
        if size is None or (word.brace and size > 1):
            return None  # not written here, or the shell expands it
        if size >= 2:
            axes.append((match.group(2), size, numbers_of(match.group(3))))
            first = first or word
    message = basic_grid_message(axes, config) if first is not None else None
    if message is None or first is None:
        return None
    return Sweep(first, words[-1].end, message)
