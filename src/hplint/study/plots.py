"""``--plot DIR``: one PNG per finding that is easier to look at than to read
(matplotlib, Agg backend): value against parameter with the bounds, where a
linear parameter's samples fell, importances, failure reasons."""

from __future__ import annotations

import math
import os
import re
from typing import Any, List, Sequence

from hplint.study.check import Bars, Finding, Histogram, Scatter

BAD, GOOD, GREY = "#d62728", "#1f77b4", "#999999"


def write_plots(findings: Sequence[Finding], directory: str) -> List[str]:
    """One PNG per finding with a plot; the paths written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(directory, exist_ok=True)
    written: List[str] = []
    seen: set = set()
    for finding in findings:
        if finding.plot is None:
            continue
        name = _file_name(finding, seen)
        fig = plt.figure(figsize=(7, 4.5))
        ax = fig.add_subplot(1, 1, 1)
        _DRAW[type(finding.plot)](ax, finding.plot)
        ax.set_title(finding.plot.title, fontsize=9)
        fig.text(0.01, 0.01, f"{finding.code}", fontsize=8, color=GREY)
        fig.tight_layout()
        path = os.path.join(directory, name)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def _file_name(finding: Finding, seen: set) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{finding.study}-{finding.code}-{finding.subject}").strip("_")
    name, n = f"{stem}.png", 1
    while name in seen:
        n += 1
        name = f"{stem}-{n}.png"
    seen.add(name)
    return name


def _scatter(ax: Any, plot: Scatter) -> None:
    best = set(plot.best)
    rest = [(x, y) for i, (x, y) in enumerate(zip(plot.xs, plot.ys)) if i not in best]
    top = [(plot.xs[i], plot.ys[i]) for i in plot.best]
    if rest:
        ax.scatter(*zip(*rest), s=14, color=GREY, label="trials", zorder=2)
    if top:
        ax.scatter(*zip(*top), s=40, color=BAD, edgecolor="black", linewidth=0.5, label="best trials", zorder=3)
    for bound in (plot.low, plot.high):
        ax.axvline(bound, color=GOOD, linestyle="--", linewidth=1)
    ax.axvspan(plot.low, plot.high, color=GOOD, alpha=0.06, label="range searched")
    if plot.log:
        ax.set_xscale("log")
    ax.set_xlabel(plot.param + (" (log scale)" if plot.log else ""))
    ax.set_ylabel("objective value")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def _histogram(ax: Any, plot: Histogram) -> None:
    positive = [v for v in plot.values if v > 0]
    low = plot.low if plot.low > 0 else min(positive + [plot.high / 1e4])
    edges = [10 ** e for e in _linspace(math.log10(low), math.log10(plot.high), 25)]
    ax.hist(positive, bins=edges, color=BAD, alpha=0.8, label="trials drawn (linear sampling)")
    expected = len(positive) / 24
    ax.axhline(expected, color=GOOD, linestyle="--", label="log-uniform sampling, same count")
    ax.set_xscale("log")
    ax.set_xlabel(plot.param + " (log scale)")
    ax.set_ylabel("trials")
    ax.legend(fontsize=8)


def _bars(ax: Any, plot: Bars) -> None:
    labels = list(reversed(plot.labels))
    values = list(reversed(plot.values))
    ax.barh(range(len(labels)), values, color=GOOD)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel(plot.xlabel)


def _linspace(a: float, b: float, n: int) -> List[float]:
    return [a + (b - a) * i / (n - 1) for i in range(n)]


_DRAW = {Scatter: _scatter, Histogram: _histogram, Bars: _bars}
