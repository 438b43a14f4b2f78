"""Figures of the findings: the specification curve, the panorama, every finding's robustness.

docs/methods.md#robustness and #verdicts say what they show.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from rupak.publish import palette
from rupak.publish.figure_style import _finish, apply_style


def _curve_panel(ax: plt.Axes, curve: pd.DataFrame, legend: bool) -> None:
    """One test's specifications on one axis, sorted by estimate, with intervals."""
    from rupak.record.measures import MEASURE_SYMBOLS, MEASURES

    rows = curve[curve["estimate"].notna()].sort_values("estimate", kind="stable")
    rows = rows.reset_index(drop=True)
    colours = dict(zip(MEASURES, palette.MEASURE_COLOURS, strict=True))
    kinds = rows["measure"].replace("", "arms")
    for measure in [m for m in (*MEASURES, "arms") if (kinds == m).any()]:
        part = rows[kinds == measure]
        colour = colours.get(measure, palette.NEUTRAL)
        label = MEASURE_SYMBOLS.get(measure, "SIPRI TIV")
        if part["ci_low"].notna().any():
            ax.vlines(part.index, part["ci_low"], part["ci_high"], color=colour, lw=0.6, alpha=0.5)
        held, missed = part[part["holds"]], part[~part["holds"]]
        ax.plot(held.index, held["estimate"], "o", ms=2.6, color=colour, label=f"{label}: holds")
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
    ax.set_ylabel("estimate")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, ncol=1)


def specification_curve(curve: pd.DataFrame, title: str = "") -> Figure:
    """Every specification of one test, sorted by estimate, with its 95 % interval.

    ``curve`` has ``estimate``, ``ci_low``, ``ci_high``, ``measure``, ``holds`` and
    ``headline`` (:func:`rupak.analysis.findings.specification_curve`). Colour marks the
    measure, a filled marker a specification that holds; the question's own specification is
    circled. docs/methods.md#robustness.
    """
    apply_style()
    fig, ax = plt.subplots(figsize=(9, 3.6))
    _curve_panel(ax, curve, legend=True)
    ax.set_xlabel("specifications, sorted by estimate")
    return _finish(fig, title)


def specification_curves(curve: pd.DataFrame, titles: Mapping[str, str]) -> Figure:
    """The curves of several tests as panels of one figure, one per test, in ``titles``'
    order, each titled (what it compares and the share that holds)."""
    apply_style()
    tests = [t for t in titles if (curve["test"] == t).any()]
    fig, axes = plt.subplots(len(tests), 1, figsize=(9, 2.5 * len(tests) + 0.4), squeeze=False)
    for number, (ax, test) in enumerate(zip(axes[:, 0], tests, strict=True)):
        _curve_panel(ax, curve[curve["test"] == test], legend=number == 0)
        ax.set_title(titles[test], fontsize=9, loc="left")
    axes[-1, 0].set_xlabel("specifications, sorted by estimate")
    return _finish(fig, "")


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
