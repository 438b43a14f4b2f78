"""One visual style for every figure: timelines, dyad series, arms flows, framing bars.

Functions take tidy frames and return the matplotlib ``Figure``; a notebook shows it with
:func:`rupak.publish.notebook.show_figure`, which numbers it and makes its caption the alt
text. Figures are deterministic (Agg, fixed size, 150 dpi, no timestamps in metadata: the
same input gives the same bytes).

Colour follows ROLE, never order (:mod:`rupak.publish.palette`): pass series keyed by role::

    series = {"studied": rus_pak, "comparison": rus_ind, "patron": usa_pak}
    labels = {"studied": "Russia–Pakistan", "comparison": "Russia–India", "patron": "US–Pakistan"}
    fig = plots.dyad_series(series, (1965, 1975), "Cohen's κ", labels=labels)
    show_figure(fig, "UNGA agreement per year. " + plots.gaps_note(series))

    fig = plots.flows_chart(flows_by_role, (1965, 1975), labels=labels_by_role)
    show_figure(fig, "Arms deliveries. " + plots.flows_note(flows_by_role, labels_by_role))

(A mapping keyed by labels instead of roles is still accepted and read in the order
studied, comparison, patron — the order of :func:`rupak.analysis.periods.dyads`.)

Yearly series are drawn with GAPS: a year without a value (no roll calls in 1964, too few in
2020) breaks the line instead of being bridged; :func:`missing_years` and :func:`gaps_note`
say which years for the caption. Arms flows are labelled "SIPRI TIV (millions)": a TIV is a
volume of military capability, not money (docs/methods.md#tiv). Small flows stay visible: when
the studied dyad is under a tenth of the largest flow it gets its own panel, and
:func:`flows_note` says so. Timelines number their events (:func:`timeline_key` is the table
to show beside them), stack overlapping spans in lanes, use human category names and carry a
legend explaining CAMEO cooperative/conflictual and the Goldstein scale
(docs/methods.md#event-coding).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rupak.publish import labels as names
from rupak.publish import palette

TIV_LABEL = "SIPRI TIV (millions)"
DPI = 150
OWN_PANEL_BELOW = 0.1  # the studied flow gets its own panel under a tenth of the largest
# Kept for older notebooks: markers and legend words per source.
SOURCE_MARKERS = {k: s.marker for k, s in palette.SOURCE_STYLES.items()}
SOURCE_NAMES = {k: s.label for k, s in palette.SOURCE_STYLES.items()}
PALETTE = [s.colour for s in palette.ROLE_STYLES.values()]


def apply_style() -> None:
    plt.rcParams.update(
        {
            "figure.figsize": (9, 4.2),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": matplotlib.cycler(color=[palette.NEUTRAL]),
            "legend.frameon": False,
            "svg.hashsalt": "rupak",
            "path.simplify": True,
        }
    )


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes at :data:`DPI`, cropped to its content, without timestamps.

    Colours are reduced to an adaptive palette (charts have few colours), which keeps
    pages small; the same figure always gives the same bytes.
    """
    from rupak.publish.images import compact_png

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return compact_png(buffer.getvalue())


# --- roles and gaps --------------------------------------------------------------------------


def by_role(
    series: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> list[tuple[palette.Style, str, Any]]:
    """(style, legend label, data) per series: from role keys, or legacy label keys in order."""
    labels = dict(labels or {})
    if palette.is_role_mapping(series.keys()):
        return [
            (palette.role(r), labels.get(r, palette.role(r).label), series[r])
            for r in palette.ROLES
            if r in series
        ]
    out = []
    for i, (label, data) in enumerate(series.items()):
        if i < len(palette.ROLES):
            out.append((palette.role(palette.ROLES[i]), str(label), data))
        else:
            out.append((palette.Style(palette.NEUTRAL, ".", ":", str(label)), str(label), data))
    return out


def with_gaps(
    frame: pd.DataFrame, x: str = "year", start: int | None = None, end: int | None = None
) -> pd.DataFrame:
    """Every year from ``start`` to ``end`` (default: the frame's own range), missing ones NaN.

    matplotlib breaks a line at NaN, so a year without data is never bridged.
    """
    if frame.empty:
        return frame.copy()
    years = pd.to_numeric(frame[x]).astype(int)
    first = int(years.min()) if start is None else int(start)
    last = int(years.max()) if end is None else int(end)
    full = pd.Index(range(first, last + 1), name=x)
    indexed = frame.assign(**{x: years}).drop_duplicates(subset=[x]).set_index(x)
    return indexed.reindex(full).reset_index()


def missing_years(
    frame: pd.DataFrame,
    x: str = "year",
    value: str = "value",
    start: int | None = None,
    end: int | None = None,
) -> list[int]:
    """Years in [start, end] (default: the frame's own range) with no row or no value."""
    full = with_gaps(frame, x, start, end)
    if full.empty:
        return []
    return [int(y) for y in full.loc[full[value].isna(), x]]


def year_ranges(years: Iterable[int]) -> str:
    """``[1964, 1971, 1972, 1973]`` → ``"1964, 1971–1973"``."""
    ordered = sorted(set(int(y) for y in years))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(parts)


def gaps_note(series: Mapping[str, pd.DataFrame], x: str = "year", value: str = "value") -> str:
    """The caption fragment naming the years a line breaks at ("" when there are none)."""
    missing: set[int] = set()
    for frame in series.values():
        missing.update(missing_years(frame, x, value))
    if not missing:
        return ""
    word = "year" if len(missing) == 1 else "years"
    return (
        f"Lines break at {word} without a value ({year_ranges(missing)}): no roll calls, "
        "or fewer shared roll calls than the minimum."
    )


def shade_window(ax: plt.Axes, start: float, end: float, label: str = "window tested") -> None:
    ax.axvspan(start, end, color=palette.WINDOW_COLOUR, alpha=0.25, lw=0, label=label, zorder=0)


def _finish(fig: Figure, title: str) -> Figure:
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return fig


# --- yearly agreement ----------------------------------------------------------------------


def dyad_series(
    series: Mapping[str, pd.DataFrame],
    window: tuple[int, int] | None,
    ylabel: str,
    title: str = "",
    x: str = "year",
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Agreement (or any yearly ``value``) per dyad, with roll-call counts ``n`` below.

    ``series`` is keyed by role (studied, comparison, patron); ``labels`` names them.
    """
    apply_style()
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(9, 5.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    for style, label, frame in by_role(series, labels):
        full = with_gaps(frame, x)
        top.plot(
            full[x],
            full["value"],
            color=style.colour,
            ls=style.line,
            marker=style.marker,
            ms=3.5,
            lw=1.5,
            label=label,
        )
        if {"ci_low", "ci_high"} <= set(full.columns):
            top.fill_between(
                full[x], full["ci_low"], full["ci_high"], color=style.colour, alpha=0.13, lw=0
            )
        if "n" in full:
            bottom.plot(full[x], full["n"], color=style.colour, ls=style.line, lw=1, label=label)
    if window:
        shade_window(top, window[0] - 0.5, window[1] + 0.5)
        shade_window(bottom, window[0] - 0.5, window[1] + 0.5, label="_window")
    top.axhline(0, color="black", lw=0.6)
    top.set_ylabel(ylabel)
    bottom.set_ylabel("roll calls (n)")
    bottom.set_xlabel(x)
    bottom.set_ylim(bottom=0)
    top.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _finish(fig, title)


# --- arms flows ----------------------------------------------------------------------------


def _studied(flows: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None):
    resolved = by_role(flows, labels)
    studied = [r for r in resolved if r[0] == palette.role("studied")]
    return resolved, (studied[0] if studied else None)


def needs_own_panel(flows: Mapping[str, pd.DataFrame]) -> bool:
    """True when the studied dyad's largest yearly flow is under a tenth of the overall one."""
    resolved, studied = _studied(flows, None)
    if studied is None or len(resolved) < 2:
        return False
    overall = max((float(f["tiv"].max()) if len(f) else 0.0) for _, _, f in resolved)
    own = float(studied[2]["tiv"].max()) if len(studied[2]) else 0.0
    return overall > 0 and own < OWN_PANEL_BELOW * overall


def flows_note(flows: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None) -> str:
    """The caption fragment saying how small flows are kept visible ("" when not needed)."""
    if not needs_own_panel(flows):
        return ""
    _, studied = _studied(flows, labels)
    return (
        f"The lower panel repeats {studied[1]} on its own scale: beside the other flows its "
        "deliveries would be a flat line."
    )


def flows_chart(
    flows: Mapping[str, pd.DataFrame],
    window: tuple[int, int] | None,
    title: str = "",
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Yearly arms deliveries per supplier→recipient pair, in SIPRI TIV (millions).

    When the studied dyad would vanish beside the others (:func:`needs_own_panel`), a second
    panel shows it alone on its own scale; say so with :func:`flows_note`.
    """
    apply_style()
    resolved, studied = _studied(flows, labels)
    own = needs_own_panel(flows)
    if own:
        fig, (ax, low) = plt.subplots(
            2, 1, figsize=(9, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
        )
    else:
        fig, ax = plt.subplots(figsize=(9, 4))
        low = None
    for style, label, frame in resolved:
        ax.plot(
            frame["year"],
            frame["tiv"],
            color=style.colour,
            ls=style.line,
            marker=style.marker,
            ms=3,
            lw=1.5,
            label=label,
        )
    if low is not None and studied is not None:
        style, label, frame = studied
        low.bar(frame["year"], frame["tiv"], color=style.colour, width=0.8, label=label)
        low.set_ylabel(f"{label}\n{TIV_LABEL}", fontsize=8)
        low.set_xlabel("year of delivery")
        low.set_ylim(bottom=0)
    else:
        ax.set_xlabel("year of delivery")
    for axis in [a for a in (ax, low) if a is not None]:
        if window:
            shade_window(axis, window[0] - 0.5, window[1] + 0.5, label="_window")
    ax.set_ylabel(TIV_LABEL)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _finish(fig, title)


# --- timelines -----------------------------------------------------------------------------


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


# --- framing figures -----------------------------------------------------------------------


def _namer(column: str) -> Callable[[Any], str]:
    """Human names for the ids of a column (periods, kinds, frames); others unchanged."""
    if column == "period_id":
        return lambda v: names.period_name(str(v), years=False)
    if column == "kind":
        return names.kind_name
    if column == "frame_id":
        from rupak.evidence import framing_tables

        frames = framing_tables.frames().set_index("frame_id")["name"].to_dict()
        return lambda v: str(frames.get(v, names.humanize(str(v))))
    return str


def _series_style(column: str, i: int) -> tuple[str, str]:
    """Colour and legend label of a bar series: by source when it names one."""
    key = str(column)
    try:
        style = palette.source(key)
    except ValueError:
        greys = [palette.NEUTRAL, "#BBBBBB", "#5A5A5A"]
        return greys[i % len(greys)], key
    if key == "both":
        return style.colour, "both sources"
    if key.endswith("_only"):
        return style.colour, names.mentioned_by_name(key)
    return style.colour, names.source_label(key, short=True)


def bar_compare(
    frame: pd.DataFrame, label: str, columns: Sequence[str], xlabel: str, title: str = ""
) -> Figure:
    """Side-by-side horizontal bars, one group per row of ``frame`` (sources keep colours)."""
    apply_style()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(frame) * len(columns) + 1)))
    height = 0.8 / max(len(columns), 1)
    positions = np.arange(len(frame))
    for i, column in enumerate(columns):
        colour, name = _series_style(column, i)
        ax.barh(positions + i * height, frame[column], height=height, color=colour, label=name)
    ax.set_yticks(positions + height * (len(columns) - 1) / 2, frame[label].map(_namer(label)))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title)


def diverging_terms(terms: pd.DataFrame, label_a: str, label_b: str, title: str = "") -> Figure:
    """Fightin' Words: the top terms of each side as bars of z (side b drawn negative)."""
    apply_style()
    frame = terms.copy()
    first = frame["source_id"].iloc[0]
    signed = frame["z"].where(frame["source_id"] == first, -frame["z"])
    frame = frame.assign(signed=signed).sort_values("signed")
    other = next((s for s in frame["source_id"].unique() if s != first), None)

    def colour(source_id: str | None) -> str:
        try:
            return palette.source(str(source_id)).colour
        except ValueError:
            return palette.NEUTRAL

    fig, ax = plt.subplots(figsize=(8, max(3, 0.26 * len(frame) + 1)))
    colours = [colour(first) if v > 0 else colour(other) for v in frame["signed"]]
    ax.barh(range(len(frame)), frame["signed"], color=colours)
    ax.set_yticks(range(len(frame)), frame["term"])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(f"z of the log-odds ratio  (← {label_b} | {label_a} →)")
    return _finish(fig, title)


def stacked_shares(
    frame: pd.DataFrame, index: str, columns: Sequence[str], xlabel: str, title: str = ""
) -> Figure:
    """Horizontal stacked bars of counts per row (e.g. events told by both / one source)."""
    apply_style()
    fig, ax = plt.subplots(figsize=(8, max(2.4, 0.45 * len(frame) + 1)))
    left = pd.Series(0.0, index=frame.index)
    ticks = frame[index].map(_namer(index))
    for i, column in enumerate(columns):
        colour, name = _series_style(column, i)
        ax.barh(ticks, frame[column], left=left, color=colour, label=name)
        left = left + frame[column]
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, title)


# --- findings ------------------------------------------------------------------------------


def specification_curve(curve: pd.DataFrame, title: str = "") -> Figure:
    """Every specification of one test, sorted by estimate, with its 95 % interval.

    ``curve`` has ``estimate``, ``ci_low``, ``ci_high``, ``measure``, ``holds`` and
    ``headline`` (:func:`rupak.analysis.findings.specification_curve`). Colour marks the
    measure, a filled marker a specification that holds; the question's own specification is
    circled. docs/methods.md#robustness.
    """
    from rupak.record.measures import MEASURE_SYMBOLS, MEASURES

    apply_style()
    rows = curve[curve["estimate"].notna()].sort_values("estimate", kind="stable")
    rows = rows.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    colours = dict(zip(MEASURES, palette.MEASURE_COLOURS, strict=True))
    kinds = rows["measure"].replace("", "arms")
    order = [m for m in (*MEASURES, "arms") if (kinds == m).any()]
    for measure in order:
        part = rows[kinds == measure]
        colour = colours.get(measure, palette.NEUTRAL)
        label = MEASURE_SYMBOLS.get(measure, "SIPRI TIV")
        if part["ci_low"].notna().any():
            ax.vlines(part.index, part["ci_low"], part["ci_high"], color=colour, lw=0.6, alpha=0.5)
        held = part[part["holds"]]
        ax.plot(held.index, held["estimate"], "o", ms=2.6, color=colour, label=f"{label}: holds")
        missed = part[~part["holds"]]
        ax.plot(
            missed.index,
            missed["estimate"],
            "o",
            ms=2.6,
            mfc="white",
            mec=colour,
            mew=0.7,
            label=f"{label}: does not",
        )
    headline = rows[rows["headline"]]
    ax.plot(
        headline.index,
        headline["estimate"],
        "o",
        ms=9,
        mfc="none",
        mec="black",
        mew=1.2,
        label="the question's own choices",
    )
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel("specifications, sorted by estimate")
    ax.set_ylabel("estimate")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, ncol=1)
    return _finish(fig, title)


def panorama(frame: pd.DataFrame, measure_label: str, title: str = "") -> Figure:
    """Every member's change in agreement with the focal power, sorted; the partner and the
    rival are drawn in their roles' colours and named."""
    apply_style()
    fig, ax = plt.subplots(figsize=(9, 3.4))
    order = frame.reset_index(drop=True)
    colours = (
        order["role"]
        .map(
            {"partner": palette.role("studied").colour, "rival": palette.role("comparison").colour}
        )
        .fillna(palette.NEUTRAL)
    )
    ax.bar(order.index, order["change"], color=list(colours), width=0.9)
    for i, row in order[order["role"] != "other"].iterrows():
        ax.annotate(
            f"{row['state']} (rank {row['rank']} of {len(order)})",
            (i, row["change"]),
            xytext=(0, 12 if row["change"] >= 0 else -14),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "lw": 0.5},
        )
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks([])
    ax.set_xlabel("UN members, sorted by change")
    ax.set_ylabel(f"change in {measure_label}")
    return _finish(fig, title)


#: Short names of the record tests, for figure labels.
SHORT_TESTS = {
    "agreement_rise": "UNGA agreement rose",
    "agreement_fall_after": "UNGA agreement fell after",
    "agreement_specific": "rise specific to the dyad",
    "agreement_partner_vs_rival": "agreement below the rival's",
    "rank_rise": "rank among members rose",
    "arms_rise": "arms deliveries rose",
    "arms_partner_vs_rival": "arms below the rival's",
}

VERDICT_COLOURS = {
    "supported": "#0b5d1e",
    "not supported": "#8a1c1c",
    "depends on specification": "#b07d00",
    "mixed": "#b07d00",
    "not testable": palette.NEUTRAL,
}


def findings_chart(findings: pd.DataFrame, labels: Mapping[str, str], title: str = "") -> Figure:
    """Each finding's share of specifications that hold, coloured by its verdict, with the
    80 % and 20 % lines of the verdict rule (docs/methods.md#verdicts)."""
    apply_style()
    rows = findings.reset_index(drop=True)
    names = [
        " · ".join(
            part
            for part in (
                str(row.get("period", "")),
                SHORT_TESTS.get(row["finding"], labels.get(row["finding"], row["finding"])),
                str(row.get("source", "")).split(" (")[0],
            )
            if part
        )
        for _, row in rows.iterrows()
    ]
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(rows) + 1.4))
    colours = [VERDICT_COLOURS.get(v, palette.NEUTRAL) for v in rows["verdict"]]
    shares = rows["share_of_specifications"].fillna(0)
    ax.barh(range(len(rows)), shares, color=colours, height=0.6)
    ax.scatter(shares, range(len(rows)), color=colours, s=14, zorder=3)  # a share of 0 shows too
    ax.set_yticks(range(len(rows)), names, fontsize=7.5)
    ax.invert_yaxis()
    for share, style in ((0.8, "-"), (0.2, "--")):
        ax.axvline(share, color="black", lw=0.7, ls=style)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of specifications in which the expected direction holds")
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, label=v)
        for v, c in VERDICT_COLOURS.items()
        if v in set(rows["verdict"])
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return _finish(fig, title)
