"""One fixed palette by ROLE, so a colour means the same thing in every figure of every report.

Why roles and not order: a figure coloured by the order of its series paints Russia–Pakistan
blue in one report and red in the next. Here the colour follows what a series *is*:

============  ======================================  ==========================
role          what it is                              look
============  ======================================  ==========================
studied       the studied dyad (focal–partner)        blue, solid line, circles
comparison    the comparison dyad (focal–rival)       vermilion, dashed, squares
patron        the other patron (patron–partner)       green, dash-dot, triangles
============  ======================================  ==========================

Each source keeps one colour and marker everywhere (``durrani``, ``kaushiki_bawa``, and
``both`` for what both tell), and an event's nature (cooperative CAMEO 01–08, conflictual
09–20) has its own pair of colours. The colours are the Okabe–Ito set (safe for the common
colour-vision deficiencies); line styles and markers differ too, so a greyscale print still
tells the series apart.

Usage::

    from rupak.publish import palette
    style = palette.role("studied")        # Style(colour, marker, line, label)
    ax.plot(x, y, color=style.colour, ls=style.line, marker=style.marker)
    palette.source("durrani").colour
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ROLES = ("studied", "comparison", "patron")
SOURCES = ("durrani", "kaushiki_bawa", "both")


@dataclass(frozen=True)
class Style:
    """How one role (or source, or nature) is drawn, and its generic legend label."""

    colour: str
    marker: str
    line: str
    label: str


ROLE_STYLES: Mapping[str, Style] = {
    "studied": Style("#0072B2", "o", "-", "studied dyad"),
    "comparison": Style("#D55E00", "s", "--", "comparison dyad"),
    "patron": Style("#009E73", "^", "-.", "other patron"),
}
SOURCE_STYLES: Mapping[str, Style] = {
    "durrani": Style("#CC79A7", "o", "-", "Durrani only"),
    "kaushiki_bawa": Style("#E69F00", "s", "--", "Kaushiki & Bawa only"),
    "both": Style("#4D4D4D", "D", "-", "both sources"),
}
NATURE_STYLES: Mapping[bool, Style] = {
    True: Style("#56B4E9", "o", "-", "cooperative (CAMEO 01–08)"),
    False: Style("#A50F15", "o", "-", "conflictual (CAMEO 09–20)"),
}
#: One colour per agreement measure (percent, IA, S, κ, π), for the specification curve.
MEASURE_COLOURS = ("#999999", "#56B4E9", "#009E73", "#0072B2", "#CC79A7")
WINDOW_COLOUR = "#F0E442"  # the tested window, shaded
NEUTRAL = "#8C8C8C"  # anything without a role (axes lines, unknown series)

_SOURCE_ALIASES = {"kaushiki": "kaushiki_bawa", "bawa": "kaushiki_bawa"}


def role(name: str) -> Style:
    """The style of a role; an unknown role is an error (a typo would silently recolour)."""
    try:
        return ROLE_STYLES[name]
    except KeyError:
        known = ", ".join(ROLES)
        raise ValueError(f"unknown figure role {name!r}; expected one of {known}") from None


def source(source_id: str) -> Style:
    """The style of a source (``durrani``, ``kaushiki_bawa``, ``both``; ``<id>_only`` too)."""
    key = source_id.removesuffix("_only")
    key = _SOURCE_ALIASES.get(key, key)
    if key not in SOURCE_STYLES:
        raise ValueError(f"unknown source {source_id!r}; expected one of {', '.join(SOURCES)}")
    return SOURCE_STYLES[key]


def nature(cooperative: bool) -> Style:
    """Cooperative (CAMEO root 01–08) or conflictual (09–20)."""
    return NATURE_STYLES[bool(cooperative)]


def is_role_mapping(keys: object) -> bool:
    """True when every key of a mapping names a role (the preferred way to pass series)."""
    names = list(keys) if not isinstance(keys, str) else [keys]
    return bool(names) and all(k in ROLE_STYLES for k in names)
