"""Which rules can fire on a file, decided before libcst parses it.

Each rule declares a ``trigger``: what must be present for it to report.
The text stage reads it on the raw text of every file; the ``ast`` stage
on CPython's tree (8x cheaper than libcst's) of the files some rule's text
stage admitted.  Only files a rule's trigger admits on both reach libcst.
"""

from __future__ import annotations

import ast
import os
from typing import TYPE_CHECKING, List, Optional, Sequence, Type

from hplint.core.registry import all_options
from hplint.engine.syntax import parse_ast
from hplint.prefilter import text
from hplint.prefilter.astindex import index

if TYPE_CHECKING:
    from hplint.core.config import Config
    from hplint.core.rule import Rule

# Off only to prove prefilters sound: a run without them must report the same.
PREFILTER = os.environ.get("HPLINT_NO_PREFILTER", "") == ""


def candidate_rules(
    source: str, rules: Sequence[Type["Rule"]], config: Optional["Config"] = None, tree: Optional[ast.AST] = None
) -> List[Type["Rule"]]:
    """The rules whose trigger admits ``source``: the rest cannot fire here.

    Triggers know the built-in vocabulary and option defaults only; a name the
    user added in config may stand where a built-in one would, so it admits
    every rule, and a rule whose options were changed always runs.  Source
    ``ast`` cannot parse keeps every rule its text admits, so libcst reports
    the error.
    """
    if not PREFILTER or (config is not None and _mentions_user_names(source, config)):
        return list(rules)
    customised = _customised_rules(rules, config)
    scanned = text.scan(text.unix_newlines(source))
    admitted = [rule for rule in rules if rule in customised or rule.trigger.text(scanned)]
    if all(rule in customised for rule in admitted):
        return admitted
    if tree is None:
        tree = parse_ast(source)
        if tree is None:
            return admitted
    found = index(tree)
    return [rule for rule in admitted if rule in customised or rule.trigger.tree(found)]


def _customised_rules(rules: Sequence[Type["Rule"]], config: Optional["Config"]) -> Sequence[Type["Rule"]]:
    """Rules with an option set away from its default: their triggers only
    know the defaults (say, the default interaction pairs), so they always run."""
    if config is None or not config.options:
        return ()
    changed = {name for name, value in config.options if all_options()[name].default != value}
    return [rule for rule in rules if any(opt.name in changed for opt in rule.options)]


def _mentions_user_names(source: str, config: "Config") -> bool:
    vocab = config.vocabulary
    extra = vocab.extra_log_names | vocab.extra_batch_names | vocab.extra_linear_names
    if not extra:
        return False
    folded = source.lower()
    # names are stored normalized (snake_case): match camelCase spellings too
    return any(name in folded or name.replace("_", "") in folded for name in extra)
