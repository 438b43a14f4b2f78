"""One visual style for every figure: timelines, dyad series, arms flows.

Functions take tidy frames and return the matplotlib ``Figure`` so a notebook can keep
styling it. Figures are deterministic (Agg, fixed size and dpi, no timestamps in metadata).
Arms flows are always labelled "SIPRI TIV (millions)": a TIV is a volume, not money.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

TIV_LABEL = "SIPRI TIV (millions)"
PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d96a3", "#30638e"]
SOURCE_MARKERS = {"durrani": "o", "kaushiki_bawa": "s", "both": "D"}
SOURCE_NAMES = {
    "durrani": "Durrani only",
    "kaushiki_bawa": "Kaushiki & Bawa only",
    "both": "both sources",
}


def apply_style() -> None:
    plt.rcParams.update(
        {
            "figure.figsize": (9, 4.2),
            "figure.dpi": 96,
            "savefig.dpi": 96,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "legend.frameon": False,
            "svg.hashsalt": "rupak",
            "path.simplify": True,
        }
    )


def shade_window(ax: plt.Axes, start: float, end: float, label: str = "window") -> None:
    ax.axvspan(start, end, color="#edae49", alpha=0.18, lw=0, label=label)


def timeline(events: pd.DataFrame, start: int, end: int, title: str = "") -> Figure:
    """Events as points on a time axis, one row per kind; marker = which source mentions it,
    colour = cooperative (CAMEO 01–08) or conflictual."""
    apply_style()
    frame = events.copy()
    kinds = sorted(frame["kind"].astype(str).unique()) if len(frame) else []
    height = max(2.2, 0.42 * len(kinds) + 1.2)
    fig, ax = plt.subplots(figsize=(9, height))
    for _, row in frame.iterrows():
        y = kinds.index(str(row["kind"]))
        colour = PALETTE[0] if row["cooperative"] else PALETTE[1]
        mid = row["date_start"] + (row["date_end"] - row["date_start"]) / 2
        if (row["date_end"] - row["date_start"]).days > 400:
            ax.hlines(y, row["date_start"], row["date_end"], color=colour, lw=2, alpha=0.5)
        ax.plot(
            mid, y, SOURCE_MARKERS[row["mentioned_by"]], color=colour, ms=7, mec="black", mew=0.4
        )
    ax.set_yticks(range(len(kinds)), kinds)
    ax.set_xlim(pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{end}-12-31"))
    ax.xaxis.set_major_locator(mdates.YearLocator(base=_year_step(end - start)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [
        plt.Line2D([], [], marker=m, ls="", color="grey", mec="black", label=SOURCE_NAMES[k])
        for k, m in SOURCE_MARKERS.items()
    ]
    handles += [
        plt.Line2D([], [], marker="o", ls="", color=PALETTE[0], label="cooperative"),
        plt.Line2D([], [], marker="o", ls="", color=PALETTE[1], label="conflictual"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def _year_step(span: int) -> int:
    return 1 if span <= 12 else 2 if span <= 25 else 5 if span <= 60 else 10


def dyad_series(
    series: Mapping[str, pd.DataFrame],
    window: tuple[int, int] | None,
    ylabel: str,
    title: str = "",
    x: str = "year",
) -> Figure:
    """Agreement (or any yearly value) per dyad, with roll-call counts ``n`` below."""
    apply_style()
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(9, 5.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    for label, frame in series.items():
        top.plot(frame[x], frame["value"], marker=".", lw=1.4, label=label)
        bottom.plot(frame[x], frame["n"], lw=1, label=label)
    if window:
        shade_window(top, window[0] - 0.5, window[1] + 0.5)
        shade_window(bottom, window[0] - 0.5, window[1] + 0.5)
    top.axhline(0, color="black", lw=0.6)
    top.set_ylabel(ylabel)
    bottom.set_ylabel("roll calls (n)")
    bottom.set_xlabel(x)
    top.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    top.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def flows_chart(
    flows: Mapping[str, pd.DataFrame], window: tuple[int, int] | None, title: str = ""
) -> Figure:
    """Yearly arms deliveries per supplier→recipient pair, in SIPRI TIV (millions)."""
    apply_style()
    fig, ax = plt.subplots(figsize=(9, 4))
    for label, frame in flows.items():
        ax.plot(frame["year"], frame["tiv"], marker=".", lw=1.4, label=label)
    if window:
        shade_window(ax, window[0] - 0.5, window[1] + 0.5)
    ax.set_ylabel(TIV_LABEL)
    ax.set_xlabel("year of delivery")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def bar_compare(
    frame: pd.DataFrame, label: str, columns: Sequence[str], xlabel: str, title: str = ""
) -> Figure:
    """Side-by-side horizontal bars, one group per row of ``frame``."""
    apply_style()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(frame) * len(columns) + 1)))
    height = 0.8 / max(len(columns), 1)
    positions = range(len(frame))
    for i, column in enumerate(columns):
        ax.barh([p + i * height for p in positions], frame[column], height=height, label=column)
    ax.set_yticks([p + height * (len(columns) - 1) / 2 for p in positions], frame[label])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def diverging_terms(terms: pd.DataFrame, label_a: str, label_b: str, title: str = "") -> Figure:
    """Fightin' Words: the top terms of each side as bars of z (side b drawn negative)."""
    apply_style()
    frame = terms.copy()
    signed = frame["z"].where(frame["source_id"] == frame["source_id"].iloc[0], -frame["z"])
    frame = frame.assign(signed=signed).sort_values("signed")
    fig, ax = plt.subplots(figsize=(8, max(3, 0.26 * len(frame) + 1)))
    colours = [PALETTE[0] if v > 0 else PALETTE[1] for v in frame["signed"]]
    ax.barh(range(len(frame)), frame["signed"], color=colours)
    ax.set_yticks(range(len(frame)), frame["term"])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(f"z of the log-odds ratio  (← {label_b} | {label_a} →)")
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def stacked_shares(
    frame: pd.DataFrame, index: str, columns: Sequence[str], xlabel: str, title: str = ""
) -> Figure:
    """Horizontal stacked bars of counts per row (e.g. events told by both / one source)."""
    apply_style()
    fig, ax = plt.subplots(figsize=(8, max(2.4, 0.45 * len(frame) + 1)))
    left = pd.Series(0.0, index=frame.index)
    for i, column in enumerate(columns):
        ax.barh(
            frame[index], frame[column], left=left, color=PALETTE[i % len(PALETTE)], label=column
        )
        left = left + frame[column]
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig
