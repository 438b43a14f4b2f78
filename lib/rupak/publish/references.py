"""Full references for a report: the two sources, the data, and the methods used on the page.

Why: a report a researcher can cite must say, in full, what it read and which methods it
applied. Sources come from ``data/curated/sources.csv`` (authors, title, venue, date,
licence); the data's intermediary repositories and commits come from the pinned registry
(``lib/rupak/record/registry.txt``), so the references follow the record actually used; the
methods are a fixed bibliography (:data:`METHODS`) from which a notebook names what it used.

Usage (a notebook normally calls :func:`rupak.publish.notebook.provenance_footer`)::

    from rupak.publish import references
    refs = references.references(methods=["hage2011", "entman1993"])
    [r.text for r in refs["Methods"]]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Reference:
    """One entry: its key, the full text, and an optional DOI or handle (shown as a link)."""

    key: str
    text: str
    doi: str = ""
    note: str = ""


METHODS: Mapping[str, Reference] = {
    r.key: r
    for r in [
        Reference(
            "hage2011",
            "Häge, Frank M. (2011). “Choice or Circumstance? Adjusting Measures of Foreign "
            "Policy Similarity for Chance Agreement.” Political Analysis 19(3): 287–305.",
            "10.1093/pan/mpr023",
        ),
        Reference(
            "signorino_ritter1999",
            "Signorino, Curtis S. and Jeffrey M. Ritter (1999). “Tau-b or Not Tau-b: "
            "Measuring the Similarity of Foreign Policy Positions.” International Studies "
            "Quarterly 43(1): 115–144.",
            "10.1111/0020-8833.00113",
        ),
        Reference(
            "cohen1960",
            "Cohen, Jacob (1960). “A Coefficient of Agreement for Nominal Scales.” "
            "Educational and Psychological Measurement 20(1): 37–46.",
            "10.1177/001316446002000104",
        ),
        Reference(
            "cohen1968",
            "Cohen, Jacob (1968). “Weighted Kappa: Nominal Scale Agreement with Provision for "
            "Scaled Disagreement or Partial Credit.” Psychological Bulletin 70(4): 213–220.",
            "10.1037/h0026256",
        ),
        Reference(
            "scott1955",
            "Scott, William A. (1955). “Reliability of Content Analysis: The Case of Nominal "
            "Scale Coding.” Public Opinion Quarterly 19(3): 321–325.",
            "10.1086/266577",
        ),
        Reference(
            "lijphart1963",
            "Lijphart, Arend (1963). “The Analysis of Bloc Voting in the General Assembly: A "
            "Critique and a Proposal.” American Political Science Review 57(4): 902–917.",
            "10.2307/1952608",
        ),
        Reference(
            "monroe2008",
            "Monroe, Burt L., Michael P. Colaresi and Kevin M. Quinn (2008). “Fightin' Words: "
            "Lexical Feature Selection and Evaluation for Identifying the Content of Political "
            "Conflict.” Political Analysis 16(4): 372–403.",
            "10.1093/pan/mpn018",
        ),
        Reference(
            "krippendorff2004",
            "Krippendorff, Klaus (2004). Content Analysis: An Introduction to Its Methodology. "
            "2nd edition. Thousand Oaks, CA: Sage.",
        ),
        Reference(
            "entman1993",
            "Entman, Robert M. (1993). “Framing: Toward Clarification of a Fractured "
            "Paradigm.” Journal of Communication 43(4): 51–58.",
            "10.1111/j.1460-2466.1993.tb01304.x",
        ),
        Reference(
            "goldstein1992",
            "Goldstein, Joshua S. (1992). “A Conflict-Cooperation Scale for WEIS Events "
            "Data.” Journal of Conflict Resolution 36(2): 369–385.",
            "10.1177/0022002792036002007",
        ),
        Reference(
            "cameo2002",
            "Gerner, Deborah J., Philip A. Schrodt, Ömür Yilmaz and Rajaa Abu-Jabr (2002). "
            "“Conflict and Mediation Event Observations (CAMEO): A New Event Data Framework "
            "for the Analysis of Foreign Policy Interactions.” Paper presented at the annual "
            "meeting of the International Studies Association, New Orleans.",
        ),
        Reference(
            "landis_koch1977",
            "Landis, J. Richard and Gary G. Koch (1977). “The Measurement of Observer "
            "Agreement for Categorical Data.” Biometrics 33(1): 159–174.",
            "10.2307/2529310",
        ),
        Reference(
            "efron1993",
            "Efron, Bradley and Robert J. Tibshirani (1993). An Introduction to the Bootstrap. "
            "New York: Chapman & Hall.",
        ),
        Reference(
            "kunsch1989",
            "Künsch, Hans R. (1989). “The Jackknife and the Bootstrap for General Stationary "
            "Observations.” Annals of Statistics 17(3): 1217–1241.",
        ),
        Reference(
            "politis_romano1992",
            "Politis, Dimitris N. and Joseph P. Romano (1992). “A Circular Block-Resampling "
            "Procedure for Stationary Data.” In Exploring the Limits of Bootstrap, ed. Raoul "
            "LePage and Lynne Billard. New York: Wiley.",
        ),
        Reference(
            "simonsohn2020",
            "Simonsohn, Uri, Joseph P. Simmons and Leif D. Nelson (2020). “Specification Curve "
            "Analysis.” Nature Human Behaviour 4: 1208–1214.",
        ),
        Reference(
            "steegen2016",
            "Steegen, Sara, Francis Tuerlinckx, Andrew Gelman and Wolf Vanpaemel (2016). "
            "“Increasing Transparency Through a Multiverse Analysis.” Perspectives on "
            "Psychological Science 11(5): 702–712.",
        ),
    ]
}
#: The works behind the inference every period report uses (docs/methods.md#uncertainty,
#: #robustness).
INFERENCE_METHODS = (
    "efron1993",
    "kunsch1989",
    "politis_romano1992",
    "simonsohn2020",
    "steegen2016",
)
# Names a notebook may use for the same work.
ALIASES = {
    "hage": "hage2011",
    "signorino_ritter": "signorino_ritter1999",
    "cohen": "cohen1960",
    "scott": "scott1955",
    "monroe": "monroe2008",
    "krippendorff": "krippendorff2004",
    "entman": "entman1993",
    "goldstein": "goldstein1992",
    "cameo": "cameo2002",
    "landis_koch": "landis_koch1977",
    "lijphart": "lijphart1963",
}
# The methods behind each UNGA agreement measure (docs/methods.md#agreement).
MEASURE_METHODS: Mapping[str, tuple[str, ...]] = {
    "kappa": ("cohen1960", "cohen1968", "hage2011"),
    "pi": ("scott1955", "hage2011"),
    "s": ("signorino_ritter1999",),
    "ia": ("lijphart1963",),
    "percent": (),
}
UNVOTES_VERSION = "0.2.0.9000"  # the DESCRIPTION of dgrtwo/unvotes at the pinned commit
SIPRI_GENERATED = "28 July 2022"  # the date printed in the TIV tables' preamble


def method(key: str) -> Reference:
    """A method reference by key (or alias); an unknown key lists the known ones."""
    name = ALIASES.get(key, key)
    if name not in METHODS:
        raise ValueError(f"unknown method reference {key!r}; known: {', '.join(METHODS)}")
    return METHODS[name]


# --- sources ----------------------------------------------------------------------------------


def _authors(authors: str) -> str:
    """``"Nishtha Kaushiki; Jagmeet Bawa"`` → ``"Kaushiki, Nishtha and Jagmeet Bawa"``."""
    names = [a.strip() for a in str(authors).split(";") if a.strip()]
    if not names:
        return "Anonymous"
    first = names[0].split()
    head = f"{first[-1]}, {' '.join(first[:-1])}".strip(", ")
    rest = names[1:]
    if not rest:
        return head
    return ", ".join([head, *rest[:-1]]) + f" and {rest[-1]}"


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def licence_note(licence: object) -> str:
    """Reader-facing words for a source's licence as recorded in ``sources.csv``."""
    text = "" if _blank(licence) else str(licence).strip()
    if not text or text.lower().startswith("unknown"):
        return (
            "Rights reserved by the author (no licence is stated); the text is included "
            "unchanged so that quotes can be verified."
        )
    return f"Licence: {text}, as published."


def _source_date(row: pd.Series) -> str:
    date = "" if _blank(row.get("date")) else str(row["date"])
    if not date:
        return "undated"
    if str(row.get("date_certainty", "")) == "inferred":
        return f"undated; not before {date[:4]}"
    return date[:4]


def source_reference(row: pd.Series) -> Reference:
    """A source as a full reference, from its ``sources.csv`` row."""
    title = str(row["title"]).strip()
    title = title if title[-1:] in ".?!" else f"{title}."
    parts = [f"{_authors(row['authors'])} ({_source_date(row)}). “{title}”"]
    venue = "" if _blank(row.get("venue")) else str(row["venue"])
    volume = "" if _blank(row.get("volume_issue")) else str(row["volume_issue"])
    where = ", ".join(p for p in (venue[:1].upper() + venue[1:], volume) if p)
    if where:
        parts.append(f"{where}.")
    if str(row.get("date_precision", "")) == "day" and not _blank(row.get("date")):
        published = pd.Timestamp(str(row["date"]))
        parts.append(f"Published {published.day} {published.strftime('%B %Y')}.")
    return Reference(str(row["source_id"]), " ".join(parts), note=licence_note(row.get("licence")))


def source_references(source_ids: Iterable[str] | None = None) -> list[Reference]:
    """The sources (all of ``sources.csv`` by default), in its order."""
    from rupak.evidence import curated

    rows = curated.sources()
    if source_ids is not None:
        wanted = list(source_ids)
        rows = rows[rows["source_id"].isin(wanted)]
    return [source_reference(row) for _, row in rows.iterrows()]


# --- data -------------------------------------------------------------------------------------

_GITHUB_RAW = re.compile(r"https://raw\.githubusercontent\.com/([^/]+/[^/]+)/([0-9a-f]{7,40})/")


def intermediaries(dataset: str) -> list[tuple[str, str, int]]:
    """(repository, commit, number of files) the pinned files of a dataset come from."""
    from rupak.record.fetch import registry

    found: dict[tuple[str, str], int] = {}
    for entry in registry().values():
        if entry.dataset != dataset:
            continue
        match = _GITHUB_RAW.match(entry.url)
        key = (match.group(1), match.group(2)) if match else (entry.url, "")
        found[key] = found.get(key, 0) + 1
    return [(repo, commit, n) for (repo, commit), n in sorted(found.items())]


def _via(dataset: str) -> str:
    parts = []
    for repo, commit, n in intermediaries(dataset):
        files = "file" if n == 1 else "files"
        at = f" at commit {commit[:7]}" if commit else ""
        parts.append(f"github.com/{repo}{at} ({n} {files})")
    return "; ".join(parts)


def data_references(datasets: Iterable[str] = ("unvotes", "sipri")) -> list[Reference]:
    """The external record, with the intermediary repositories its pinned files come from."""
    out: list[Reference] = []
    for dataset in datasets:
        if dataset == "unvotes":
            out.append(
                Reference(
                    "voeten",
                    "Voeten, Erik. “Data and Analyses of Voting in the UN General Assembly.” "
                    "Harvard Dataverse, hdl:1902.1/12379. Licence CC0. Roll-call votes "
                    "1946–2019, as packaged by the unvotes R package (next entry).",
                )
            )
            out.append(
                Reference(
                    "unvotes",
                    "Robinson, David (with Nicholas Goguen-Compagnoni). unvotes: United Nations "
                    f"General Assembly Voting Data. R package version {UNVOTES_VERSION}, "
                    f"obtained from {_via('unvotes')}. Licence MIT.",
                )
            )
        elif dataset == "sipri":
            out.append(
                Reference(
                    "sipri",
                    "Stockholm International Peace Research Institute. SIPRI Arms Transfers "
                    f"Database: trend-indicator value (TIV) tables generated {SIPRI_GENERATED}, "
                    f"and the trade register. Obtained from the intermediary repositories "
                    f"{_via('sipri')}. A TIV measures a volume of military capability, not "
                    "money.",
                )
            )
        else:
            raise ValueError(f"unknown dataset {dataset!r}; expected unvotes or sipri")
    return out


def datasets_read() -> list[str]:
    """The datasets whose record files this process read (from the provenance log)."""
    from rupak.base import provenance

    names = {r["name"].split("/", 1)[0] for r in provenance.record_read()}
    return [d for d in ("unvotes", "sipri") if d in names]


def references(
    methods: Iterable[str] = (),
    data: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> dict[str, list[Reference]]:
    """References by section ("Sources", "Data", "Methods"); empty sections are left out.

    ``data`` None means the datasets the notebook actually read; ``sources`` None means both
    sources; ``methods`` are keys of :data:`METHODS` (or :data:`ALIASES`), kept in the order
    given, duplicates dropped.
    """
    keys = list(dict.fromkeys(method(k).key for k in methods))
    sections = {
        "Sources": source_references(sources),
        "Data": data_references(datasets_read() if data is None else data),
        "Methods": [METHODS[k] for k in keys],
    }
    return {name: refs for name, refs in sections.items() if refs}
