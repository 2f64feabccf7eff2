"""Generated documentation: the README rule table (and rule pages).

``python -m hplint.docs`` rewrites them from the rules' own metadata;
the test suite fails when a checked-in copy is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Dict

from .output import rules_table_markdown

TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), re.S)
    block = f"{TABLE_START}\n{rules_table_markdown()}{TABLE_END}"
    if not pattern.search(readme):
        raise ValueError("README has no rules-table markers")
    return pattern.sub(lambda _: block, readme)


def generated_files(root: Path) -> Dict[Path, str]:
    """Every generated file under ``root`` and the content it should have."""
    readme = root / "README.md"
    return {readme: readme_with_table(readme.read_text(encoding="utf-8"))}


def main(argv=None) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    for path, content in generated_files(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
