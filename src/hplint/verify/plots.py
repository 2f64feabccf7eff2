"""One PNG per demo (matplotlib, Agg backend): the first seed's trainings, with the
mean results over all seeds in the title."""

from __future__ import annotations

import os
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from hplint.verify.common import DemoResult  # noqa: E402

ANTI, FIX, GREY = "#d62728", "#1f77b4", "#999999"


def _scatter(ax: Any, points: list, color: str, label: str, marker: str = "o") -> None:
    if points:
        xs, ys = zip(*points)
        ax.scatter(xs, ys, color=color, label=label, marker=marker, s=60, zorder=3, edgecolor="black", linewidth=0.5)


def _lr_axes(ax: Any) -> None:
    ax.set_xscale("log")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("validation accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower center")


def _spacing(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    if data["reference"]:
        xs, ys = zip(*data["reference"])
        ax.plot(xs, ys, color=GREY, label="dense log sweep (reference)", zorder=1)
    _scatter(ax, data["linear"], ANTI, "linear grid (np.linspace)", "s")
    _scatter(ax, data["log"], FIX, "log grid (np.geomspace)")
    _lr_axes(ax)


def _range(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    ax.axvspan(*data["window"], color=ANTI, alpha=0.12, label="narrow window searched")
    _scatter(ax, data["narrow"], ANTI, "trials in the 3x window", "s")
    _scatter(ax, data["wide"], FIX, "trials over 4 decades")
    _lr_axes(ax)


def _strategy(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    _scatter(ax, data["grid"], ANTI, f"3x3x3 grid: {len(data['grid'])} trainings, 3 distinct lrs", "s")
    _scatter(ax, data["random"], FIX, f"random search: {len(data['random'])} trainings, as many lrs")
    _lr_axes(ax)


def _lr_first(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    left = fig.add_subplot(1, 2, 1)
    right = fig.add_subplot(1, 2, 2, sharey=left)
    xs, ys = zip(*data["widths"])
    left.plot(xs, ys, "s-", color=ANTI, label=f"width sweep at an untuned lr={data['fixed_lr']:.2g}")
    left.set_xscale("log", base=2)
    left.set_xticks(xs, [str(x) for x in xs])
    left.set_xlabel("hidden width")
    left.set_ylabel("validation accuracy")
    left.grid(alpha=0.3)
    left.legend(fontsize=8, loc="lower left")
    xs, ys = zip(*data["lrs"])
    right.plot(xs, ys, "o-", color=FIX, label="lr sweep at width 64")
    _lr_axes(right)


def _pruning(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    outcome = result.outcomes[0]
    axes = [fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)]
    sides = zip(axes, ("without", "with"), ("no pruner", "MedianPruner"), (outcome.anti_cost, outcome.fix_cost))
    for ax, key, title, cost in sides:
        for trial in data[key]:
            curve = trial["curve"]
            color = GREY if trial["pruned"] else (ANTI if key == "without" else FIX)
            ax.plot(range(1, len(curve) + 1), curve, color=color, alpha=0.8, marker="x" if trial["pruned"] else None)
        ax.set_title(f"{title}: {cost:g} epochs", fontsize=10)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("validation accuracy")
    axes[1].plot([], [], color=GREY, marker="x", label="pruned trial (stopped early)")
    axes[1].legend(fontsize=8, loc="lower right")


def _interactions(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    axes = [fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)]
    every = data["sequential"] + data["joint"]
    low, high = min(p[2] for p in every), max(p[2] for p in every)
    titles = ("batch size at lr 1e-3, then lr", "batch size and lr jointly (random)")
    for ax, key, title in zip(axes, ("sequential", "joint"), titles):
        lrs, batches, acc = zip(*data[key])
        points = ax.scatter(lrs, batches, c=acc, cmap="viridis", vmin=low, vmax=high, s=70, edgecolor="black")
        best = max(range(len(acc)), key=acc.__getitem__)
        ax.scatter([lrs[best]], [batches[best]], marker="*", s=300, color=ANTI, edgecolor="black",
                   label=f"best: {acc[best]:.3f}", zorder=3)
        ax.set_xscale("log")
        ax.set_yscale("log", base=2)
        sizes = sorted({p[1] for p in every})
        ax.set_yticks(sizes, [str(b) for b in sizes])
        ax.set_xlabel("learning rate (log scale)")
        ax.set_title(f"{title}: {len(acc)} trainings", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("batch size")
    fig.colorbar(points, ax=axes, label="validation accuracy")


def _budget(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    _scatter(ax, data["tpe"], ANTI, f"TPE over 4 parameters: {len(data['tpe'])} full trainings", "s")
    _scatter(ax, data["manual"][:-1], FIX, "manual: lr finder (1 epoch), refinement (2 epochs)")
    _scatter(ax, data["manual"][-1:], FIX, "manual: full training at the chosen lr", "*")
    _lr_axes(ax)


def _direction(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    _scatter(ax, data["minimize"], ANTI, f"create_study(): {len(data['minimize'])} trials", "s")
    _scatter(ax, data["maximize"], FIX, f"direction=\"maximize\": {len(data['maximize'])} trials")
    for (lr, width), color, side in zip(data["chosen"], (ANTI, FIX), ("default", "maximize")):
        ax.axvline(lr, color=color, linestyle="--", alpha=0.6, label=f"selected by {side}: lr {lr:.2g}, width {width}")
    _lr_axes(ax)


def _test_selection(result: DemoResult, fig: Any) -> None:
    data = result.outcomes[0].plot
    ax = fig.add_subplot(1, 1, 1)
    _scatter(ax, data["kept"]["test"], ANTI, "selected on the test set", "s")
    _scatter(ax, data["kept"]["val"], FIX, "selected on a validation set")
    every = [v for pairs in data["kept"].values() for point in pairs for v in point]
    ax.plot([min(every), max(every)], [min(every), max(every)], color=GREY, label="reported = fresh (honest)")
    ax.set_xlabel("reported test accuracy (one point per validation/test split)")
    ax.set_ylabel("accuracy of the selected configuration on fresh data")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")


PLOTTERS: dict[str, Callable[[DemoResult, Any], None]] = {
    "spacing": _spacing, "range": _range, "strategy": _strategy, "lr-first": _lr_first,
    "pruning": _pruning, "interactions": _interactions, "budget": _budget, "direction": _direction,
    "test-selection": _test_selection,
}


def _title(result: DemoResult) -> str:
    anti, anti_sd = result.stats("anti")
    fix, fix_sd = result.stats("fix")
    demo = result.demo
    return (
        f"{demo.name} ({', '.join(demo.codes)}): {demo.claim}\n"
        f"{demo.anti_label} {anti:.3f}±{anti_sd:.3f} vs {demo.fix_label} {fix:.3f}±{fix_sd:.3f} "
        f"over {len(result.outcomes)} seeds: {result.judgement.label}  (points: first seed)"
    )


def write_plots(results: list[DemoResult], directory: str) -> list[str]:
    """Write ``<demo>.png`` for each result into directory; return the paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for result in results:
        fig = plt.figure(figsize=(10, 5.5), constrained_layout=True)
        PLOTTERS[result.demo.name](result, fig)
        fig.suptitle(_title(result), fontsize=10)
        path = os.path.join(directory, f"{result.demo.name}.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths.append(path)
    return paths
