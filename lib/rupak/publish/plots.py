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

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rupak.publish import labels as names
from rupak.publish import palette
from rupak.publish.figure_style import DPI, _finish, apply_style, figure_png
from rupak.record.sipri_format import TIV_LABEL

OWN_PANEL_BELOW = 0.1  # the studied flow gets its own panel under a tenth of the largest
# Kept for older notebooks: markers and legend words per source.
SOURCE_MARKERS = {k: s.marker for k, s in palette.SOURCE_STYLES.items()}
SOURCE_NAMES = {k: s.label for k, s in palette.SOURCE_STYLES.items()}
PALETTE = [s.colour for s in palette.ROLE_STYLES.values()]


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


# The timeline and the findings figures live in modules of their own; the notebooks reach
# every figure through this module.
from rupak.publish.findings_figures import (  # noqa: E402
    SHORT_TESTS,
    VERDICT_COLOURS,
    findings_chart,
    panorama,
    specification_curve,
    specification_curves,
)
from rupak.publish.timeline import timeline, timeline_key, timeline_layout  # noqa: E402

__all__ = [
    "DPI",
    "SHORT_TESTS",
    "TIV_LABEL",
    "VERDICT_COLOURS",
    "apply_style",
    "bar_compare",
    "by_role",
    "diverging_terms",
    "dyad_series",
    "figure_png",
    "findings_chart",
    "flows_chart",
    "flows_note",
    "gaps_note",
    "missing_years",
    "needs_own_panel",
    "panorama",
    "shade_window",
    "specification_curve",
    "specification_curves",
    "stacked_shares",
    "timeline",
    "timeline_key",
    "timeline_layout",
    "with_gaps",
    "year_ranges",
]
