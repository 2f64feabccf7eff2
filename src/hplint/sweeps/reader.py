"""Reading a sweep file: the cheap text test, then PyYAML's node graph, whose
marks give every key and value its line, column and string offset.

Most ``.yaml``/``.json`` files in a repository are CI workflows, compose
files, manifests and data: ``may_hold_sweep`` rejects them on the text (two
substring searches, then one regular expression) before any YAML parse.
Values are read from the node graph, never through PyYAML's type resolver:
YAML 1.1 reads ``1e-5`` (no dot) as a string, W&B users write it anyway, so
a plain scalar that reads as a number is a number.  Interpolations
(``${lr}``, ``${oc.env:LR}``) are not numbers: they are not known here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Tuple

if TYPE_CHECKING:
    import yaml

# shell scripts and Markdown: Hydra multirun command lines (``sweeps.multirun``)
COMMAND_SUFFIXES = (".sh", ".md")
SWEEP_SUFFIXES = (".yaml", ".yml", ".json", *COMMAND_SUFFIXES)
# bigger files are data, not sweep configurations: never read
MAX_SWEEP_BYTES = 1 << 20
_SWEEP_KEY = re.compile(r"""(?:^|[{,])[ \t]*["']?(method|parameters)["']?[ \t]*:""", re.MULTILINE)
_SWEEPER = re.compile(r"(?:^|[{,])[ \t]*[\"']?sweeper[\"']?[ \t]*:|^#[ \t]*@package[ \t]+hydra\.sweeper", re.MULTILINE)
_MULTIRUN = re.compile(r"(?:^|\s)(?:-m|--multirun)(?=\s|$)")
_LISTED = re.compile(r"[\w.+/@-]=[^\s=,]*,")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?")


def is_sweep_path(path: str) -> bool:
    return path.lower().endswith(SWEEP_SUFFIXES)


def is_command_path(path: str) -> bool:
    return path.lower().endswith(COMMAND_SUFFIXES)


def may_hold_sweep(text: str, path: str = "") -> bool:
    """A W&B sweep or a Hydra sweeper config may be in the text (in a shell
    script or Markdown file: a multirun command line)."""
    if is_command_path(path):
        return may_hold_multirun(text)
    return may_hold_wandb(text) or may_hold_hydra(text)


def may_hold_multirun(text: str) -> bool:
    """A ``-m``/``--multirun`` word and an override with a comma after ``=``."""
    return ("-m" in text or "--multirun" in text) and _MULTIRUN.search(text) is not None and _LISTED.search(text) is not None


def may_hold_wandb(text: str) -> bool:
    """Both ``method`` and ``parameters`` written as keys somewhere (a sweep may
    sit under ``sweep:``, ``wandb: sweep_args:``, ``search:``)."""
    if "method" not in text or "parameters" not in text:
        return False
    return {m.group(1) for m in _SWEEP_KEY.finditer(text)} == {"method", "parameters"}


def may_hold_hydra(text: str) -> bool:
    """A ``sweeper:`` key, or a file of the ``hydra.sweeper`` package."""
    return "sweeper" in text and _SWEEPER.search(text) is not None


class YamlProblem(Exception):
    """The text does not parse: ``line``/``column`` 0-based, as PyYAML marks."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def compose(text: str, path: str = "") -> List["yaml.Node"]:
    """Every document's root node (PyYAML's pure-Python composer: its marks
    count characters of ``text``, so ``mark.index`` is a string offset)."""
    import yaml

    if path.lower().endswith(".json"):
        # a tab is whitespace in JSON (it may stand nowhere else), not in
        # PyYAML's flow context: a space of the same length keeps the offsets
        text = text.replace("\t", " ")
    try:
        return [node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "not valid YAML"
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            what = f"{exc.context} started at line {exc.context_mark.line + 1}: {what}"
        elif exc.context:
            what = f"{exc.context}: {what}"
        return _raise(what, mark.line if mark else 0, mark.column if mark else 0)
    except yaml.YAMLError as exc:
        return _raise(str(exc).splitlines()[0] if str(exc) else "not valid YAML", 0, 0)


def _raise(message: str, line: int, column: int) -> List["yaml.Node"]:
    raise YamlProblem(message, line, column)


def parses(text: str, path: str = "") -> bool:
    try:
        compose(text, path)
    except YamlProblem:
        return False
    return True


# -- values ------------------------------------------------------------------


def is_mapping(node) -> bool:
    return type(node).__name__ == "MappingNode"


def is_sequence(node) -> bool:
    return type(node).__name__ == "SequenceNode"


def is_scalar(node) -> bool:
    return type(node).__name__ == "ScalarNode"


def text_of(node) -> Optional[str]:
    """A scalar's string value (quoted or not), or None for anything else."""
    return node.value if is_scalar(node) else None


def number_of(node) -> Optional[float]:
    """A plain scalar that reads as a finite number, in whatever YAML version;
    None for a quoted string, an interpolation, ``.inf`` or anything else."""
    if not is_scalar(node) or node.style is not None:
        return None
    value = node.value.strip()
    if not value or not any(c.isdigit() for c in value) or not _FLOAT.fullmatch(value):
        return None
    try:
        return float(value.replace("_", ""))
    except ValueError:
        return None


def is_integer(node) -> bool:
    """Written as an integer: W&B infers ``int_uniform`` from integer bounds."""
    return is_scalar(node) and node.style is None and _INT.fullmatch(node.value.strip()) is not None


@dataclass(frozen=True)
class Entry:
    key: "yaml.Node"
    value: "yaml.Node"


def entries(mapping) -> Dict[str, Entry]:
    """A mapping's entries with scalar keys (the last of duplicates, as loaders keep)."""
    found: Dict[str, Entry] = {}
    for key, value in mapping.value:
        if is_scalar(key):
            found[key.value] = Entry(key, value)
    return found


def mappings(root, depth: int = 4) -> Iterator[Tuple[Tuple[str, ...], "yaml.Node"]]:
    """(key path, mapping) for ``root`` and the mappings under it, ``depth`` levels
    down; an anchor's mapping is visited once."""
    seen = set()
    stack = [((), root, 0)]
    while stack:
        keys, node, level = stack.pop()
        if not is_mapping(node) or id(node) in seen:
            continue
        seen.add(id(node))
        yield keys, node
        if level < depth:
            for name, entry in reversed(list(entries(node).items())):
                stack.append(((*keys, name), entry.value, level + 1))
