"""flake8 plugin: the same engine, findings handed to flake8.

Registered as ``HPL`` under ``flake8.extension``.  It reads the same
``[tool.hplint]`` configuration as the CLI, so ``flake8 --select HPL`` and
``hplint`` report the same findings; ``--hpl-<option>`` flags (also in
setup.cfg, tox.ini or .flake8) override it.  flake8 runs no plugin on a
file CPython cannot parse (it reports E999 itself), so the findings hplint
still makes in such a file's parseable statements are the CLI's only; and
``HPL001`` is never handed to flake8.

Suppressions are the engine's (``core.noqa``): a ``# noqa`` on any line of
the reported statement and the file-level ``# hplint: noqa``, ``# ruff:
noqa`` and ``# flake8: noqa`` forms drop a finding before flake8 sees it, so
the plugin reports what the CLI reports; flake8's ``--disable-noqa`` turns
them off as the CLI's does.  (flake8 itself skips a file with ``# flake8:
noqa``, codes or not, before any plugin runs.)
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, Iterator, List, Optional, Tuple

from hplint import __version__
from hplint.core.config import Config, ConfigError, ConfigResolver, coerce_option
from hplint.core.registry import all_options, all_rules
from hplint.engine.lint import SYNTAX_ERROR, lint_source

_VOCAB_OPTIONS = ("log-scale-names", "batch-size-names", "linear-names")


class HplintChecker:
    name = "hplint"
    version = __version__

    _overrides: ClassVar[Dict[str, Any]] = {}
    _resolver: ClassVar[Optional[ConfigResolver]] = None

    def __init__(self, tree: Any, filename: str, lines: List[str]) -> None:
        self.tree = tree  # flake8's ast: the prefilter's second stage reuses it
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        for opt in all_options().values():
            parser.add_option(
                f"--hpl-{opt.name}",
                default=None,
                parse_from_config=True,
                comma_separated_list=opt.type in (list, tuple),
                help=f"hplint: {opt.help} (default: {opt.default!r})",
            )
        for name in _VOCAB_OPTIONS:
            parser.add_option(
                f"--hpl-{name}",
                default=None,
                parse_from_config=True,
                comma_separated_list=True,
                help=f"hplint: extra {name.replace('-', ' ')} for the vocabulary",
            )
        parser.add_option(
            "--hpl-extend-select",
            default=None,
            parse_from_config=True,
            comma_separated_list=True,
            help="hplint: opt-in rules to enable (codes or prefixes)",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        overrides: Dict[str, Any] = {"disable_noqa": bool(getattr(options, "disable_noqa", False))}
        values: Dict[str, Any] = {}
        for opt in all_options().values():
            raw = getattr(options, f"hpl_{opt.key}", None)
            if raw is None:
                continue
            values[opt.name] = coerce_option(opt, _convert(opt.type, raw), f"flake8 option --hpl-{opt.name}")
        if values:
            overrides["options"] = values
        extend = getattr(options, "hpl_extend_select", None)
        if extend:
            overrides["extend_select"] = [c.strip() for c in extend if c.strip()]
        cls._vocab = {name: getattr(options, f"hpl_{name.replace('-', '_')}", None) or [] for name in _VOCAB_OPTIONS}
        unreported = _unreported_codes(options)
        if unreported:
            # flake8 would drop these findings anyway: do not spend time on them
            overrides["ignore"] = sorted(unreported)
        cls._active = len(unreported) < len(all_rules())
        cls._overrides = overrides
        cls._resolver = ConfigResolver(overrides=overrides)

    _vocab: ClassVar[Dict[str, List[str]]] = {}
    _active: ClassVar[bool] = True

    def _config(self) -> Optional[Config]:
        resolver = type(self)._resolver or ConfigResolver(overrides=type(self)._overrides)
        try:
            config = resolver.for_path(self.filename)
        except ConfigError:
            return None  # the CLI reports config errors; flake8 must not crash
        vocab = type(self)._vocab
        if any(vocab.values()):
            config = config.override(
                vocabulary=config.vocabulary.extended(
                    log=vocab.get("log-scale-names", ()),
                    batch=vocab.get("batch-size-names", ()),
                    linear=vocab.get("linear-names", ()),
                )
            )
        return config

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        if not type(self)._active:
            return  # flake8's --select / --ignore leaves no hplint code to report
        config = self._config()
        if config is None:
            return
        source = "".join(self.lines)
        for diag in lint_source(source, self.filename, config, tree=self.tree):
            if diag.code == SYNTAX_ERROR:
                continue
            yield diag.line, diag.col, f"{diag.code} {diag.message}", type(self)


def _unreported_codes(options: Any) -> FrozenSet[str]:
    """hplint codes flake8's own select/ignore settings would discard."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return frozenset(r.code for r in all_rules() if engine.decision_for(r.code) is Decision.Ignored)
    except Exception:  # an options object without flake8's fields: report everything
        return frozenset()


def _convert(kind: type, raw: Any) -> Any:
    if kind in (int, float) and isinstance(raw, str):
        try:
            return kind(raw) if kind is int else float(raw)
        except ValueError:
            return raw
    if kind is bool and isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
