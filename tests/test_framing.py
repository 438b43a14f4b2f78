"""rupak.analysis.framing: Fightin' Words and reliability by hand, the hand codes, their checks."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import framing
from rupak.evidence import corpus, framing_tables


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data: `rupak validate --data X` (cli.main) sets RUPAK_DATA for the
    whole process, so a test that ran it earlier would otherwise point these at its copy."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


# --------------------------------------------------------------------------- Fightin' Words


def test_log_odds_dirichlet_by_hand_equal_totals():
    # Text a: "x x x y" (n = 4); text b: "x y y y" (n = 4); prior α_x = α_y = 1, so α₀ = 2.
    # δ_x = log[(3+1)/(4+2−3−1)] − log[(1+1)/(4+2−1−1)] = log(4/2) − log(2/4) = 2·log 2
    # Var(δ_x) = 1/(3+1) + 1/(1+1) = 0.75;  z_x = 2·log 2 / √0.75 = 1.6007548…
    # and y mirrors x: δ_y = −2·log 2, z_y = −1.6007548…
    table = framing.log_odds_dirichlet({"x": 3, "y": 1}, {"x": 1, "y": 3}, {"x": 1, "y": 1})
    x, y = table.set_index("term").loc["x"], table.set_index("term").loc["y"]
    assert list(table.columns) == ["term", "y_a", "y_b", "alpha", "delta", "var", "z"]
    assert list(table["term"]) == ["x", "y"]  # sorted by z, a's words first
    assert x["delta"] == pytest.approx(2 * math.log(2))
    assert x["var"] == pytest.approx(0.75)
    assert x["z"] == pytest.approx(1.6007548451372582)
    assert y["delta"] == pytest.approx(-2 * math.log(2))
    assert y["z"] == pytest.approx(-1.6007548451372582)


def test_log_odds_dirichlet_by_hand_unequal_totals_and_prior():
    # Text a: x 2, y 2 (n = 4); text b: x 1, y 7 (n = 8); prior α_x = 0.5, α_y = 1.5 (α₀ = 2).
    # δ_x = log[(2+0.5)/(4+2−2−0.5)] − log[(1+0.5)/(8+2−1−0.5)] = log(2.5/3.5) − log(1.5/8.5)
    #     = −0.3364722 + 1.7346011 = 1.3981288
    # Var(δ_x) = 1/2.5 + 1/1.5 = 1.0666667;        z_x = 1.3981288/√1.0666667 = 1.3537324
    # δ_y = log[(2+1.5)/(4+2−2−1.5)] − log[(7+1.5)/(8+2−7−1.5)] = log(3.5/2.5) − log(8.5/1.5)
    #     = −1.3981288
    # Var(δ_y) = 1/3.5 + 1/8.5 = 0.4033613;        z_y = −1.3981288/√0.4033613 = −2.2014055
    table = framing.log_odds_dirichlet({"x": 2, "y": 2}, {"x": 1, "y": 7}, {"x": 0.5, "y": 1.5})
    rows = table.set_index("term")
    assert rows.loc["x", "delta"] == pytest.approx(1.3981288187668934)
    assert rows.loc["x", "var"] == pytest.approx(1.0666666666666667)
    assert rows.loc["x", "z"] == pytest.approx(1.3537324077342066)
    assert rows.loc["y", "delta"] == pytest.approx(-1.3981288187668934)
    assert rows.loc["y", "var"] == pytest.approx(0.40336134453781514)
    assert rows.loc["y", "z"] == pytest.approx(-2.201405512536794)


def test_log_odds_needs_a_prior_for_every_counted_word():
    with pytest.raises(ValueError, match="without a prior: z"):
        framing.log_odds_dirichlet({"x": 1, "z": 1}, {"x": 1}, {"x": 1.0})
    with pytest.raises(ValueError, match="positive"):
        framing.log_odds_dirichlet({"x": 1}, {"x": 1}, {"x": 0.0})


vocab = st.sampled_from(["russia", "pakistan", "india", "threat", "thaw", "arms", "gwadar"])
counts_strategy = st.dictionaries(vocab, st.integers(min_value=0, max_value=40), min_size=1)


@settings(max_examples=150, deadline=None)
@given(
    counts_strategy,
    counts_strategy,
    st.dictionaries(vocab, st.floats(min_value=0.01, max_value=50), min_size=7),
)
def test_swapping_the_texts_negates_delta_and_z(counts_a, counts_b, alpha):
    ab = framing.log_odds_dirichlet(counts_a, counts_b, alpha).set_index("term")
    ba = framing.log_odds_dirichlet(counts_b, counts_a, alpha).set_index("term").loc[ab.index]
    assert ab["delta"].to_numpy() == pytest.approx(-ba["delta"].to_numpy(), abs=1e-9)
    assert ab["z"].to_numpy() == pytest.approx(-ba["z"].to_numpy(), abs=1e-9)
    assert ab["var"].to_numpy() == pytest.approx(ba["var"].to_numpy())


def test_fightin_words_uses_the_wordfreq_prior_with_alpha0():
    table = framing.fightin_words("durrani", "kaushiki_bawa", prior_strength=500, min_count=1)
    assert table.attrs["alpha0"] == 500
    assert table.attrs["prior"] == "wordfreq"
    assert table["alpha"].sum() == pytest.approx(500)  # min_count=1 keeps every word
    assert table["y_a"].sum() == table.attrs["n_a"]
    assert table["z"].is_monotonic_decreasing
    # a common word gets a larger prior than a rare one, in proportion to wordfreq
    from wordfreq import word_frequency

    alpha = table.set_index("term")["alpha"]
    ratio = word_frequency("relationship", "en") / word_frequency("gwadar", "en")
    assert alpha["relationship"] / alpha["gwadar"] == pytest.approx(ratio)


SPAM_AND_DEBRIS = (
    "synthroid",
    "prescription",
    "artforhealingfoundation",
    "http",
    "www",
    "russiafurther",
    "otherresources",
    "towardspakistan",
    "russiapakistan",
)


def test_no_spam_or_debris_reaches_the_counts_or_the_top_terms():
    for source in corpus.source_ids():
        vocabulary = set(framing.counts(source).index)
        assert not vocabulary & set(SPAM_AND_DEBRIS), source
    table = framing.fightin_words(min_count=1)
    top = set(table.head(30)["term"]) | set(table.tail(30)["term"])
    assert not top & set(SPAM_AND_DEBRIS)


def test_citations_and_run_in_labels_are_not_vocabulary():
    words = set(framing.counts("kaushiki_bawa").index)
    assert {"mahmood", "siddiqi", "cited", "abstract", "findings"}.isdisjoint(words)
    assert {"korybko", "menon"} <= words  # named in the prose ("Korybko (2015), a Russian…")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Russia-Pakistan relations", ["russia", "pakistan", "relations"]),
        ("the U.S.S. R. and the U.S. and E.U.", ["ussr", "us", "eu"]),
        ("Russia’s and Pakistan's", ["russia", "pakistan"]),
        ("since 9/11 in 1979", ["since", "9/11"]),
        ("Ka-226T helicopters", ["ka", "226t", "helicopters"]),
        ("defense of normalize", ["defence", "normalise"]),
    ],
)
def test_tokenize(text, tokens):
    assert framing.tokenize(framing.reading(text), stopwords={"the", "and", "in", "of"}) == tokens


@pytest.mark.parametrize(
    ("a", "b", "unit", "message"),
    [
        ("durrani", "pravda", "sentence", "source_b: unknown source id 'pravda'"),
        ("durrani", "durrani", "sentence", "both 'durrani'"),
        ("durrani", "kaushiki_bawa", "reference", "unit 'reference' has no analysed passages"),
        ("durrani", "kaushiki_bawa", "word", "unit 'word'"),
    ],
)
def test_check_sources(a, b, unit, message):
    with pytest.raises(ValueError, match=message):
        framing.check_sources(a, b, unit)
    with pytest.raises(ValueError, match=message):
        framing.fightin_words(a, b, unit=unit)


# --------------------------------------------------------------------------- reliability


def _codings(hand_x, auto_x, hand_stance=None, auto_stance=None):
    ids = [f"s{i}" for i in range(len(hand_x))]
    neutral = ["neutral"] * len(ids)
    hand = pd.DataFrame(
        {
            "passage_id": ids,
            "frames": [["x"] if v else [] for v in hand_x],
            "stance": hand_stance or neutral,
        }
    )
    auto = pd.DataFrame(
        {
            "passage_id": ids,
            "frames": [["x"] if v else [] for v in auto_x],
            "stance": auto_stance or neutral,
        }
    )
    return hand, auto


def test_reliability_krippendorffs_binary_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", binary data, two
    # observers, ten units:  A = 0 1 0 0 0 0 0 0 1 0   B = 1 1 1 0 0 1 0 0 0 0
    # Pairable values n = 20: n_0 = 14, n_1 = 6; disagreeing units 1, 3, 6, 9, so o_01 = 4.
    # α = 1 − (n − 1)·o_01 / (n_0·n_1) = 1 − 19·4/(14·6) = 1 − 76/84 = 0.0952381
    # Cohen: p_o = 6/10; A says 1 for 2/10, B for 4/10: p_e = .8·.6 + .2·.4 = .56;
    # κ = (.60 − .56)/(1 − .56) = 0.0909091.  TP = 1 (unit 2): precision 1/4, recall 1/2,
    # F1 = 2·(1/4)(1/2)/(3/4) = 1/3.
    hand, auto = _codings([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    row = framing.reliability(hand, auto).set_index("item").loc["x"]
    assert row["alpha"] == pytest.approx(1 - 76 / 84)
    assert row["kappa"] == pytest.approx(0.04 / 0.44)
    assert (row["hand"], row["auto"], row["agreement"]) == (2, 4, 0.6)
    assert (row["precision"], row["recall"]) == (0.25, 0.5)
    assert row["f1"] == pytest.approx(1 / 3)
    assert row["alpha_verdict"] == "unreliable"


def test_reliability_stance_three_categories_by_hand():
    # hand: o o n n n t   auto: o n n n t t   (o = opportunity, n = neutral, t = threat)
    # Cohen: p_o = 4/6; marginals hand (2, 3, 1), auto (1, 3, 2): p_e = (2+9+2)/36 = 13/36;
    # κ = (24/36 − 13/36)/(23/36) = 11/23.
    # Krippendorff: coincidences o_oo 2, o_on = o_no 1, o_nn 4, o_nt = o_tn 1, o_tt 2;
    # n_o = 3, n_n = 6, n_t = 3, n = 12; Σ_{c≠k} n_c·n_k = 144 − (9 + 36 + 9) = 90;
    # α = 1 − (n − 1)·4/90 = 1 − 44/90 = 23/45.
    o, n, t = "opportunity", "neutral", "threat"
    hand, auto = _codings([0] * 6, [0] * 6, [o, o, n, n, n, t], [o, n, n, n, t, t])
    table = framing.reliability(hand, auto, frame_ids=["x"]).set_index("item")
    assert table.loc["stance", "kappa"] == pytest.approx(11 / 23)
    assert table.loc["stance", "alpha"] == pytest.approx(23 / 45)
    assert table.loc["stance", "agreement"] == pytest.approx(4 / 6)
    # a frame neither coding uses: nothing to agree about, α and κ undefined, not 1 or 0
    assert math.isnan(table.loc["x", "alpha"]) and math.isnan(table.loc["x", "kappa"])
    assert table.loc["x", "alpha_verdict"] == "undefined"


def test_reliability_of_the_automatic_coder_covers_every_frame():
    hand = framing.hand_codes()
    table = framing.reliability(hand, framing.auto_code(), framing.frames()["frame_id"])
    assert set(framing.frames()["frame_id"]) <= set(table["item"])
    assert {"stance", "all frames (pooled)"} <= set(table["item"])
    assert (table["n"] == len(hand)).sum() == len(framing.frames()) + 4  # + stance, 3 categories
    assert table["alpha"].between(-1, 1).all()


# --------------------------------------------------------------------------- hand codes


def test_every_analysed_sentence_has_exactly_one_hand_code_row():
    path = Path(__file__).resolve().parents[1] / "data" / "curated" / "passage_frames.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        coded = [row["passage_id"] for row in csv.DictReader(handle)]
    sentences = corpus.passages(unit="sentence")["passage_id"].tolist()
    assert Counter(coded) == Counter(sentences)
    assert coded == sentences  # in order
    assert set(corpus.passages(unit="sentence")["kind"]) == {"abstract", "body"}


def test_the_project_framing_data_has_no_problem():
    assert framing_tables.framing_problems() == []


def test_hand_codes_are_typed():
    codes = framing.hand_codes()
    assert codes["stance"].dtype == "category"
    assert set(codes["stance"].dropna()) <= set(framing_tables.STANCES)
    assert all(isinstance(v, list) for v in codes["frames"])
    assert codes["source_id"].notna().all()


def test_entman_quotes_stand_at_their_offsets():
    table = framing_tables.entman()
    for row in table.itertuples():
        assert corpus.raw_text(row.source_id)[row.char_start : row.char_end] == row.quote
    assert (
        table.groupby("source_id")["function"]
        .apply(list)
        .map(lambda f: [str(x) for x in f])
        .tolist()
        == [list(framing_tables.ENTMAN_FUNCTIONS)] * 2
    )
    assert framing_tables.entman("durrani")["sentence_id"].str.startswith("durrani-").all()


# --------------------------------------------------------------------------- broken copies


def _rows(data: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(data / "curated" / name, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(data: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "curated" / name).write_text(buffer.getvalue(), encoding="utf-8")


def _edit(data: Path, name: str, index: int, **changes: str) -> dict[str, str]:
    header, rows = _rows(data, name)
    before = dict(rows[index])
    rows[index].update(changes)
    _write(data, name, header, rows)
    return before


PF = "data/curated/passage_frames.csv"


def _case_unknown_frame(data):
    _edit(data, "passage_frames.csv", 4, frames="normalisation;soft_power")
    return [f"{PF}:6:frames: 'soft_power': unknown frame (not in frames.csv)"]


def _case_unknown_passage(data):
    before = _edit(data, "passage_frames.csv", 0, passage_id="durrani-p99-s01")
    return [
        f"{PF}:2:passage_id: 'durrani-p99-s01': no such analysed sentence (see `rupak "
        "passages --unit sentence`)",
        f"{PF}::passage_id: '{before['passage_id']}': sentence has no hand code",
    ]


def _case_missing_row(data):
    header, rows = _rows(data, "passage_frames.csv")
    gone = rows.pop(60)
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}::passage_id: '{gone['passage_id']}': sentence has no hand code"]


def _case_bad_stance(data):
    _edit(data, "passage_frames.csv", 10, stance="hostile")
    return [
        f"{PF}:12:stance: 'hostile': is not one of the allowed values "
        "(opportunity, neutral, threat)"
    ]


def _case_none_with_frames(data):
    _edit(data, "passage_frames.csv", 2, frames="none;arms_trade")
    return [f"{PF}:4:frames: 'none;arms_trade': 'none' cannot be combined with frames"]


def _case_coded_twice(data):
    header, rows = _rows(data, "passage_frames.csv")
    rows.insert(3, dict(rows[2]))
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}:5:passage_id: '{rows[2]['passage_id']}': duplicate primary key (first at row 4)"]


def _case_automatic_coder(data):
    _edit(data, "passage_frames.csv", 7, coder="auto")
    return [f"{PF}:9:coder: 'auto': is not one of the allowed values (hand)"]


def _case_entman_offsets(data):
    before = _edit(data, "entman.csv", 0, char_start="966", char_end="1105")
    start, end = int(before["char_start"]), int(before["char_end"])
    return [
        f"data/curated/entman.csv:2:char_start: '966': quote is not at 966:1105 in "
        f"durrani; it occurs at {start}:{end}"
    ]


def _case_entman_quote_edited(data):
    before = _edit(
        data,
        "entman.csv",
        4,
        quote="An alliance between the three countries "
        "will affect Asian security, especially Pakistan.",
    )
    assert before["source_id"] == "kaushiki_bawa"
    return [
        "data/curated/entman.csv:6:quote: 'An alliance between the three countries will "
        "affect Asian security, especially …': not found verbatim in source kaushiki_bawa"
    ]


def _case_entman_function(data):
    _edit(data, "entman.csv", 1, function="diagnosis")
    return [
        "data/curated/entman.csv:3:function: 'diagnosis': is not one of the allowed values "
        "(problem, cause, evaluation, remedy)",
        "data/curated/entman.csv::function: 'cause': durrani has no cause quote",
    ]


def _case_lexicon_frame(data):
    _edit(data, "frame_lexicon.csv", 0, frame_id="distrust")
    return ["data/curated/frame_lexicon.csv:2:frame_id: 'distrust': no such frame_id in frames.csv"]


def _case_lexicon_term(data):
    _edit(data, "frame_lexicon.csv", 1, term="Mistrust")
    return [
        "data/curated/frame_lexicon.csv:3:term: 'Mistrust': does not match the pattern "
        "^[a-z0-9/]+\\*?( [a-z0-9/]+\\*?)*$: Lower-case word or phrase (letters, digits, '/'; "
        "'*' only at a word's end, matching any ending), matched on whole words as tokenize() "
        "reads them."
    ]


CASES = [value for name, value in sorted(globals().items()) if name.startswith("_case_")]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__[6:] for c in CASES])
def test_framing_problems_are_precise(data_copy, case):
    expected = case(data_copy)
    found = [str(p) for p in framing_tables.framing_problems(data_copy)]
    assert sorted(found) == sorted(expected), "\n".join(found)


def test_framing_problems_reports_a_missing_file(data_copy):
    (data_copy / "curated" / "entman.csv").unlink()
    found = [str(p) for p in framing_tables.framing_problems(data_copy)]
    assert found == ["data/curated/entman.csv::: : file is missing"]


# --------------------------------------------------------------------------- salience & co


def test_actor_mentions_take_the_longest_alias_once():
    passages = pd.DataFrame(
        {
            "passage_id": ["t-1"],
            "source_id": ["durrani"],
            "text": [
                "The Soviet Union, the U.S.S.R. and the Afghan National Army in Afghanistan; "
                "Russo-Pak ties (Moscow, 1999)."
            ],
        }
    )
    mentions = framing.actor_mentions(passages)
    assert mentions["code"].tolist() == ["SUN", "SUN", "ANA", "AFG", "RUS", "PAK"]


def test_salience_tables_are_side_by_side_and_consistent():
    frames = framing.salience("frame")
    shares = framing.frame_shares()
    for source in corpus.source_ids():
        n = shares[(shares["source_id"] == source) & (shares["frame_id"] != "none")]
        assert frames[f"{source}_n"].sum() == n["sentences"].sum()
        per_1000 = frames[f"{source}_n"] / framing.words(source) * 1000
        assert frames[f"{source}_per_1000"].to_numpy() == pytest.approx(per_1000.to_numpy())
    actors = framing.salience("actor").set_index("item")
    assert actors.loc["RUS", "durrani_n"] > 0 and actors.loc["PAK", "kaushiki_bawa_n"] > 0
    periods = framing.salience("period")
    assert periods["item"].tolist() == [
        "cold_war_divergence",
        "proximity_1965_1975",
        "post_cold_war_reconfiguration",
        "post_9_11_convergence",
    ]
    with pytest.raises(ValueError, match="by='word'"):
        framing.salience("word")


def test_selection_counts_every_event_once_per_kind():
    events = framing.selection("event")
    kinds = framing.selection("kind")
    assert kinds["total"].sum() == len(events)
    assert kinds["both"].sum() == (events["mentioned_by"] == "both").sum()
    assert set(events["mentioned_by"]) <= {"both", "durrani", "kaushiki_bawa"}
    periods = framing.selection("period")
    assert periods["share_both"].between(0, 1).all()


def test_hedging_shares():
    for by in ("source", "period", "section", "actor"):
        table = framing.hedging(by)
        assert not table.empty
        for column in ("hedge_share", "booster_share", "evaluative_share"):
            assert table[column].between(0, 1).all()
    by_source = framing.hedging("source")
    assert by_source["sentences"].tolist() == [47, 119]
    with pytest.raises(ValueError):
        framing.hedging("paragraph")


def test_auto_code_reads_whole_words_and_phrases():
    passages = pd.DataFrame(
        {
            "passage_id": ["t-1", "t-2"],
            "source_id": ["durrani", "durrani"],
            "text": [
                "In June 2014, Moscow lifted its embargo on arms supplies to Pakistan.",
                "Islamabad is a capital.",
            ],
        }
    )
    codes = framing.auto_code(passages).set_index("passage_id")
    assert "arms_trade" in codes.loc["t-1", "frames"]
    assert codes.loc["t-2", "frames"] == []  # "islamabad" is not "islam"
    assert codes.loc["t-2", "stance"] == "neutral"
