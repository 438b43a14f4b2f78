"""Timelines of the events the sources tell: numbered markers in stacked lanes, with a key.

Spans that overlap are put in lanes so none hides another; markers are numbered and
:func:`timeline_key` is the table to show beside the figure; kinds have human names; the
legend explains CAMEO cooperative/conflictual and the Goldstein scale
(docs/methods.md#event-coding). Only acts between states are drawn.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from rupak.publish import labels as names
from rupak.publish import palette
from rupak.publish.figure_style import apply_style


def _lanes(starts: Sequence[float], ends: Sequence[float], gap: float) -> list[int]:
    """Greedy interval colouring: the first lane whose last item ended ``gap`` before."""
    lane_end: list[float] = []
    lanes = []
    for start, end in zip(starts, ends, strict=True):
        for i, last in enumerate(lane_end):
            if start > last + gap:
                lane_end[i] = end
                lanes.append(i)
                break
        else:
            lane_end.append(end)
            lanes.append(len(lane_end) - 1)
    return lanes


def _acts(events: pd.DataFrame) -> pd.DataFrame:
    """The acts between states of curated events (a frame with a ``nature`` column): event
    figures show only them, as they carry a CAMEO code and a Goldstein weight."""
    from rupak.analysis.periods import interstate_acts

    return interstate_acts(events) if "nature" in events.columns else events


def timeline_layout(events: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Where each event goes: its number, row, clipped span (``x0``, ``x1``) and ``reach``.

    Only acts between states are placed (rows with a ``nature`` other than
    ``interstate_act`` are left out). Events keep the frame's order and are numbered 1, 2, …
    in it (the numbers of :func:`timeline_key`). Each kind gets a band of rows; within it,
    events whose spans or number labels (``reach``: where the bar or the label ends) would
    overlap go to separate rows.
    """
    lo, hi = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{end}-12-31")
    span = (hi - lo).days or 1
    frame = _acts(events).reset_index(drop=True).copy()
    frame["number"] = range(1, len(frame) + 1)
    frame["x0"] = frame["date_start"].clip(lower=lo, upper=hi)
    frame["x1"] = frame["date_end"].clip(lower=lo, upper=hi)
    kinds = list(dict.fromkeys(frame.sort_values("date_start")["kind"].astype(str)))
    frame["kind_name"] = frame["kind"].astype(str).map(names.kind_name)
    rows: dict[int, int] = {}
    reaches: dict[int, pd.Timestamp] = {}
    row = 0
    for kind in kinds:
        part = frame[frame["kind"].astype(str) == kind].sort_values(["x0", "number"])
        label_days = [(0.014 + 0.0075 * len(str(n))) * span for n in part["number"]]
        starts = [(x - lo).days for x in part["x0"]]
        ends = [
            max((b - lo).days, s + w)
            for s, b, w in zip(starts, part["x1"], label_days, strict=True)
        ]
        lanes = _lanes(starts, ends, gap=0.004 * span)
        for index, lane, reach in zip(part.index, lanes, ends, strict=True):
            rows[index] = row + lane
            reaches[index] = lo + pd.Timedelta(days=reach)
        row += max(lanes) + 1
    frame["row"] = frame.index.map(rows)
    frame["reach"] = frame.index.map(reaches)
    return frame


def timeline(events: pd.DataFrame, start: int, end: int, title: str = "") -> Figure:
    """Events of a window on a time axis: numbered markers in stacked lanes, one band per kind.

    Colour: cooperative (CAMEO 01–08) or conflictual; marker: which source tells it; size:
    the Goldstein weight's magnitude. Spans longer than a year are drawn as bars. The numbers
    refer to :func:`timeline_key`, the table to show beside the figure.
    """
    apply_style()
    layout = timeline_layout(events, start, end) if len(events) else pd.DataFrame()
    rows = int(layout["row"].max()) + 1 if len(layout) else 1
    fig = plt.figure(figsize=(9.5, 0.3 * rows + 2.3))
    grid = fig.add_gridspec(2, 1, height_ratios=[0.3 * rows + 0.9, 1.1], hspace=0.12)
    ax = fig.add_subplot(grid[0])
    key = fig.add_subplot(grid[1])
    lo, hi = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{end}-12-31")
    year = pd.Timedelta(days=365)
    for r in layout.itertuples():
        style = palette.nature(r.cooperative)
        y = -r.row
        if r.x1 - r.x0 > year:
            ax.hlines(y, r.x0, r.x1, color=style.colour, lw=6, alpha=0.35, zorder=1)
        size = 4 + 0.9 * abs(float(r.goldstein)) if pd.notna(r.goldstein) else 4
        ax.plot(
            r.x0,
            y,
            palette.source(str(r.mentioned_by)).marker,
            color=style.colour,
            ms=size,
            mec="black",
            mew=0.5,
            zorder=3,
            clip_on=False,
        )
        ax.annotate(
            str(r.number),
            (r.x0, y),
            xytext=(size / 2 + 2, 2),
            textcoords="offset points",
            fontsize=7.5,
            va="bottom",
            ha="left",
            zorder=4,
            annotation_clip=False,
        )
    ticks = layout.groupby("kind_name", sort=False)["row"].agg(["min", "max"]) if rows else None
    if ticks is not None and len(ticks):
        ax.set_yticks([-t for t in ticks["min"]], list(ticks.index))
        for boundary in ticks["max"].iloc[:-1]:
            ax.axhline(-boundary - 0.5, color="#bbbbbb", lw=0.5)
    ax.set_ylim(-rows + 0.4, 0.9)
    ax.grid(axis="y", visible=False)
    margin = (hi - lo) * 0.02
    ax.set_xlim(lo - margin, hi + margin * 2)
    ax.xaxis.set_major_locator(mdates.YearLocator(base=_year_step(end - start)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    _timeline_legend(key)
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    plt.close(fig)
    return fig


def _timeline_legend(key: plt.Axes) -> None:
    """Three legends: colour (CAMEO nature), marker (source), size (Goldstein)."""
    key.axis("off")
    nature = [
        plt.Line2D(
            [], [], marker="o", ls="", ms=8, color=s.colour, mec="black", mew=0.5, label=s.label
        )
        for s in palette.NATURE_STYLES.values()
    ]
    sources = [
        plt.Line2D(
            [],
            [],
            marker=s.marker,
            ls="",
            ms=7,
            color="#dddddd",
            mec="black",
            mew=0.5,
            label=s.label,
        )
        for s in palette.SOURCE_STYLES.values()
    ]
    sizes = [
        plt.Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=4 + 0.9 * g,
            color="#dddddd",
            mec="black",
            mew=0.5,
            label=f"±{g}",
        )
        for g in (1, 5, 10)
    ]
    placed = [
        (nature, "Colour: CAMEO event nature", 0.0),
        (sources, "Marker: told by", 0.36),
        (sizes, "Size: Goldstein weight\n(−10 conflict … +10 cooperation)", 0.66),
    ]
    for handles, heading, x in placed:
        legend = key.legend(
            handles=handles,
            title=heading,
            loc="upper left",
            bbox_to_anchor=(x, 1.0),
            fontsize=8,
            title_fontsize=8,
            alignment="left",
        )
        key.add_artist(legend)


def timeline_key(events: pd.DataFrame) -> pd.DataFrame:
    """The table beside a timeline: the number of each marker, with date, event and coding."""
    from rupak.analysis.periods import event_table

    table = event_table(_acts(events).reset_index(drop=True))
    table.insert(0, "no.", range(1, len(table) + 1))
    table["kind"] = table["kind"].map(names.kind_name)
    table["mentioned by"] = table["mentioned by"].map(names.mentioned_by_name)
    return table


def _year_step(span: int) -> int:
    return 1 if span <= 12 else 2 if span <= 25 else 5 if span <= 60 else 10
