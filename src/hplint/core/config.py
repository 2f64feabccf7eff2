"""``[tool.hplint]`` in pyproject.toml: rule selection, excludes, options.

The nearest ``pyproject.toml`` above a linted file that has a ``[tool.hplint]``
table applies to it (ruff's rule).  Every problem in it is one clear line that
names the file and the key; hplint then exits with status 2.
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

from hplint.core.registry import all_options, all_rules
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Vocabulary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration problem; ``str()`` is the one line shown to the user."""


DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", ".tox", ".nox", "__pycache__",
    "build", "dist", "node_modules", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".hplint_cache", "site-packages", ".ipynb_checkpoints",
)

_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude",
              "log-scale-names", "batch-size-names", "linear-names", "include")


@functools.lru_cache(maxsize=256)
def _enabled_codes(select, extend_select, ignores, registered: int) -> FrozenSet[str]:
    """``Config.enabled_codes`` once per distinct selection (and set of rules
    registered): it is asked for every file."""
    return Config._resolve_codes(select, extend_select, ignores)


def _rule_selector_valid(selector: str) -> bool:
    selector = selector.upper()
    if not selector.startswith("HPL"):
        return False
    from hplint.core.registry import FAMILIES, documented

    known = [r.code for r in documented()] + list(FAMILIES)
    return any(code.startswith(selector) for code in known)


@dataclass(frozen=True)
class Config:
    """The effective settings for one file."""

    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    # YAML/JSON: only sweep configs (W&B, Hydra) among them are read (``hplint.sweeps``);
    # shell scripts and Markdown: only Hydra multirun command lines
    include: Tuple[str, ...] = ("*.py", "*.pyi", "*.ipynb", "*.yaml", "*.yml", "*.json", "*.sh", "*.md")
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    options: Tuple[Tuple[str, Any], ...] = ()
    vocabulary: Vocabulary = DEFAULT_VOCABULARY
    disable_noqa: bool = False
    respect_gitignore: bool = True  # skip what .gitignore excludes while walking folders
    root: Optional[str] = None  # directory of the config file
    source: Optional[str] = None  # the config file itself

    # -- selection --------------------------------------------------------
    def enabled_codes(self, path: Optional[str] = None) -> FrozenSet[str]:
        """Codes in force, resolved like ruff: the most specific selector wins."""
        ignores = tuple(self.ignore) + tuple(self._per_file_ignores(path))
        return _enabled_codes(self.select, self.extend_select, ignores, len(all_rules()))

    def enabled_result_codes(self) -> FrozenSet[str]:
        """The ``hplint study`` checks in force, chosen by the same selection as the rules."""
        from hplint.core.registry import result_checks

        return Config._resolve_codes(self.select, self.extend_select, tuple(self.ignore), result_checks())

    @staticmethod
    def _resolve_codes(select, extend_select, ignores, rules=None) -> FrozenSet[str]:
        codes = []
        for rule in all_rules() if rules is None else rules:
            code = rule.code
            if select is None:
                chosen = 0 if rule.default_enabled else -1
            else:
                chosen = Config._match_len(code, select)
            chosen = max(chosen, Config._match_len(code, extend_select))
            if chosen < 0:
                continue
            ignored = Config._match_len(code, ignores)
            if ignored >= 0 and ignored >= chosen:
                continue  # on a tie the ignore wins, as in ruff
            codes.append(code)
        return frozenset(codes)

    @staticmethod
    def _match_len(code: str, selectors: Iterable[str]) -> int:
        best = -1
        for sel in selectors:
            sel = sel.upper()
            if sel in ("ALL",) or code.startswith(sel):
                best = max(best, len(sel) if sel != "ALL" else 0)
        return best

    def _per_file_ignores(self, path: Optional[str]) -> List[str]:
        if not path or not self.per_file_ignores:
            return []
        rel = self.relative(path)
        found: List[str] = []
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern):
                found.extend(codes)
        return found

    def relative(self, path: str) -> str:
        absolute = os.path.abspath(path)
        base = self.root or os.getcwd()
        try:
            rel = os.path.relpath(absolute, base)
        except ValueError:
            rel = absolute
        return rel.replace(os.sep, "/")

    def is_excluded(self, path: str, below: Optional[str] = None) -> bool:
        """Whether ``path`` is excluded.  ``below``: the folder a walk started
        from; a pattern without ``/`` (``build``, ``venv``) then only judges
        the parts of the path below it, never the folder the user named or its
        parents (``hplint /opt/build/proj`` lints the project)."""
        rel = self.relative(path)
        exclusion = _exclusion(tuple(self.exclude) + tuple(self.extend_exclude))
        if below is None:
            return exclusion.matches(rel)
        inner = os.path.relpath(os.path.abspath(path), os.path.abspath(below)).replace(os.sep, "/")
        return exclusion.matches_below(rel, inner)

    # -- options ------------------------------------------------------------
    def option(self, name: str) -> Any:
        for key, value in self.options:
            if key == name:
                return value
        opts = all_options()
        if name not in opts:
            raise KeyError(f"unknown option {name}")
        return opts[name].default

    def with_options(self, **values: Any) -> "Config":
        merged = dict(self.options)
        merged.update({k.replace("_", "-"): v for k, v in values.items()})
        return replace(self, options=tuple(sorted(merged.items())))

    def override(self, **changes: Any) -> "Config":
        changes = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **changes)

    @property
    def cache_key(self) -> str:
        """Everything that can change findings, as a stable string."""
        vocab = self.vocabulary
        return repr(
            (
                self.select, self.ignore, self.extend_select, self.per_file_ignores,
                self.options, sorted(vocab.extra_log_names), sorted(vocab.extra_batch_names),
                sorted(vocab.extra_linear_names), self.disable_noqa, self.root,
            )
        )


class _Exclusion:
    """Every exclude pattern as one compiled test: ``_glob_match`` on the whole
    path, or ``fnmatch`` on any of its parts.  Discovery asks this for every
    file and folder of a repository; a loop of ``fnmatch`` calls was most of a
    cached rerun's time."""

    def __init__(self, patterns: Tuple[str, ...]) -> None:
        stripped = [p.rstrip("/") for p in patterns]
        self.whole = _any_of(stripped)
        self.last = _any_of([p for p in stripped if "/" not in p])
        self.prefixes = tuple(p + "/" for p in stripped)
        rooted = [p for p in stripped if "/" in p]
        self.rooted = _any_of(rooted)
        self.rooted_prefixes = tuple(p + "/" for p in rooted)
        self.part = _any_of(list(patterns))
        self._parts: Dict[str, bool] = {}

    def matches(self, rel: str) -> bool:
        rel = os.path.normcase(rel)  # as fnmatch does (a no-op on POSIX)
        if self.whole.match(rel) or self.last.match(rel.rsplit("/", 1)[-1]) or rel.startswith(self.prefixes):
            return True
        return any(self._part(part) for part in rel.split("/"))

    def matches_below(self, rel: str, inner: str) -> bool:
        """``matches`` where the name patterns judge only ``inner``, the part
        below a walked folder; patterns with a ``/`` keep judging the path
        from the project root (the user wrote them for that path)."""
        rel, inner = os.path.normcase(rel), os.path.normcase(inner)
        if self.rooted.match(rel) or rel.startswith(self.rooted_prefixes):
            return True
        if self.last.match(inner.rsplit("/", 1)[-1]):
            return True
        return any(self._part(part) for part in inner.split("/") if part not in (".", ".."))

    def _part(self, part: str) -> bool:
        found = self._parts.get(part)
        if found is None:
            found = self._parts[part] = self.part.match(part) is not None
        return found


def _any_of(patterns: List[str]) -> "re.Pattern[str]":
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{fnmatch.translate(os.path.normcase(p))})" for p in patterns))


@functools.lru_cache(maxsize=64)
def _exclusion(patterns: Tuple[str, ...]) -> _Exclusion:
    return _Exclusion(patterns)


def _glob_match(rel: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(rel, pattern):
        return True
    if "/" not in pattern and fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern):
        return True
    return rel.startswith(pattern + "/")


# ---------------------------------------------------------------------------
# loading


_HPLINT_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*hplint\b|tool\.hplint\b", re.M)


def find_config_file(start: str) -> Optional[Path]:
    """The nearest pyproject.toml at or above ``start`` with a [tool.hplint] table.

    A pyproject.toml that names hplint but cannot be read as UTF-8 is an error
    (ConfigError), not a file to skip: its settings would silently not apply.
    """
    path = Path(start).resolve()
    if path.is_file() or not path.exists():
        path = path.parent
    for directory in (path, *path.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = candidate.read_bytes()
            except OSError:
                continue
            if b"hplint" not in data:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{candidate}: not valid UTF-8 (byte {exc.start}); TOML files must be UTF-8") from None
            if _HPLINT_TABLE.search(text) or _names_hplint_in_tool(text):
                return candidate
    return None


def _names_hplint_in_tool(text: str) -> bool:
    """``[tool]`` with an ``hplint = ...`` key: not a table, but meant for hplint."""
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return False
    return isinstance(tool, dict) and "hplint" in tool


def load_config_file(path: Path) -> Config:
    """Parse and validate one pyproject.toml; raise ConfigError on any problem."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read: {exc}") from None
    table = data.get("tool", {}).get("hplint")
    if table is None:
        return Config(root=str(path.parent), source=where)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: tool.hplint: expected a table")
    return config_from_mapping(table, where=where, root=str(path.parent))


def config_from_mapping(table: Dict[str, Any], where: str = "<config>", root: Optional[str] = None) -> Config:
    """Validate a ``[tool.hplint]``-shaped mapping into a Config."""
    options = all_options()
    values: Dict[str, Any] = {}
    opt_values: Dict[str, Any] = {}
    vocab_ext: Dict[str, List[str]] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        loc = f"{where}: tool.hplint.{raw_key}"
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{loc}: expected a list of strings, got {type(value).__name__}")
            if key in ("select", "ignore", "extend-select"):
                for sel in value:
                    if not _rule_selector_valid(sel):
                        raise ConfigError(f"{loc}: unknown rule code or prefix {sel!r}")
            if key in ("log-scale-names", "batch-size-names", "linear-names"):
                vocab_ext[key] = value
            else:
                values[key.replace("-", "_")] = tuple(value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{loc}: expected a table of glob = [codes]")
            pfi = []
            for glob, codes in value.items():
                if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                    raise ConfigError(f"{loc}.{glob}: expected a list of rule codes")
                for code in codes:
                    if not _rule_selector_valid(code):
                        raise ConfigError(f"{loc}.{glob}: unknown rule code or prefix {code!r}")
                pfi.append((glob, tuple(codes)))
            values["per_file_ignores"] = tuple(pfi)
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{loc}: expected true or false, got {value!r}")
            values["respect_gitignore"] = value
        elif key in options:
            opt = options[key]
            opt_values[key] = coerce_option(opt, value, loc)
        else:
            raise ConfigError(f"{loc}: unknown key")
    vocabulary = DEFAULT_VOCABULARY.extended(
        log=vocab_ext.get("log-scale-names", ()),
        batch=vocab_ext.get("batch-size-names", ()),
        linear=vocab_ext.get("linear-names", ()),
    )
    return Config(
        **values,
        options=tuple(sorted(opt_values.items())),
        vocabulary=vocabulary,
        root=root,
        source=where,
    )


def coerce_option(opt, value: Any, loc: str) -> Any:
    """Check an option's type (an int is a fine float; a bool is no int)."""
    if opt.type is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{loc}: expected true or false, got {value!r}")
        return value
    if opt.type in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{loc}: expected a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{loc}: expected a finite number ({opt.allowed}), got {value!r}")
        if opt.type is int and not float(value).is_integer():
            raise ConfigError(f"{loc}: expected an integer, got {value!r}")
        too_low = opt.minimum is not None and (value <= opt.minimum if opt.above else value < opt.minimum)
        too_high = opt.maximum is not None and value > opt.maximum
        if too_low or too_high:
            raise ConfigError(f"{loc}: expected a number {opt.allowed}, got {value!r}")
        return opt.type(value)
    if opt.type in (list, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{loc}: expected a list of strings")
        return tuple(value)
    if not isinstance(value, opt.type):
        raise ConfigError(f"{loc}: expected {opt.type.__name__}, got {value!r}")
    return value


class ConfigResolver:
    """Finds and caches the Config for each file (one lookup per directory)."""

    def __init__(self, explicit: Optional[str] = None, overrides: Optional[Dict[str, Any]] = None, isolated: bool = False) -> None:
        self.explicit = explicit
        self.overrides = overrides or {}
        self.isolated = isolated
        self._by_dir: Dict[str, Config] = {}
        self._by_file: Dict[str, Config] = {}

    def for_path(self, path: str) -> Config:
        directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        if self.isolated:
            base = Config(root=os.getcwd())
        elif self.explicit:
            base = self._load(Path(self.explicit))
        else:
            found = find_config_file(directory)
            base = self._load(found) if found is not None else Config(root=os.getcwd())
        config = apply_overrides(base, self.overrides)
        self._by_dir[directory] = config
        return config

    def _load(self, path: Path) -> Config:
        key = str(path)
        if key not in self._by_file:
            self._by_file[key] = load_config_file(path)
        return self._by_file[key]


def apply_overrides(config: Config, overrides: Dict[str, Any]) -> Config:
    """CLI flags win over the file, as in ruff (``--select`` replaces ``select``,
    ``--per-file-ignores`` replaces ``per-file-ignores``; ``--ignore``,
    ``--extend-select``, ``--extend-exclude`` and ``--extend-per-file-ignores``
    add to the file's)."""
    changes: Dict[str, Any] = {}
    if overrides.get("select") is not None:
        # a selection on the command line replaces the file's whole selection
        changes["ignore"] = ()
        changes["extend_select"] = ()
    for key in ("select", "ignore", "extend_select", "extend_exclude", "exclude"):
        if overrides.get(key) is not None:
            value = tuple(overrides[key])
            if key in ("ignore", "extend_select", "extend_exclude"):
                value = tuple(changes.get(key, getattr(config, key))) + value
            changes[key] = value
    if overrides.get("disable_noqa"):
        changes["disable_noqa"] = True
    if overrides.get("respect_gitignore") is not None:
        changes["respect_gitignore"] = bool(overrides["respect_gitignore"])
    if overrides.get("per_file_ignores") is not None:
        changes["per_file_ignores"] = tuple(overrides["per_file_ignores"])
    if overrides.get("extend_per_file_ignores"):
        base = changes.get("per_file_ignores", config.per_file_ignores)
        changes["per_file_ignores"] = tuple(base) + tuple(overrides["extend_per_file_ignores"])
    if changes:
        config = replace(config, **changes)
    if overrides.get("options"):
        config = config.with_options(**overrides["options"])
    return config
