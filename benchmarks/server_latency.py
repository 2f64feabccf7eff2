"""``hplint server``: diagnostics latency after an edit, and memory over many edits.

A real client (pygls's, as the tests use) opens a generated file of about
2,000 lines, then edits one number at a time, each edit a
``textDocument/didChange`` as an editor sends it.  Latency is the time from
sending the edit to receiving the ``publishDiagnostics`` for that version:
the debounce, the lint and the round trip.  Two files are measured: one that
is tuning code in every function (each edit runs every rule over the whole
file) and one of ordinary code that the prefilters reject.  Memory is the
server process's resident set size, read from ``/proc`` every 100 edits after
a warm-up.

    python benchmarks/server_latency.py                       # 50 timed edits, 1,000 for memory
    python benchmarks/server_latency.py --memory-edits 200    # a slower machine
    python benchmarks/server_latency.py --file path/to/big.py  # also a file of your own

Nothing here is a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from lsprotocol import types  # noqa: E402

from lsp_editor import Editor  # noqa: E402

TUNING = '''

def objective_{i}(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    depth = trial.suggest_int("depth", 2, 8)
    model = build_model(depth=depth, lr=lr)
    for epoch in range(20):
        loss = train_one_epoch(model)
        acc = evaluate(model)
        trial.report(acc, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return acc


def sweep_{i}(data):
    results = {{}}
    for wd in np.geomspace(1e-6, 1e-2, 5):
        results[wd] = fit(data, weight_decay=wd)
    return results
'''

PLAIN = '''

def parse_record_{i}(line):
    fields = line.rstrip("\\n").split(",")
    if len(fields) < 4:
        raise ValueError("expected 4 fields, got %d" % len(fields))
    name, count, ratio, flag = fields[:4]
    total = 0
    for value in range(20):
        total += value * int(count)
    return {{
        "name": name.strip(),
        "count": int(count),
        "ratio": float(ratio),
        "flag": flag == "yes",
        "total": total,
    }}


def summarise_{i}(records):
    return sum(r["count"] for r in records) / max(len(records), 1)
'''


def source(block: str, lines: int) -> str:
    head = "import numpy as np\nimport optuna\n"
    per = block.count("\n")
    return head + "".join(block.format(i=i) for i in range(max(lines // per, 1)))


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def measure(text: str, edits: int, memory_edits: int, folder: Path) -> Dict[str, object]:
    path = folder / "big.py"
    path.write_text(text, encoding="utf-8")
    editor = Editor(folder)
    await editor.start()
    uri = editor.open(path)
    await editor.diagnostics(uri)
    lines = [n for n, line in enumerate(text.split("\n")) if "range(20)" in line]
    if not lines:  # a file of any shape: type into a comment on a line of its own at the end
        last = text.count("\n")
        editor.change(uri, [types.TextDocumentContentChangePartial(range=types.Range(types.Position(last, 0), types.Position(last, 0)), text="# 20\n")])
        lines, col = [last], len("# ")
    else:
        col = text.split("\n")[lines[0]].index("range(20)") + len("range(")

    values = {line: 20 for line in lines}

    async def edit(k: int) -> float:
        """Toggle one line's ``range(20)`` and ``range(21)`` (or ``# 20``/``# 21``): every edit changes the text."""
        line = lines[k % len(lines)]
        values[line] = 41 - values[line]
        span = types.Range(types.Position(line, col), types.Position(line, col + 2))
        started = time.perf_counter()
        version = editor.change(uri, [types.TextDocumentContentChangePartial(range=span, text=str(values[line]))])
        await editor.diagnostics(uri, version)
        return time.perf_counter() - started

    for k in range(3):  # warm-up
        await edit(k)
    latencies = [await edit(k) for k in range(edits)]
    pid = editor.client._server.pid
    memory: List[int] = [rss_kb(pid)]
    for k in range(memory_edits):
        await edit(k)
        if (k + 1) % 100 == 0 or k + 1 == memory_edits:
            memory.append(rss_kb(pid))
    await editor.stop()
    latencies.sort()
    return {
        "lines": text.count("\n"),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(int(round(0.95 * len(latencies))) - 1, 0)],
        "max_ms": 1000 * latencies[-1],
        "rss_mb": [round(kb / 1024, 1) for kb in memory],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=50, help="timed edits per file")
    parser.add_argument("--memory-edits", type=int, default=1000, help="edits of the tuning file while memory is read")
    parser.add_argument("--file", action="append", default=[], type=Path, help="also measure this file (repeatable)")
    args = parser.parse_args()
    cases = [("tuning code", source(TUNING, args.lines), args.memory_edits), ("ordinary code", source(PLAIN, args.lines), 0)]
    cases += [(path.name, path.read_text(encoding="utf-8"), 0) for path in args.file]
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, memory_edits in cases:
            result = asyncio.run(measure(text, args.edits, memory_edits, Path(tmp)))
            print(
                f"{name:14} {result['lines']} lines: latency p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                f"max {result['max_ms']:.0f} ms over {args.edits} edits"
            )
            if memory_edits:
                print(f"{'':14} RSS every 100 of {memory_edits} edits (MB): {result['rss_mb']}")


if __name__ == "__main__":
    main()
