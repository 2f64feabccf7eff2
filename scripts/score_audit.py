"""Score hplint against hand-labelled real code: the real-world table and the blind audit.

Third-party code is never committed: the files are fetched at the commits the
labels name (``git show <commit>:<path>`` in a clone, or any copy of the same
bytes) into a folder laid out as ``<owner>__<repo>/<path>``, and this script
lints that folder and compares with the labels.

Two label formats:

* the real-world table (``pattern repo path commit start_line end_line expected note``):
  a ``flag`` row is found when any finding lies within its lines; a ``clean``
  row is flagged when any finding does;
* the blind audit (``repo path commit line expected shape note``, see
  ``tests/data/audit-labels.tsv``): a row expecting ``HPLnnn`` is found when a
  finding of that code lies within ``--slack`` lines of it; ``?HPLnnn`` rows may
  go either way; ``OTHER`` rows (mistakes no rule covered when labelled) and
  ``clean`` rows are not counted as misses; a finding on an ``OTHER`` row's line
  points at a real mistake, so it is listed apart ("on OTHER rows"), neither
  found nor false; any other finding in a file that no row accounts for is a
  false alarm.

    python scripts/score_audit.py realworld ../shared/realworld-dev.tsv FILES_DIR
    python scripts/score_audit.py audit tests/data/audit-labels.tsv FILES_DIR
    python scripts/score_audit.py audit tests/data/audit-round3-labels.tsv FILES_DIR   # and -round4- to -round8-

``audit-labels.tsv`` holds the first two rounds (59 files from 50 repositories); rounds 3 to 5
(``audit-round3-labels.tsv``, ``-round4-``, ``-round5-``) 50 files each, rounds 6 to 8
(``-round6-`` to ``-round8-``) 70, 71 and 81 files, each round from repositories used in no
earlier round (405 in all), labelled the same way.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple


def lint(files: List[Path], select: str) -> Dict[Path, List[dict]]:
    found: Dict[Path, List[dict]] = {f: [] for f in files}
    if not files:
        return found
    cmd = [sys.executable, "-m", "hplint", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json"]
    cmd += (["--select", select] if select else []) + [str(f) for f in files]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for item in json.loads(result.stdout or "[]"):
        found.setdefault(Path(item["path"]), []).append(item)
    return found


def local_path(root: Path, repo: str, path: str, commit: str) -> Path:
    pinned = root / f"{repo.replace('/', '__')}@{commit[:12]}" / path
    return pinned if pinned.exists() else root / repo.replace("/", "__") / path


def score_realworld(table: Path, root: Path, select: str) -> int:
    rows = list(csv.DictReader(table.open(encoding="utf-8"), delimiter="\t"))
    files = sorted({local_path(root, r["repo"], r["path"], r["commit"]) for r in rows})
    missing = [f for f in files if not f.exists()]
    findings = lint([f for f in files if f.exists()], select)
    per_pattern: Dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        path = local_path(root, row["repo"], row["path"], row["commit"])
        start, end = int(row["start_line"]), int(row["end_line"])
        hits = [f for f in findings.get(path, []) if start <= f["line"] <= end and not f["code"].startswith("HPL00")]
        key = "found" if row["expected"] == "flag" else "flagged"
        per_pattern[row["pattern"]][row["expected"]] += 1
        if hits:
            per_pattern[row["pattern"]][key] += 1
        else:
            per_pattern[row["pattern"]]["missed" if row["expected"] == "flag" else "silent"] += 1
        mark = "ok" if bool(hits) == (row["expected"] == "flag") else "WRONG"
        codes = ",".join(sorted({h["code"] for h in hits})) or "-"
        print(f"{mark:5} {row['pattern']} {row['expected']:5} {codes:22} {row['repo']}/{row['path']}:{start}-{end}")
    flags = sum(c["flag"] for c in per_pattern.values())
    found = sum(c["found"] for c in per_pattern.values())
    cleans = sum(c["clean"] for c in per_pattern.values())
    flagged = sum(c["flagged"] for c in per_pattern.values())
    print(f"\nflag rows found: {found}/{flags} ({found / max(flags, 1):.0%}); clean rows flagged: {flagged}/{cleans}")
    for pattern in sorted(per_pattern):
        counts = per_pattern[pattern]
        print(f"  {pattern}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if missing:
        print(f"\n{len(missing)} files not fetched: " + ", ".join(map(str, missing)))
    return 0


def score_audit(table: Path, root: Path, select: str, slack: int) -> int:
    rows = list(csv.DictReader(table.open(encoding="utf-8"), delimiter="\t"))
    files = sorted({local_path(root, r["repo"], r["path"], r["commit"]) for r in rows})
    findings = lint([f for f in files if f.exists()], select)
    expected: Dict[Path, List[Tuple[int, str]]] = defaultdict(list)
    for row in rows:
        expected[local_path(root, row["repo"], row["path"], row["commit"])].append((int(row["line"]), row["expected"]))
    true_pos: Counter = Counter()
    false_neg: Counter = Counter()
    false_pos: Counter = Counter()
    misses: List[str] = []
    alarms: List[str] = []
    missed_at: Counter = Counter()  # (path, code) of misses
    alarmed_at: Counter = Counter()  # (path, code) of false alarms
    on_other: List[str] = []  # findings on the line of a mistake labelled OTHER
    for path in files:
        got = [f for f in findings.get(path, []) if not f["code"].startswith("HPL00")]
        used = set()
        for line, code in expected.get(path, []):
            bare = code.lstrip("?")
            if not bare.startswith("HPL"):
                continue
            match = next((i for i, f in enumerate(got) if i not in used and f["code"] == bare and abs(f["line"] - line) <= slack), None)
            if match is not None:
                used.add(match)
                true_pos[bare] += 1
            elif not code.startswith("?"):
                false_neg[bare] += 1
                missed_at[path, bare] += 1
                misses.append(f"{bare} {path}:{line}")
        for index, finding in enumerate(got):
            if index in used:
                continue
            maybe = any(c.lstrip("?") == finding["code"] and abs(at - finding["line"]) <= slack for at, c in expected.get(path, []))
            if not maybe and any(c.lstrip("?") == "OTHER" and at == finding["line"] for at, c in expected.get(path, [])):
                on_other.append(f"{finding['code']} {path}:{finding['line']} {finding['message'][:100]}")
            elif not maybe:
                false_pos[finding["code"]] += 1
                alarmed_at[path, finding["code"]] += 1
                alarms.append(f"{finding['code']} {path}:{finding['line']} {finding['message'][:100]}")
    codes = sorted(set(true_pos) | set(false_neg) | set(false_pos))
    print(f"{'code':8} {'found':>5} {'missed':>6} {'false':>5} {'recall':>7} {'precision':>9}")
    for code in codes:
        tp, fn, fp = true_pos[code], false_neg[code], false_pos[code]
        print(f"{code:8} {tp:5d} {fn:6d} {fp:5d} {tp / max(tp + fn, 1):7.2f} {tp / max(tp + fp, 1):9.2f}")
    tp, fn, fp = sum(true_pos.values()), sum(false_neg.values()), sum(false_pos.values())
    print(f"{'all':8} {tp:5d} {fn:6d} {fp:5d} {tp / max(tp + fn, 1):7.2f} {tp / max(tp + fp, 1):9.2f}")
    elsewhere = sum(min(n, alarmed_at[key]) for key, n in missed_at.items())
    if elsewhere:
        # a labelled mistake reported by the right rule in the same file, on
        # another line than the label's (the loop, not the def): counted as
        # both a miss and a false alarm above
        print(
            f"{'same code, other line':8}: {elsewhere}; counted as found: recall "
            f"{(tp + elsewhere) / max(tp + fn, 1):.2f}, precision {(tp + elsewhere) / max(tp + fp, 1):.2f}"
        )
    print("\nmissed:\n  " + "\n  ".join(misses or ["none"]))
    print("\nfalse alarms:\n  " + "\n  ".join(alarms or ["none"]))
    print("\non OTHER rows (a labelled mistake no rule covered then):\n  " + "\n  ".join(on_other or ["none"]))
    return 0


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=("realworld", "audit"))
    parser.add_argument("labels", type=Path)
    parser.add_argument("files", type=Path, help="folder of fetched files: <owner>__<repo>/<path>")
    parser.add_argument("--select", default="", help="rules to run (default: hplint's default set)")
    parser.add_argument("--slack", type=int, default=3, help="lines a finding may sit from the labelled line (audit)")
    args = parser.parse_args(argv)
    if args.kind == "realworld":
        return score_realworld(args.labels, args.files, args.select)
    return score_audit(args.labels, args.files, args.select, args.slack)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
