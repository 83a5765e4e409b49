"""The cost chart: monthly cost against monthly volume for the five approaches (PNG).

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot state), so it can
run in a worker thread off the event loop; the same facts give the same bytes (no
timestamps or software tags in the file).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.recommendation import Recommendation
from bot.presentation.figures import usd
from bot.presentation.labels import approach_label
from bot.presentation.plain import short_number

WIDTH_PX = 900
HEIGHT_PX = 560
DPI = 100
# The volume axis spans this factor either side of today's volume.
SPAN = 100
POINTS = 60
_TUNED = frozenset(approach.value for approach in TUNED_APPROACHES)
_COLOURS = {
    "prompting": "#1f77b4",
    "rag": "#2ca02c",
    "fine_tuning": "#d62728",
    "rag+fine_tuning": "#9467bd",
    "prompting+fine_tuning": "#ff7f0e",
}


@dataclass(frozen=True)
class Line:
    """One approach's monthly cost: a fixed part plus a per-request part."""

    approach: str
    fixed_usd: float
    per_request_usd: float

    def at(self, volume: float) -> float:
        return self.fixed_usd + self.per_request_usd * volume


def cost_lines(rec: Recommendation, volume: int) -> list[Line]:
    """Each approach's line, its fixed monthly part read back from today's figures."""
    return [
        Line(
            name,
            max(cost.monthly_usd - cost.per_request_usd * volume, 0.0),
            cost.per_request_usd,
        )
        for name, cost in rec.costs.items()
    ]


def crossing(untuned: Line, tuned: Line) -> float | None:
    """The monthly volume above which the tuned line is cheaper; None when never."""
    saving = untuned.per_request_usd - tuned.per_request_usd
    if saving <= 0:
        return None
    volume = (tuned.fixed_usd - untuned.fixed_usd) / saving
    return volume if volume > 0 else None


def today_volume(rec: Recommendation, stated: int | None) -> int:
    if stated:
        return stated
    for cost in rec.costs.values():
        value = cost.inputs.get("requests_per_month")
        if isinstance(value, int) and value > 0:
            return value
    return 10_000


def _break_even(rec: Recommendation, lines: dict[str, Line]) -> tuple[str, float] | None:
    """The tuned approach in play (the pick, else the cheapest tuned) and where it wins."""
    tuned: str | None = rec.approach.value if rec.approach.value in _TUNED else None
    if tuned is None:
        candidates = [name for name in lines if name in _TUNED]
        if not candidates:
            return None
        tuned = min(candidates, key=lambda name: lines[name].per_request_usd)
    base = "rag" if tuned == "rag+fine_tuning" else "prompting"
    if tuned not in lines or base not in lines:
        return None
    volume = crossing(lines[base], lines[tuned])
    return (tuned, volume) if volume is not None else None


def alt_text(rec: Recommendation, volume: int) -> str:
    """What the chart shows, for screen readers and notifications."""
    lines = {line.approach: line for line in cost_lines(rec, volume)}
    parts = [f"{approach_label(name)} {usd(line.at(volume))}" for name, line in lines.items()]
    text = (
        f"Monthly cost against monthly volume for five approaches. At today's "
        f"{short_number(volume)} requests a month: " + ", ".join(parts) + "."
    )
    marked = _break_even(rec, lines)
    if marked:
        text += (
            f" {approach_label(marked[0])} gets cheaper per month above "
            f"{short_number(marked[1])} requests."
        )
    return text


def render_cost_chart(rec: Recommendation, *, volume: int) -> bytes:
    """The chart as PNG bytes, 900 by 560 px."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 (slow import)
    from matplotlib.figure import Figure  # noqa: PLC0415

    lines = {line.approach: line for line in cost_lines(rec, volume)}
    low, high = max(volume / SPAN, 1.0), volume * SPAN
    step = (math.log10(high) - math.log10(low)) / (POINTS - 1)
    volumes = [10 ** (math.log10(low) + i * step) for i in range(POINTS)]
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for name, line in lines.items():
        width = 3.0 if name == rec.approach.value else 1.6
        axes.plot(
            volumes,
            [max(line.at(v), 0.01) for v in volumes],
            label=approach_label(name),
            color=_COLOURS.get(name),
            linewidth=width,
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.axvline(volume, color="#444444", linestyle=":", linewidth=1.2)
    axes.annotate(
        f"today: {short_number(volume)}/month",
        xy=(volume, 0.97),
        xycoords=("data", "axes fraction"),
        ha="center",
        va="top",
        fontsize=9,
        backgroundcolor="white",
    )
    marked = _break_even(rec, lines)
    if marked and low <= marked[1] <= high:
        name, at = marked
        axes.axvline(at, color=_COLOURS.get(name, "black"), linestyle="--", linewidth=1.2)
        axes.plot([at], [lines[name].at(at)], "o", color=_COLOURS.get(name, "black"))
        axes.annotate(
            f"break-even: {short_number(at)}/month",
            xy=(at, lines[name].at(at)),
            xytext=(8, -16),
            textcoords="offset points",
            fontsize=9,
        )
    axes.set_xlabel("Requests a month")
    axes.set_ylabel("Monthly cost (USD)")
    axes.set_title(f"Monthly cost by volume · recommended: {approach_label(rec.approach.value)}")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    # No metadata: the same facts must give the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
