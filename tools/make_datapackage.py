"""One-off generator kept for the record: the committed data/datapackage.json is the contract.

Run it again only to regenerate after editing the field lists below; review the diff.
"""

import json
from pathlib import Path

from rupak.evidence.corpus import PASSAGE_KINDS

ACTOR_PATTERN = "^[A-Z][A-Z0-9_]{1,19}$"
ACTOR_LIST_PATTERN = "^[A-Z][A-Z0-9_]{1,19}(;[A-Z][A-Z0-9_]{1,19})*$"
SOURCE_IDS = ["durrani", "kaushiki_bawa"]
FRAME_ID_PATTERN = "^[a-z][a-z0-9_]*$"
EVENT_KINDS = [
    "visit",
    "summit",
    "treaty",
    "alliance",
    "organisation",
    "arms_deal",
    "arms_embargo",
    "aid",
    "aid_cutoff",
    "un_veto",
    "un_vote",
    "war",
    "invasion",
    "border_clash",
    "military_exercise",
    "nuclear",
    "statement",
    "diplomatic_shift",
    "terrorist_attack",
    "military_operation",
]
NOTE_KINDS = [
    "wrong_date",
    "wrong_title",
    "misspelling",
    "anachronism",
    "contradiction",
    "misattribution",
    "citation_error",
    "extraction_debris",
    "unsupported",
]


def f(name, type_, description, required=False, **constraints):
    field = {"name": name, "type": type_, "description": description}
    if type_ == "date":
        field["format"] = "%Y-%m-%d"
    cons = dict(constraints)
    if required:
        cons["required"] = True
    if cons:
        field["constraints"] = cons
    return field


def quote_fields(what):
    return [
        f("source_id", "string", "Source the quote comes from.", True, enum=SOURCE_IDS),
        f(
            "quote",
            "string",
            f"Verbatim words of the source that state the {what}; an exact "
            "substring of the raw text.",
            True,
            minLength=3,
        ),
        f(
            "char_start",
            "integer",
            "Offset of the quote's first character in the raw text "
            "(Python str index, UTF-8 decoded).",
            True,
            minimum=0,
        ),
        f("char_end", "integer", "Offset one past the quote's last character.", True, minimum=1),
    ]


def resource(name, description, fields, primary_key, foreign_keys=()):
    return {
        "name": name,
        "path": f"curated/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": {
            "fields": fields,
            "primaryKey": primary_key,
            "foreignKeys": [
                {"fields": fk[0], "reference": {"resource": fk[1], "fields": fk[2]}}
                for fk in foreign_keys
            ],
            "missingValues": [""],
        },
    }


resources = [
    resource(
        "sources",
        "Bibliographic metadata and perspective of each source text.",
        [
            f("source_id", "string", "Short id used everywhere else.", True, enum=SOURCE_IDS),
            f(
                "file",
                "string",
                "File name in data/sources/ (raw text, never edited).",
                True,
                pattern=r"^\d{3}_[0-9a-f]{16}\.txt$",
            ),
            f(
                "sha256",
                "string",
                "SHA-256 of the raw file: the text is immutable input.",
                True,
                pattern="^[0-9a-f]{64}$",
            ),
            f("title", "string", "Title as printed.", True),
            f("authors", "string", "Authors, ';'-separated.", True),
            f("venue", "string", "Where it appeared.", True),
            f("volume_issue", "string", "Volume, issue, paper id."),
            f(
                "date",
                "string",
                "Publication date as far as known (YYYY, YYYY-MM or YYYY-MM-DD).",
                True,
                pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
            ),
            f(
                "date_precision",
                "string",
                "How much of the date is known.",
                True,
                enum=["year", "month", "day"],
            ),
            f(
                "date_certainty",
                "string",
                "Whether the date is printed or inferred.",
                True,
                enum=["stated", "inferred"],
            ),
            f("date_note", "string", "How the date was established."),
            f("perspective", "string", "The authors' standpoint (nationality).", True),
            f("licence", "string", "Licence of the text.", True),
            f("language", "string", "ISO 639-1 language code.", True, pattern="^[a-z]{2}$"),
        ],
        ["source_id"],
    ),
    resource(
        "actors",
        "States, organisations and groups, with the aliases the texts use.",
        [
            f(
                "code",
                "string",
                "ISO3 for states; SUN for the Soviet Union; upper-case code for "
                "organisations and groups.",
                True,
                pattern=ACTOR_PATTERN,
            ),
            f("name", "string", "English name.", True),
            f(
                "kind",
                "string",
                "What sort of actor.",
                True,
                enum=[
                    "state",
                    "former_state",
                    "organisation",
                    "alliance",
                    "group",
                    "non_state",
                    "person",
                ],
            ),
            f(
                "iso3",
                "string",
                "ISO 3166-1 alpha-3 where the actor is a current state.",
                pattern="^[A-Z]{3}$",
            ),
            f(
                "cow_code",
                "integer",
                "Correlates of War state number (Russia and the Soviet Union share 365).",
                minimum=1,
                maximum=999,
            ),
            f(
                "aliases",
                "string",
                "';'-separated names the texts use for the actor (matched as "
                "whole words, case-sensitive).",
            ),
            f("notes", "string", "Dates of existence and other facts relied on."),
        ],
        ["code"],
    ),
    resource(
        "periods",
        "Named periods of the relationship; membership is computed from dates.",
        [
            f("period_id", "string", "Id.", True, pattern="^[a-z0-9_]+$"),
            f("name", "string", "Name.", True),
            f("start", "date", "First day.", True),
            f("end", "date", "Last day.", True),
            f("start_reason", "string", "Why the period starts there.", True),
            f("end_reason", "string", "Why it ends there.", True),
        ],
        ["period_id"],
    ),
    resource(
        "cameo",
        "CAMEO event codes with Goldstein (1992) weights (Gerner et al. 2002).",
        [
            f("cameo_code", "string", "Three-digit CAMEO code.", True, pattern=r"^\d{3}$"),
            f(
                "root_code",
                "string",
                "Two-digit CAMEO root (01-08 cooperative, 09 neutral, 10-20 conflictual).",
                True,
                pattern=r"^(0[1-9]|1\d|20)$",
            ),
            f("label", "string", "CAMEO label.", True),
            f("goldstein", "number", "Goldstein weight, -10..+10.", True, minimum=-10, maximum=10),
            f("weight_source", "string", "Where the weight is taken from.", True),
        ],
        ["cameo_code"],
    ),
    resource(
        "events",
        "One row per real-world event that either source mentions.",
        [
            f(
                "event_id",
                "string",
                "Slug YYYY-short-name (nd- when undated).",
                True,
                pattern=r"^(\d{4}|nd)-[a-z0-9]+(-[a-z0-9]+)*$",
            ),
            f("date_start", "date", "First day the event may have happened.", True),
            f("date_end", "date", "Last day.", True),
            f(
                "date_precision",
                "string",
                "How precisely the date is known.",
                True,
                enum=["day", "month", "year", "decade"],
            ),
            f("title", "string", "Short neutral title.", True),
            f("kind", "string", "Controlled event kind.", True, enum=EVENT_KINDS),
            f("initiator", "string", "Actor code of who acts.", True, pattern=ACTOR_PATTERN),
            f("target", "string", "Actor code acted upon.", pattern=ACTOR_PATTERN),
            f(
                "actors",
                "string",
                "Every actor involved, ';'-separated codes.",
                True,
                pattern=ACTOR_LIST_PATTERN,
            ),
            f(
                "cameo_code",
                "string",
                "CAMEO code of the initiator's act towards the target.",
                True,
                pattern=r"^\d{3}$",
            ),
            f("notes", "string", "Context and the outside history relied on."),
            f(
                "check",
                "string",
                "Computation in rupak.analysis.claims testing the event against the record.",
                pattern="^[a-z0-9_]+$",
            ),
        ],
        ["event_id"],
        [
            (["cameo_code"], "cameo", ["cameo_code"]),
            (["initiator"], "actors", ["code"]),
        ],
    ),
    resource(
        "evidence",
        "Event x source: the verbatim words with which a source mentions an event.",
        [
            f("event_id", "string", "Event.", True),
            *quote_fields("event"),
            f("date_as_stated", "string", "The date words the source uses."),
        ],
        ["event_id", "source_id"],
        [
            (["event_id"], "events", ["event_id"]),
            (["source_id"], "sources", ["source_id"]),
        ],
    ),
    resource(
        "claims",
        "Every quantitative statement in either source.",
        [
            f(
                "claim_id",
                "string",
                "D-NN (durrani) or K-NN (kaushiki_bawa).",
                True,
                pattern=r"^[DK]-\d{2,3}$",
            ),
            *quote_fields("figure"),
            f("value", "number", "The figure, fully written out in its unit.", True),
            f(
                "unit",
                "string",
                "Unit of the value.",
                True,
                enum=["USD", "RUB", "percent", "count", "years", "rank"],
            ),
            f("approximate", "boolean", "The source hedges the figure.", True),
            f("measure", "string", "What the figure measures.", True),
            f("subject", "string", "Actor the figure is about.", pattern=ACTOR_PATTERN),
            f("counterpart", "string", "Other actor (supplier, donor).", pattern=ACTOR_PATTERN),
            f("year_start", "integer", "First year the figure covers.", minimum=1900, maximum=2030),
            f("year_end", "integer", "Last year the figure covers.", minimum=1900, maximum=2030),
            f("event_id", "string", "Event the figure belongs to."),
            f(
                "check",
                "string",
                "Computation in rupak.analysis.claims that tests it against the record.",
                pattern="^[a-z0-9_]+$",
            ),
        ],
        ["claim_id"],
        [
            (["source_id"], "sources", ["source_id"]),
            (["subject"], "actors", ["code"]),
            (["counterpart"], "actors", ["code"]),
            (["event_id"], "events", ["event_id"]),
        ],
    ),
    resource(
        "source_notes",
        "Errata and disagreements: where a source is wrong against "
        "well-established history or contradicts the other source. Never silently "
        "corrected.",
        [
            f("note_id", "string", "Id.", True, pattern=r"^N-[A-Z]?\d{2,3}$"),
            *quote_fields("matter at issue"),
            f("kind", "string", "What is wrong.", True, enum=NOTE_KINDS),
            f("event_id", "string", "Event concerned."),
            f("claim_id", "string", "Claim concerned."),
            f("says", "string", "What the source says.", True),
            f("record", "string", "What well-established history says.", True),
            f("relies_on", "string", "What the note relies on, so a reader can check it.", True),
        ],
        ["note_id"],
        [
            (["source_id"], "sources", ["source_id"]),
            (["event_id"], "events", ["event_id"]),
            (["claim_id"], "claims", ["claim_id"]),
        ],
    ),
    resource(
        "exclusions",
        "Spans of a raw text that are not the article.",
        [
            f("source_id", "string", "Source.", True, enum=SOURCE_IDS),
            f("char_start", "integer", "Start offset.", True, minimum=0),
            f("char_end", "integer", "End offset (exclusive).", True, minimum=1),
            f("kind", "string", "What the span is.", True, enum=["spam"]),
            f("reason", "string", "Why it is excluded.", True),
        ],
        ["source_id", "char_start"],
    ),
    resource(
        "normalisations",
        "Extraction debris and the rule that repairs it; offsets into the raw text.",
        [
            f("source_id", "string", "Source.", True, enum=SOURCE_IDS),
            f("char_start", "integer", "Start offset.", True, minimum=0),
            f("char_end", "integer", "End offset (exclusive).", True, minimum=1),
            f("raw", "string", "The raw characters.", True),
            f("replacement", "string", "What is read instead.", True),
            f(
                "rule",
                "string",
                "The rule applied.",
                True,
                enum=["run_together", "missing_space", "missing_sentence_break", "paragraph_join"],
            ),
            f("reason", "string", "Why.", True),
        ],
        ["source_id", "char_start"],
    ),
    resource(
        "frames",
        "Frame codebook for comparing the two sources (issue-specific frames; "
        "rules in docs/framing.md).",
        [
            f(
                "frame_id",
                "string",
                "Id used in passage_frames and frame_lexicon.",
                True,
                pattern=FRAME_ID_PATTERN,
            ),
            f("name", "string", "Short name.", True),
            f("definition", "string", "What the frame is.", True),
            f("include", "string", "Decision rule: when to code it.", True),
            f("exclude", "string", "Decision rule: when not to (and which frame instead).", True),
            f("examples", "string", "Short verbatim examples from the sources."),
        ],
        ["frame_id"],
    ),
    resource(
        "passage_frames",
        "Hand codes: every analysed (abstract and body) sentence of both "
        "sources with its frames and its stance towards the Russia-Pakistan "
        "rapprochement.",
        [
            f(
                "passage_id",
                "string",
                "Sentence id from rupak.evidence.corpus.passages(unit='sentence').",
                True,
                pattern=r"^(" + "|".join(SOURCE_IDS) + r")-p\d{2}-s\d{2}$",
            ),
            f(
                "frames",
                "string",
                "';'-separated frame ids from frames.csv, or 'none'.",
                True,
                pattern=r"^(none|[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*)$",
            ),
            f(
                "stance",
                "string",
                "Stance towards the Russia-Pakistan rapprochement (rule in docs/framing.md).",
                True,
                enum=["opportunity", "neutral", "threat"],
            ),
            f(
                "coder",
                "string",
                "Who coded: hand codes only (automatic codes are computed).",
                True,
                enum=["hand"],
            ),
            f("note", "string", "Why, where the decision was close."),
        ],
        ["passage_id"],
    ),
    resource(
        "frame_lexicon",
        "Dictionary of the automatic frame coder, written from the codebook's definitions.",
        [
            f("frame_id", "string", "Frame the term signals.", True, pattern=FRAME_ID_PATTERN),
            f(
                "term",
                "string",
                "Lower-case word or phrase, matched on whole words of the "
                "tokenised text; a trailing '*' matches any ending.",
                True,
                pattern=r"^[a-z0-9/]+\*?( [a-z0-9/]+\*?)*$",
            ),
        ],
        ["frame_id", "term"],
        [
            (["frame_id"], "frames", ["frame_id"]),
        ],
    ),
    resource(
        "entman",
        "Entman's (1993) four framing functions of each source, each with a verbatim quote.",
        [
            quote_fields("framing function")[0],
            f(
                "function",
                "string",
                "Entman's function.",
                True,
                enum=["problem", "cause", "evaluation", "remedy"],
            ),
            *quote_fields("framing function")[1:],
            f("note", "string", "How the quote serves the function."),
        ],
        ["source_id", "function"],
        [
            (["source_id"], "sources", ["source_id"]),
        ],
    ),
    resource(
        "layout",
        "Kinds of the non-body paragraphs, by their opening words.",
        [
            f("source_id", "string", "Source.", True, enum=SOURCE_IDS),
            f("starts_with", "string", "Opening words of the paragraph.", True),
            f(
                "kind",
                "string",
                "Paragraph kind.",
                True,
                enum=[k for k in PASSAGE_KINDS if k != "body"],
            ),
            f("note", "string", "Why."),
        ],
        ["source_id", "starts_with"],
    ),
]

package = {
    "profile": "tabular-data-package",
    "name": "rupak-curated",
    "title": "rupak: an evidence-linked dataset of Russia-Pakistan relations from two sources",
    "version": "0.1.0",
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ],
    "sources": [
        {
            "title": "Durrani, Yoking Pak - Russia Relations (magazine article)",
            "path": "sources/000_be06c8c6ab4980c8.txt",
        },
        {
            "title": "Kaushiki & Bawa (2022), Remarking An Analisation VII(V), CC BY 4.0",
            "path": "sources/001_39407a9623e540cf.txt",
        },
    ],
    "resources": resources,
}
out = Path(__file__).resolve().parents[1] / "data" / "datapackage.json"
out.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(out)
