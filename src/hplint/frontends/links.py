"""Addresses hplint may print: only those it can know to be true.

A rule's page is ``docs/rules/HPLnnn.md`` in hplint's repository.  Its
address is given only when the installed package names its repository
(``[project.urls]`` ``Repository`` or ``Source`` in pyproject.toml) on a host
whose file links hplint knows (GitHub, GitLab); otherwise formats leave the
link out and carry the rule's text instead.
"""

from __future__ import annotations

import functools
from typing import List, Optional
from urllib.parse import urlparse

from hplint.core.registry import get_rule

RULE_DOCS_PATH = "docs/rules"  # relative to the repository root
_REPOSITORY_LABELS = ("repository", "source", "source code", "code")


def _project_urls() -> List[str]:
    """``Project-URL`` entries of the installed distribution ("Label, URL")."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
    except ImportError:  # pragma: no cover
        return []
    try:
        return list(metadata("hplint").get_all("Project-URL") or [])
    except PackageNotFoundError:
        return []


@functools.lru_cache(maxsize=1)
def repository_url() -> Optional[str]:
    for entry in _project_urls():
        label, _, url = entry.partition(",")
        url = url.strip()
        if label.strip().lower() in _REPOSITORY_LABELS and url.startswith("https://"):
            url = url.rstrip("/")
            return url[: -len(".git")] if url.endswith(".git") else url
    return None


def rule_url(code: str) -> Optional[str]:
    """The rule's page in the repository, on its default branch (``HEAD``)."""
    repository = repository_url()
    if repository is None or get_rule(code) is None:
        return None  # HPL001/HPL002 have no page of their own
    host = urlparse(repository).netloc.lower()
    if host in ("github.com", "www.github.com"):
        return f"{repository}/blob/HEAD/{RULE_DOCS_PATH}/{code}.md"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return f"{repository}/-/blob/HEAD/{RULE_DOCS_PATH}/{code}.md"
    return None
