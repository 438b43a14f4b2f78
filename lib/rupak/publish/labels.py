"""Words a reader sees instead of internal ids: event kinds, periods, sources, countries.

Why: visible prose must never show ``proximity_1965_1975`` or ``diplomatic_shift``; ids may
appear only in small citation text. Everything here is computed from the curated tables
(``periods.csv``, ``sources.csv``) or a fixed vocabulary, so a variant reads correctly.

Usage::

    from rupak.publish import labels
    labels.kind_name("diplomatic_shift")   # "Diplomatic shift"
    labels.period_name("proximity_1965_1975")   # "Strategic proximity (1965–1975)"
    labels.source_label("kaushiki_bawa")   # "Kaushiki & Bawa 2022 (Indian authors)"
    labels.source_label("durrani", short=True)   # "Durrani"
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

KIND_NAMES: Mapping[str, str] = {
    "visit": "Visit",
    "summit": "Summit",
    "treaty": "Treaty",
    "alliance": "Alliance",
    "organisation": "Organisation",
    "arms_deal": "Arms deal",
    "arms_embargo": "Arms embargo",
    "aid": "Aid",
    "aid_cutoff": "Aid cut-off",
    "un_veto": "UN veto",
    "un_vote": "UN vote",
    "war": "War",
    "invasion": "Invasion",
    "border_clash": "Border clash",
    "military_exercise": "Military exercise",
    "nuclear": "Nuclear",
    "statement": "Statement",
    "diplomatic_shift": "Diplomatic shift",
    "terrorist_attack": "Terrorist attack",
    "military_operation": "Military operation",
    "crisis": "Crisis",
    "assessment": "Assessment",
    "trend": "Trend",
}
_ACRONYMS = {"un": "UN", "us": "US", "unga": "UNGA", "sipri": "SIPRI", "tiv": "TIV"}


def humanize(identifier: str) -> str:
    """``some_internal_id`` → ``Some internal id`` (known acronyms kept upper-case)."""
    words = [w for w in re.split(r"[_\-\s]+", str(identifier)) if w]
    if not words:
        return ""
    shown = [
        _ACRONYMS.get(w.lower(), w.lower() if i else w.capitalize()) for i, w in enumerate(words)
    ]
    if shown[0].islower():
        shown[0] = shown[0].capitalize()
    return " ".join(shown)


def kind_name(kind: Any) -> str:
    """The human name of an event kind (``diplomatic_shift`` → ``Diplomatic shift``)."""
    text = str(kind)
    if text in KIND_NAMES or text in KIND_NAMES.values():
        return KIND_NAMES.get(text, text)
    return humanize(text) if "_" in text or text.islower() else text


def period_name(period_id: str, years: bool = True) -> str:
    """A curated period's name (from ``periods.csv``), with its years unless ``years=False``."""
    from rupak.evidence import curated

    rows = curated.periods()
    row = rows[rows["period_id"] == period_id]
    if row.empty:
        raise ValueError(f"unknown period {period_id!r} (not in data/curated/periods.csv)")
    first = row.iloc[0]
    name = str(first["name"])
    if not years:
        return name
    return f"{name} ({first['start'].year}–{first['end'].year})"


def _surnames(authors: str) -> str:
    names = [a.strip() for a in str(authors).split(";") if a.strip()]
    surnames = [n.split()[-1] for n in names]
    if len(surnames) <= 2:
        return " & ".join(surnames)
    return f"{surnames[0]} et al."


def _is_blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def source_label(source_id: str, short: bool = False) -> str:
    """How a source is named in prose: ``sources.csv``'s label with its perspective
    ("Kaushiki & Bawa 2022 (Indian authors)"), or the label alone when ``short``."""
    from rupak.evidence import curated

    try:
        return curated.source_label(source_id, perspective=not short)
    except KeyError:
        return humanize(source_id)


def source_labels(short: bool = False) -> dict[str, str]:
    """Every source's label, by ``source_id``."""
    from rupak.evidence import curated

    return {sid: source_label(sid, short) for sid in curated.sources()["source_id"]}


class SourceLabels(Mapping[str, str]):
    """A read-only mapping ``source_id → label`` that reads ``sources.csv`` when first used.

    Kept for notebooks that do ``SOURCE_LABELS.get(source_id, source_id)``.
    """

    def _labels(self) -> dict[str, str]:
        return source_labels()

    def __getitem__(self, key: str) -> str:
        return self._labels()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


def mentioned_by_name(value: str) -> str:
    """``both`` / ``durrani`` / ``kaushiki_bawa_only`` → words for a table cell or legend.

    Anything else (already words) is returned unchanged.
    """
    from rupak.evidence import curated

    key = str(value).removesuffix("_only")
    if key == "both":
        return "both sources"
    if key not in set(curated.sources()["source_id"]):
        return str(value)
    return f"{source_label(key, short=True)} only"


def country_name(iso3: str) -> str:
    """A country's short English name (``PAK`` → ``Pakistan``); the code if unknown."""
    from rupak.record import countries

    try:
        return countries.name(iso3)
    except (KeyError, ValueError):
        return iso3
