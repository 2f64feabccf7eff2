"""Benchmark hplint against ruff and flake8 on real third-party code.

The corpus is built at run time from pinned wheels (``pip download --no-deps``)
into ``benchmarks/corpus/`` (git-ignored): only their ``.py`` files are kept.
Every tool is timed in the same run, alternating, several rounds; the report
gives medians, the target ratios, peak memory of the whole process tree and
how time grows with corpus size.

    python benchmarks/run.py                 # full corpus, 3 rounds
    python benchmarks/run.py --fraction 0.1  # a deterministic tenth, for slow machines
    python benchmarks/run.py --prefilter-report   # per-rule prefilter pass rates and cost

Nothing here is a test: timings depend on the machine, ratios are what count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent

# pinned: the corpus must be the same on every machine
WHEELS = (
    "scikit-learn==1.9.1",
    "optuna==5.0.0",
    "transformers==5.23.0",
    "timm==1.0.31",
    "pytorch-lightning==2.6.6",
)

# flake8 without hplint: the same flake8, with hplint's entry point filtered out
FLAKE8_WITHOUT = (
    "import sys\n"
    "from flake8.plugins import finder\n"
    "_find = finder.find_plugins\n"
    "finder.find_plugins = lambda cfg, opts: [p for p in _find(cfg, opts) if p.package != 'hplint']\n"
    "from flake8.main.cli import main\n"
    "sys.exit(main())\n"
)


# ---------------------------------------------------------------------------
# corpus


def build_corpus() -> Path:
    """Download the pinned wheels once and unpack their .py files."""
    source = CORPUS / "src"
    marker = CORPUS / "BUILT"
    if marker.exists() and marker.read_text() == "\n".join(WHEELS):
        return source
    wheels = CORPUS / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    for spec in WHEELS:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", spec, "-d", str(wheels)],
            check=True,
        )
    shutil.rmtree(source, ignore_errors=True)
    for wheel in sorted(wheels.glob("*.whl")):
        package = wheel.name.split("-")[0]
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".py"):
                    archive.extract(name, source / package)
    marker.write_text("\n".join(WHEELS))
    return source


def corpus_files(source: Path, fraction: float) -> List[Path]:
    """A deterministic subset: a file is in it by the hash of its path."""
    files = sorted(p.relative_to(source) for p in source.rglob("*.py"))
    if fraction >= 1.0:
        return files
    limit = int(fraction * 10_000)
    return [p for p in files if int(hashlib.sha256(str(p).encode()).hexdigest()[:8], 16) % 10_000 < limit]


def materialize(source: Path, files: Sequence[Path], target: Path, copies: int = 1) -> Path:
    """``target/copy-N/...`` holding ``files`` (hard links where possible)."""
    shutil.rmtree(target, ignore_errors=True)
    for copy in range(copies):
        for rel in files:
            dest = target / f"copy-{copy}" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / rel, dest)
            except OSError:
                shutil.copyfile(source / rel, dest)
    return target


def count_lines(root: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))


# ---------------------------------------------------------------------------
# measuring


@dataclass
class Sample:
    wall: float
    cpu: float  # user + sys of the whole process tree
    peak_mb: float  # peak summed RSS of the process tree


@dataclass
class Series:
    name: str
    samples: List[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def peak(self) -> float:
        return max(s.peak_mb for s in self.samples)


def _tree_rss_mb(root: int) -> float:
    """Summed resident memory of ``root`` and all its descendants, from /proc."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def measure(cmd: Sequence[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> Sample:
    """Run ``cmd`` once: wall time, CPU time of its process tree, peak tree memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            if os.path.isdir("/proc"):
                peak = max(peak, _tree_rss_mb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu, peak)


def commands(tree: Path, subset: Path, cache: Path, jobs: Optional[int]) -> Dict[str, List[str]]:
    job_flag = ["-j", str(jobs)] if jobs else []
    hplint = [str(BIN / "hplint"), "--isolated", "--exit-zero", "-q", *job_flag]
    flake8 = ["--isolated", "--exit-zero", str(subset)]
    return {
        "hplint cold": [*hplint, "--no-cache", str(tree)],
        "hplint warm": [*hplint, "--cache-dir", str(cache), str(tree)],
        "ruff ALL": [str(BIN / "ruff"), "check", "--isolated", "--select", "ALL", "--no-cache", "--exit-zero", "-q", str(tree)],
        "flake8": [sys.executable, "-c", FLAKE8_WITHOUT, *flake8],
        "flake8+hplint": [str(BIN / "flake8"), *flake8],
    }


def run_rounds(cmds: Dict[str, List[str]], rounds: int, cwd: Path) -> Dict[str, Series]:
    """Each round runs every command once, starting at a different one."""
    series = {name: Series(name) for name in cmds}
    names = list(cmds)
    for index in range(rounds):
        order = names[index % len(names):] + names[: index % len(names)]
        for name in order:
            sample = measure(cmds[name], cwd)
            series[name].samples.append(sample)
            print(f"  round {index + 1}: {name:15s} {sample.wall:8.2f}s wall {sample.cpu:8.2f}s cpu {sample.peak_mb:7.0f} MB", flush=True)
    return series


# ---------------------------------------------------------------------------
# prefilter report


def prefilter_report(tree: Path, sample_size: int) -> List[dict]:
    """Per rule: how many files its prefilter admits, and what linting them costs."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from hplint.core.config import Config
    from hplint.core.registry import all_rules
    from hplint.engine.lint import lint_source
    from hplint.engine.syntax import parse_ast
    from hplint.prefilter.select import candidate_rules

    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in sorted(tree.rglob("*.py"))}
    default = [r for r in all_rules() if r.default_enabled]
    # both stages, as a lint runs them: the rules each file's triggers admit
    wanted = {}
    for path, source in texts.items():
        wanted[path] = set(candidate_rules(source, all_rules(), tree=parse_ast(source)))
    rows = []
    for rule in all_rules():
        admitted = [p for p in texts if rule in wanted[p]]
        others = [r for r in default if r is not rule]
        only = [p for p in admitted if not any(r in wanted[p] for r in others)]
        config = Config(select=(rule.code,))
        step = max(1, len(admitted) // sample_size) if admitted else 1
        chosen = admitted[::step][:sample_size]
        start = time.process_time()
        for path in chosen:
            lint_source(texts[path], str(path), config)
        per_file = (time.process_time() - start) / len(chosen) if chosen else 0.0
        rows.append(
            {
                "rule": rule.code,
                "default": rule.default_enabled,
                "trigger": repr(rule.trigger),
                "admitted": len(admitted),
                "share": len(admitted) / len(texts),
                "only_this_rule": len(only),
                "ms_per_admitted_file": 1000 * per_file,
                "est_cpu_seconds": per_file * len(admitted),
            }
        )
        print(
            f"  {rule.code} {'on ' if rule.default_enabled else 'opt'} admits {len(admitted):5d}/{len(texts)} "
            f"({100 * len(admitted) / len(texts):5.1f}%), alone {len(only):5d}, "
            f"{1000 * per_file:7.1f} ms/file -> ~{per_file * len(admitted):7.1f} s cpu",
            flush=True,
        )
    return rows


def check_prefilter(tree: Path) -> bool:
    """The corpus linted with and without prefilters must give the same findings."""
    base = [str(BIN / "hplint"), "--isolated", "--exit-zero", "--no-cache", "--output-format", "json", "--select", "HPL", str(tree)]
    outputs = []
    for switch in ("", "1"):
        env = dict(os.environ, HPLINT_NO_PREFILTER=switch)
        outputs.append(subprocess.run(base, env=env, capture_output=True, text=True, check=False).stdout)
    same = outputs[0] == outputs[1]
    print(f"  prefilter soundness on {tree}: {'same findings' if same else 'DIFFERENT findings'} ({len(json.loads(outputs[0] or '[]'))} findings)")
    return same


# ---------------------------------------------------------------------------
# report


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(series: Dict[str, Series], files: int, lines: int, subset_files: int) -> dict:
    print(f"\ncorpus: {files} files, {lines} lines; flake8 subset: {subset_files} files")
    print(f"{'':16s} {'wall (median)':>14s} {'cpu (median)':>13s} {'peak MB':>8s}")
    for s in series.values():
        print(f"{s.name:16s} {s.median('wall'):13.2f}s {s.median('cpu'):12.2f}s {s.peak():8.0f}")
    cold, warm, ruff = series["hplint cold"], series["hplint warm"], series["ruff ALL"]
    bare, plugged = series["flake8"], series["flake8+hplint"]
    targets = {
        "hplint cold / ruff ALL (target <= 0.70)": (cold.median("wall") / ruff.median("wall"), cold.median("cpu") / ruff.median("cpu"), 0.70),
        "hplint warm / cold (target <= 0.10)": (warm.median("wall") / cold.median("wall"), warm.median("cpu") / cold.median("cpu"), 0.10),
        "flake8+hplint / flake8 - 1 (target <= 0.10)": (
            plugged.median("wall") / bare.median("wall") - 1,
            plugged.median("cpu") / bare.median("cpu") - 1,
            0.10,
        ),
    }
    print()
    for label, (wall, cpu, limit) in targets.items():
        verdict = "met" if wall <= limit else "NOT met"
        print(f"{label:46s} wall {wall:6.2f}  cpu {cpu:6.2f}  {verdict}")
    peak = max(cold.peak(), warm.peak())
    print(f"{'hplint peak memory, whole tree (target <= 500)':46s} {peak:6.0f} MB  {'met' if peak <= 500 else 'NOT met'}")
    # the two flake8 runs of a round are adjacent: their ratio cancels the
    # machine's slower and faster spells, which medians over rounds do not
    paired = [p.wall / b.wall - 1 for b, p in zip(bare.samples, plugged.samples)]
    print(
        f"flake8 plugin overhead per round (wall): {', '.join(f'{x:+.0%}' for x in paired)}; "
        f"median {statistics.median(paired):+.1%}"
    )
    return {name: [s.__dict__ for s in ser.samples] for name, ser in series.items()}


def scaling(source: Path, files: Sequence[Path], work: Path, rounds: int, jobs: Optional[int]) -> dict:
    """hplint cold and ruff at 1/2, 1 and 2 times the corpus."""
    rows = {}
    half = files[::2]
    for label, chosen, copies in (("0.5x", half, 1), ("1x", files, 1), ("2x", files, 2)):
        tree = materialize(source, chosen, work / f"scale-{label}", copies)
        cmds = commands(tree, tree, work / "cache-scale", jobs)
        picked = {k: cmds[k] for k in ("hplint cold", "ruff ALL")}
        print(f"scaling {label}: {len(chosen) * copies} files", flush=True)
        series = run_rounds(picked, rounds, work)
        rows[label] = {k: (s.median("wall"), s.median("cpu")) for k, s in series.items()}
        rows[label]["files"] = len(chosen) * copies
        shutil.rmtree(tree, ignore_errors=True)
    print(f"\n{'scale':6s} {'files':>6s} {'hplint wall':>12s} {'hplint cpu':>11s} {'ruff wall':>10s} {'ruff cpu':>9s}  hplint cpu per 1x")
    base = rows["1x"]["hplint cold"][1]
    factor = {"0.5x": 0.5, "1x": 1.0, "2x": 2.0}
    for label, row in rows.items():
        hw, hc = row["hplint cold"]
        rw, rc = row["ruff ALL"]
        print(f"{label:6s} {row['files']:6d} {hw:11.2f}s {hc:10.2f}s {rw:9.2f}s {rc:8.2f}s  {hc / base / factor[label]:.2f}")
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per tool (default 3)")
    parser.add_argument("--fraction", type=float, default=1.0, help="use this share of the corpus as 1x (default 1.0)")
    parser.add_argument("--flake8-files", type=int, default=300, help="files in the flake8 subset (default 300)")
    parser.add_argument("--jobs", type=int, default=None, help="hplint -j (default: hplint's own default, all cores)")
    parser.add_argument("--scaling-rounds", type=int, default=1, help="rounds per scale; 0 skips scaling")
    parser.add_argument("--prefilter-report", action="store_true", help="only print per-rule prefilter pass rates and cost")
    parser.add_argument("--prefilter-sample", type=int, default=20, help="files per rule timed for the report")
    parser.add_argument("--check-prefilter", action="store_true", help="also compare findings with prefilters off")
    parser.add_argument(
        "--no-compile", action="store_true",
        help="leave hplint's bytecode uncompiled (an editable install under PYTHONDONTWRITEBYTECODE)",
    )
    args = parser.parse_args(argv)
    if not args.no_compile:
        compile_bytecode()

    source = build_corpus()
    files = corpus_files(source, args.fraction)
    work = Path(tempfile.mkdtemp(prefix="hplint-bench-", dir=CORPUS))
    try:
        tree = materialize(source, files, work / "tree")
        if args.prefilter_report:
            rows = prefilter_report(tree, args.prefilter_sample)
            _save({"prefilter": rows, "files": len(files)})
            return 0
        step = max(1, len(files) // max(1, args.flake8_files))
        subset = materialize(source, files[::step][: args.flake8_files], work / "subset")
        lines = count_lines(tree)
        print(f"hplint vs ruff on {len(files)} files ({lines} lines), {args.rounds} rounds", flush=True)
        cmds = commands(tree, subset, work / "cache", args.jobs)
        measure(cmds["hplint warm"], work)  # fill the cache; not timed
        results = {"files": len(files), "lines": lines, "fraction": args.fraction, "wheels": WHEELS}
        results["runs"] = report(run_rounds(cmds, args.rounds, work), len(files), lines, len(files[::step][: args.flake8_files]))
        if args.scaling_rounds:
            results["scaling"] = scaling(source, files, work, args.scaling_rounds, args.jobs)
        if args.check_prefilter:
            results["prefilter_sound"] = check_prefilter(tree)
        _save(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def compile_bytecode() -> None:
    """Compile hplint's modules as ``pip install`` does for a wheel.  An
    editable install run with ``PYTHONDONTWRITEBYTECODE`` set recompiles every
    module in every process (about 0.1 s for the rules alone), a cost no
    installed copy pays and that ruff (a binary) and flake8 (installed with its
    bytecode) never pay either."""
    found = subprocess.run(
        [sys.executable, "-c", "import hplint, os; print(os.path.dirname(hplint.__file__))"],
        capture_output=True, text=True, check=True,
    )
    package = found.stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL)
    print(f"hplint bytecode compiled in {package} (as pip does for an installed wheel; --no-compile to skip)", flush=True)


def _save(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / time.strftime("bench-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nresults saved to {path}")


if __name__ == "__main__":
    sys.exit(main())
