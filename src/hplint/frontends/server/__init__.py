"""``hplint server``: a language server (LSP over stdio) for editors.

Diagnostics, quick fixes, "fix all", ``# noqa`` suppression and the rules'
explanations on hover, from the same engine as the CLI.  Needs the
``server`` extra (pygls and lsprotocol): ``pip install 'hplint[server]'``.

Modules: ``protocol`` (the LSP wiring), ``documents`` (what is linted, at
which version), ``diagnostics`` and ``positions`` (findings as LSP
diagnostics, UTF-16 columns), ``edits`` (minimal text edits), ``actions``
(code actions), ``hover``.
"""

from __future__ import annotations

import argparse
import logging
from typing import Optional, Sequence

USAGE = "hplint server [--stdio]"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Serve LSP on stdin/stdout until the client says ``exit``: status 0
    after a ``shutdown`` request, 1 without one (or when the client vanished)."""
    parser = argparse.ArgumentParser(prog="hplint server", usage=USAGE, description="Run hplint as a language server over stdio.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    parser.add_argument("--log-file", metavar="PATH", help="write the server's own log here (default: stderr, warnings only)")
    args = parser.parse_args(list(argv or []))
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.INFO)
    else:
        logging.basicConfig(level=logging.WARNING)
    from hplint.frontends.server.protocol import create_server

    server = create_server()
    server.start_io()
    return 0 if server.shut_down else 1
