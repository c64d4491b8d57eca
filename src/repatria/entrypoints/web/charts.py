"""Charts drawn on the server as SVG with matplotlib (Agg backend, no display needed)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Colours with at least 3:1 contrast against white, distinguishable in common colour blindness.
PALETTE = ("#0b4f9c", "#b35900", "#1b7a3a", "#8a1c7c", "#5c5c5c", "#9c1c1c")


def _figure() -> Figure:
    """A new figure. matplotlib is imported with the first chart drawn, not when the pages are:
    it was 0.4 s of every start of the server and of each command."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(7, 3.6), dpi=100)


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def stacked_bars(
    title: str,
    categories: Sequence[str],
    series: dict[str, dict[str, float]],
    ylabel: str,
    empty_note: str = "nothing to show yet",
) -> bytes:
    """A stacked bar chart: one bar per category, one colour per series."""
    figure = _figure()
    axes = figure.subplots()
    axes.set_title(title, loc="left", fontsize=11)
    bottoms: dict[str, float] = defaultdict(float)
    for index, (name, values) in enumerate(sorted(series.items())):
        heights = [values.get(c, 0) for c in categories]
        axes.bar(
            list(categories),
            heights,
            bottom=[bottoms[c] for c in categories],
            label=name,
            color=PALETTE[index % len(PALETTE)],
        )
        for category, height in zip(categories, heights, strict=True):
            bottoms[category] += height
    if not categories:
        axes.text(0.5, 0.5, empty_note, ha="center", va="center", transform=axes.transAxes)
        axes.set_xticks([])
    axes.tick_params(axis="x", labelsize=8)  # labels of two short lines stay apart
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    if series and categories:
        axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(figure)


def paired_bars(
    title: str,
    labels: Sequence[str],
    first: tuple[str, Sequence[float]],
    second: tuple[str, Sequence[float]],
    ylabel: str,
) -> bytes:
    """Two bars side by side per label (e.g. occupancy against standard capacity)."""
    figure = _figure()
    axes = figure.subplots()
    axes.set_title(title, loc="left", fontsize=11)
    positions = list(range(len(labels)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions], list(first[1]), width, label=first[0], color=PALETTE[0]
    )
    axes.bar(
        [p + width / 2 for p in positions],
        list(second[1]),
        width,
        label=second[0],
        color=PALETTE[1],
    )
    axes.set_xticks(positions, list(labels), rotation=30, ha="right", fontsize=8)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(figure)
