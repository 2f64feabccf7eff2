"""``--show-settings``: the settings hplint uses for a file, as ruff shows its own.

``Resolved settings for: "path"``, the configuration file they come from (if
any), then every setting with the value in force for that file, command-line
flags applied, in ``[tool.hplint]``'s own key names.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, List

from hplint.core.config import Config
from hplint.core.registry import all_options


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False)


def show_settings(path: str, config: Config, args: argparse.Namespace) -> str:
    lines: List[str] = [f'Resolved settings for: "{path}"']
    if config.source:
        lines.append(f'Settings path: "{config.source}"')
    lines += [
        "",
        "# Rule selection",
        f"enabled = {_value(sorted(config.enabled_codes(path)))}",
        f"select = {_value(config.select) if config.select is not None else 'null  # the rules on by default'}",
        f"ignore = {_value(config.ignore)}",
        f"extend-select = {_value(config.extend_select)}",
        f"per-file-ignores = {json.dumps({pattern: list(codes) for pattern, codes in config.per_file_ignores})}",
        "",
        "# File selection",
        f"include = {_value(config.include)}",
        f"exclude = {_value(config.exclude)}",
        f"extend-exclude = {_value(config.extend_exclude)}",
        f"respect-gitignore = {_value(config.respect_gitignore)}",
        f"force-exclude = {_value(bool(args.force_exclude))}",
        f"project-root = {_value(config.root)}",
        "",
        "# Rule options",
    ]
    for name in sorted(all_options()):
        lines.append(f"{name} = {_value(config.option(name))}")
    vocabulary = config.vocabulary
    lines += [
        "",
        "# Vocabulary (added to the built-in names)",
        f"log-scale-names = {_value(sorted(vocabulary.extra_log_names))}",
        f"batch-size-names = {_value(sorted(vocabulary.extra_batch_names))}",
        f"linear-names = {_value(sorted(vocabulary.extra_linear_names))}",
        "",
        "# Run",
        f"fix = {_value(bool(args.fix))}",
        f"fix-only = {_value(bool(args.fix_only))}",
        f"unsafe-fixes = {_value(bool(args.unsafe_fixes))}",
        f"output-format = {_value(args.output_format)}",
        f"disable-noqa = {_value(config.disable_noqa)}",
        f"cache-dir = {_value(None if args.no_cache else args.cache_dir or '.hplint_cache')}",
    ]
    return "\n".join(lines) + "\n"
