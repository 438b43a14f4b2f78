"""The hand-curated tables as typed pandas DataFrames.

Dates are parsed, controlled vocabularies are categoricals (their categories come from the
data package's enums, so an empty category still exists), ``;``-lists become Python lists,
and what can be derived is derived here rather than stored: an event's CAMEO root and
Goldstein weight come from ``cameo.csv``, its periods from ``periods.csv``, and each quote's
passage from :mod:`rupak.evidence.corpus`.

The loaders trust validated data; run ``rupak validate`` (or
:func:`rupak.evidence.validate.validate`) to find problems. Tables are cached per process;
:func:`clear_cache` forgets them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from rupak.base.paths import data_dir
from rupak.base.provenance import cached
from rupak.evidence import corpus, tables


def _categories(name: str, column: str, field: dict, root: Path) -> list[str] | None:
    """The categories of a column: its enum, or the source ids for a source_id column."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return list(enum)
    if column == "source_id":  # ids live in sources.csv; other tables refer to them
        return tables.read("sources", root).column("source_id")
    return None


@cached
def _load(name: str, root: Path) -> pd.DataFrame:
    """Read one table and type its columns from the data package schema."""
    fields = tables.fields(name, root)
    frame = tables.frame(name, root)
    for column, field in fields.items():
        values = frame[column]
        kind = field["type"]
        categories = _categories(name, column, field, root) if kind == "string" else None
        if kind == "date":
            frame[column] = pd.to_datetime(values, format="%Y-%m-%d")
        elif kind == "integer":
            frame[column] = pd.to_numeric(values.replace("", None)).astype("Int64")
        elif kind == "number":
            frame[column] = pd.to_numeric(values.replace("", None)).astype("float64")
        elif kind == "boolean":
            frame[column] = values.str.lower().map({"true": True, "false": False}).astype(bool)
        elif categories:
            frame[column] = pd.Categorical(values.replace("", None), categories=categories)
        else:
            frame[column] = values.replace("", None)
    return frame


def _root(root: Path | None) -> Path:
    return Path(root) if root is not None else data_dir()


def clear_cache() -> None:
    """Forget cached tables (after the files changed on disk)."""
    _load.cache_clear()
    _located.cache_clear()
    _events.cache_clear()


def sources(root: Path | None = None) -> pd.DataFrame:
    return _load("sources", _root(root)).copy()


def source_labels(root: Path | None = None, perspective: bool = True) -> dict[str, str]:
    """How reports name each source, by id, from sources.csv's ``label`` and ``perspective``.

    ``{"durrani": "Durrani (Pakistani author)", ...}``; without the perspective, the label
    alone (``"Durrani"``). In the order of sources.csv.
    """
    table = _load("sources", _root(root))
    return {
        str(source): f"{label} ({view})" if perspective else str(label)
        for source, label, view in zip(
            table["source_id"], table["label"], table["perspective"], strict=True
        )
    }


def source_label(source_id: str, root: Path | None = None, perspective: bool = True) -> str:
    """The label of one source (see :func:`source_labels`); KeyError names the known ids."""
    labels = source_labels(root, perspective)
    if source_id not in labels:
        raise KeyError(f"unknown source id {source_id!r}; known: {', '.join(labels)}")
    return labels[source_id]


def claim_prefixes(root: Path | None = None) -> dict[str, str]:
    """The prefix of each source's claim ids (``{"durrani": "D-", ...}``), from sources.csv."""
    table = _load("sources", _root(root))
    return {
        str(source): str(prefix)
        for source, prefix in zip(table["source_id"], table["claim_prefix"], strict=True)
    }


def actors(root: Path | None = None) -> pd.DataFrame:
    """Actors with ``aliases`` as lists of the names the texts use."""
    frame = _load("actors", _root(root)).copy()
    frame["aliases"] = frame["aliases"].map(lambda s: s.split(";") if s else [])
    return frame


def periods(root: Path | None = None) -> pd.DataFrame:
    return _load("periods", _root(root)).copy()


def cameo(root: Path | None = None) -> pd.DataFrame:
    return _load("cameo", _root(root)).copy()


def period_of(when: date | str | pd.Timestamp, root: Path | None = None) -> list[str]:
    """Ids of every period containing ``when`` (periods nest: 1965-75 is inside the Cold War)."""
    stamp = pd.Timestamp(when)
    table = _load("periods", _root(root))
    inside = (table["start"] <= stamp) & (table["end"] >= stamp)
    return table.loc[inside, "period_id"].tolist()


def periods_overlapping(
    start: pd.Timestamp, end: pd.Timestamp, root: Path | None = None
) -> list[str]:
    """Ids of every period that overlaps ``[start, end]`` (for events known only to a span)."""
    table = _load("periods", _root(root))
    hit = (table["start"] <= end) & (table["end"] >= start)
    return table.loc[hit, "period_id"].tolist()


def _with_cameo(frame: pd.DataFrame, root: Path) -> pd.DataFrame:
    """Add ``cameo_root``, ``goldstein`` and ``cooperative`` (CAMEO root 01–08) from cameo.csv.

    Rows without a CAMEO code (context and statistic rows) get none: missing root and
    Goldstein weight, and ``cooperative`` missing (a nullable boolean).
    """
    codes = _load("cameo", root).set_index("cameo_code")
    code = frame["cameo_code"].astype(object)
    frame["cameo_root"] = code.map(codes["root_code"])
    frame["goldstein"] = code.map(codes["goldstein"]).astype("float64")
    root_number = pd.to_numeric(frame["cameo_root"], errors="coerce")
    frame["cooperative"] = (root_number <= 8).astype("boolean").mask(root_number.isna())
    return frame


def events(root: Path | None = None) -> pd.DataFrame:
    """Events with actor lists, CAMEO root and Goldstein weight, and derived periods.

    ``nature`` says what a row is (docs/curation.md, event nature): only ``interstate_act``
    rows carry a CAMEO code, hence a root, a Goldstein weight and ``cooperative``; context and
    statistic rows have them missing. ``periods`` lists every period the event's date span
    overlaps; ``year`` is the start year.
    """
    frame = _events(_root(root)).copy()
    for column in ("actors", "periods"):  # each caller gets lists of its own
        frame[column] = frame[column].map(list)
    return frame


@cached
def _events(root: Path) -> pd.DataFrame:
    frame = _with_cameo(_load("events", root).copy(), root)
    frame["actors"] = frame["actors"].map(lambda s: s.split(";"))
    frame["year"] = frame["date_start"].dt.year.astype("int16")
    periods = _load("periods", root)
    frame["periods"] = [
        periods.loc[(periods["start"] <= end) & (periods["end"] >= start), "period_id"].tolist()
        for start, end in zip(frame["date_start"], frame["date_end"], strict=True)
    ]
    return frame


def _with_passages(frame: pd.DataFrame, root: Path) -> pd.DataFrame:
    """Add the sentence and paragraph that contain each quote (first passage that spans it)."""
    frame["sentence_id"] = _containing(frame, "sentence", root)
    frame["paragraph_id"] = _containing(frame, "paragraph", root)
    return frame


def _containing(frame: pd.DataFrame, unit: str, root: Path) -> list[str | None]:
    found: list[str | None] = []
    spans = {
        source: corpus.passages(source, unit=unit, kinds=None, root=root)
        for source in frame["source_id"].astype(str).unique()
    }
    for source, start, end in zip(
        frame["source_id"].astype(str), frame["char_start"], frame["char_end"], strict=True
    ):
        passages = spans[source]
        hit = passages[(passages["char_start"] <= start) & (passages["char_end"] >= end)]
        found.append(None if hit.empty else str(hit["passage_id"].iloc[0]))
    return found


@cached
def _located(name: str, root: Path) -> pd.DataFrame:
    return _with_passages(_load(name, root).copy(), root)


def evidence(root: Path | None = None) -> pd.DataFrame:
    """Evidence rows with their raw offsets and the passages that contain the quotes."""
    return _located("evidence", _root(root)).copy()


def claims(root: Path | None = None) -> pd.DataFrame:
    """Quantitative statements with their raw offsets and containing passages."""
    return _located("claims", _root(root)).copy()


def narratives(root: Path | None = None) -> pd.DataFrame:
    """The sources' narrative statements per period, each with the record test it bears on
    and what its words predict (``higher``, ``lower``, ``same``), with containing passages."""
    return _located("narratives", _root(root)).copy()


def source_notes(root: Path | None = None) -> pd.DataFrame:
    """Errata and disagreements, each with its verbatim quote and what it relies on."""
    return _load("source_notes", _root(root)).copy()


def second_event_codes(root: Path | None = None) -> pd.DataFrame:
    """The second coder's (coder2's) event codes as it made them, with CAMEO root, Goldstein
    weight and ``cooperative`` derived as for :func:`events`; ``in_sample`` marks the randomly
    sampled events that reliability uses."""
    root = _root(root)
    return _with_cameo(_load("event_codes_second", root).copy(), root)


def event_reconciliation(root: Path | None = None) -> pd.DataFrame:
    """Each disagreement between coder1 and coder2 on a second-coded event, with the value
    decided and why (values as text; empty = no value is ``None``)."""
    return _load("event_reconciliation", _root(root)).copy()


def coding_changes(root: Path | None = None) -> pd.DataFrame:
    """Every change to an existing row of events, source_notes or passage_frames, in order."""
    return _load("coding_changes", _root(root)).copy()


def curation_decisions(root: Path | None = None) -> pd.DataFrame:
    """The first coding's open calls, decided or left open, with reasons."""
    return _load("curation_decisions", _root(root)).copy()


def coverage_check(root: Path | None = None) -> pd.DataFrame:
    """The second reading's events and figures, each held, added or out of scope."""
    return _load("coverage_check", _root(root)).copy()


def event_evidence(root: Path | None = None) -> pd.DataFrame:
    """Events joined with their evidence: one row per event × source that mentions it."""
    root = _root(root)
    return evidence(root).merge(events(root), on="event_id", how="left", validate="many_to_one")
