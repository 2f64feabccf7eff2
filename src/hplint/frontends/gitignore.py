"""Ignore files, read as ruff reads them while walking folders.

ruff skips what ``.gitignore``, ``.git/info/exclude``, the global git ignore
file and ``.ignore`` files exclude (``respect-gitignore``, on by default).
It reads the files itself (the ``ignore`` crate), without running git, so
hplint does the same: the patterns follow gitignore(5), a tracked file that a
pattern matches is skipped too, and ``.gitignore`` files count only inside a
git work tree.  Only files found by walking a folder are judged; a folder or
file named on the command line is always checked.

Precedence, lowest first (the last matching pattern decides, a ``!pattern``
re-includes): the global ignore file, ``info/exclude``, the ``.gitignore``
files from the work tree's root down to the file's folder, then ``.ignore``
files the same way.  A folder that is ignored is not entered, so nothing
below it can be re-included (as in git).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class Pattern:
    base: str  # the folder the pattern is relative to (absolute, normalised)
    regex: "re.Pattern[str]"
    negated: bool
    directory_only: bool


def translate(line: str) -> Optional[Tuple[str, bool, bool]]:
    """One gitignore line as (regex over a '/'-separated relative path,
    negated, directory only); None for a blank line or a comment."""
    line = line.rstrip("\r\n")
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]  # trailing spaces count only when escaped
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    directory_only = line.endswith("/")
    if directory_only:
        line = line[:-1]
    if not line:
        return None
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    body = _body(line)
    prefix = "" if anchored or line.startswith("**/") else "(?:.*/)?"
    return "^" + prefix + body + "$", negated, directory_only


def _body(pattern: str) -> str:
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")  # leading "**/" or "/**/": zero or more folders
            i += 3
        elif pattern.startswith("**", i) and i + 2 == n and (i == 0 or pattern[i - 1] == "/"):
            out.append(".*")  # trailing "/**": everything inside
            i += 2
        elif pattern[i] == "*":
            while i < n and pattern[i] == "*":
                i += 1  # other runs of asterisks are one asterisk
            out.append("[^/]*")
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end, klass = _bracket(pattern, i)
            if klass is None:
                out.append(re.escape("["))
                i += 1
            else:
                out.append(klass)
                i = end
        elif pattern[i] == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def _bracket(pattern: str, start: int) -> Tuple[int, Optional[str]]:
    """A ``[...]`` class from ``start``: (index after it, regex), or no class."""
    i = start + 1
    negate = i < len(pattern) and pattern[i] in "!^"
    if negate:
        i += 1
    chars: List[str] = []
    first = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and not first:
            inner = "".join(chars)
            return i + 1, "(?!/)[" + ("^" if negate else "") + inner + "]"
        if ch == "\\" and i + 1 < len(pattern):
            chars.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            chars.append("\\" + ch if ch in "\\^[]" else ch)
            i += 1
        first = False
    return start, None


def read_patterns(path: str, base: str) -> List[Pattern]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    patterns = []
    for line in lines:
        parsed = translate(line)
        if parsed is None:
            continue
        regex, negated, directory_only = parsed
        try:
            compiled = re.compile(regex, re.DOTALL)
        except re.error:
            continue  # a pattern git would not match anything with
        patterns.append(Pattern(base, compiled, negated, directory_only))
    return patterns


class IgnoreRules:
    """The patterns in force in one folder, and whether they exclude a path."""

    def __init__(self, gitignore: Sequence[Pattern], dot_ignore: Sequence[Pattern], in_git: bool) -> None:
        self.gitignore = tuple(gitignore)
        self.dot_ignore = tuple(dot_ignore)
        self.patterns = self.gitignore + self.dot_ignore  # in precedence order, lowest first
        self.in_git = in_git

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` is excluded (an absolute path is taken as normalised)."""
        if not self.patterns:
            return False
        absolute = path if os.path.isabs(path) else os.path.abspath(path)
        relative: Dict[str, Optional[str]] = {}
        verdict = False
        for pattern in self.patterns:
            if pattern.directory_only and not is_dir:
                continue
            if pattern.base not in relative:
                relative[pattern.base] = _below(absolute, pattern.base)
            rel = relative[pattern.base]
            if rel is not None and pattern.regex.match(rel):
                verdict = not pattern.negated
        return verdict

    def entering(self, directory: str) -> "IgnoreRules":
        """The rules below ``directory``: its own ignore files added (a nested
        work tree starts over from its own)."""
        directory = os.path.abspath(directory)
        if _is_work_tree(directory):
            return rules_for_root(directory)
        gitignore = self.gitignore
        if self.in_git:
            gitignore += tuple(read_patterns(os.path.join(directory, ".gitignore"), directory))
        dot_ignore = self.dot_ignore + tuple(read_patterns(os.path.join(directory, ".ignore"), directory))
        return IgnoreRules(gitignore, dot_ignore, self.in_git)


def _below(path: str, base: str) -> Optional[str]:
    """``path`` relative to ``base`` with '/', or None when it is not below it."""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix):].replace(os.sep, "/")


def _is_work_tree(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, ".git"))


def work_tree_root(directory: str) -> Optional[str]:
    """The nearest folder at or above ``directory`` with a ``.git``."""
    current = os.path.abspath(directory)
    while True:
        if _is_work_tree(current):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def rules_for_root(root: str) -> IgnoreRules:
    """The rules in force in ``root``, a folder a walk starts from: those of
    its work tree's global and repository files and of every folder from the
    work tree's root down to ``root``."""
    root = os.path.abspath(root)
    top = work_tree_root(root)
    folders = _folders_between(top or root, root)
    gitignore: List[Pattern] = []
    if top is not None:
        excludes = global_excludes_file()
        if excludes:
            gitignore += read_patterns(excludes, top)
        git_dir = _git_dir(top)
        if git_dir is not None:
            gitignore += read_patterns(os.path.join(git_dir, "info", "exclude"), top)
        for folder in folders:
            gitignore += read_patterns(os.path.join(folder, ".gitignore"), folder)
    dot_ignore: List[Pattern] = []
    for folder in folders:
        dot_ignore += read_patterns(os.path.join(folder, ".ignore"), folder)
    return IgnoreRules(gitignore, dot_ignore, in_git=top is not None)


def _folders_between(top: str, bottom: str) -> List[str]:
    chain = [bottom]
    while chain[-1] != top:
        parent = os.path.dirname(chain[-1])
        if parent == chain[-1]:
            break
        chain.append(parent)
    return list(reversed(chain))


def _git_dir(top: str) -> Optional[str]:
    """The repository folder of a work tree (``.git``, or where a ``.git``
    file of a linked work tree or submodule points, via its ``commondir``)."""
    dot_git = os.path.join(top, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.normpath(os.path.join(top, first[len("gitdir:"):].strip()))
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(git_dir, handle.readline().strip()))
    except OSError:
        return git_dir


def global_excludes_file() -> Optional[str]:
    """``core.excludesFile`` from the user's git configuration, else git's
    default (``$XDG_CONFIG_HOME/git/ignore``, ``~/.config/git/ignore``)."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    for config in (os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config")):
        configured = _excludes_file_setting(config)
        if configured:
            return os.path.expanduser(configured)
    default = os.path.join(xdg, "git", "ignore")
    return default if os.path.isfile(default) else None


def _excludes_file_setting(config: str) -> Optional[str]:
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    section = ""
    found: Optional[str] = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]").split()[0].lower() if stripped.strip("[]").split() else ""
            continue
        if section == "core" and "=" in stripped:
            key, _, value = stripped.partition("=")
            if key.strip().lower() == "excludesfile":
                found = value.strip().strip('"')
    return found


class IgnoreCache:
    """Rules per folder during one walk: each folder's from its parent's."""

    def __init__(self) -> None:
        self._by_dir: Dict[str, IgnoreRules] = {}

    def rules(self, directory: str, root: str) -> IgnoreRules:
        key = os.path.abspath(directory)
        found = self._by_dir.get(key)
        if found is not None:
            return found
        if key == os.path.abspath(root):
            found = rules_for_root(key)
        else:
            found = self.rules(os.path.dirname(key), root).entering(key)
        self._by_dir[key] = found
        return found
