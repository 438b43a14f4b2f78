"""Fightin' Words (rupak.analysis.framing.log_odds, .distinctive): by hand, by property, against
an independent implementation and against the `fightin-words` package."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import framing
from rupak.analysis.framing import log_odds


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


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
    # δ_x = log[(2+0.5)/(4+2−2−0.5)] − log[(1+0.5)/(8+2−1−1.5)] = log(2.5/3.5) − log(1.5/8.5)
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


def test_the_array_maths_is_the_labelled_tables_maths():
    delta, var, z = log_odds.log_odds_arrays([2, 2], [1, 7], [0.5, 1.5])
    assert delta == pytest.approx([1.3981288187668934, -1.3981288187668934])
    assert var == pytest.approx([1.0666666666666667, 0.40336134453781514])
    assert z == pytest.approx([1.3537324077342066, -2.201405512536794])


@pytest.mark.parametrize(
    ("y_a", "y_b", "alpha", "message"),
    [
        ([1, 2], [1], [1, 1], "one length"),
        ([1], [1], [1], "at least two words"),
        ([1, -1], [1, 1], [1, 1], "negative"),
        ([1, 1], [1, 1], [1, 0], "positive"),
        ([[1, 1]], [[1, 1]], [[1, 1]], "1-d"),
    ],
)
def test_log_odds_arrays_refuses_bad_input(y_a, y_b, alpha, message):
    with pytest.raises(ValueError, match=message):
        log_odds.log_odds_arrays(y_a, y_b, alpha)


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


# --------------------------------------------------------------------------- cross-checks


def monroe_uniform_z(counts_a: dict, counts_b: dict, alpha0: float) -> dict[str, float]:
    """Monroe, Colaresi & Quinn (2008), eqs. 16–22, with a uniform prior, written from the
    paper one word at a time in plain floats: an implementation independent of rupak's."""
    vocabulary = sorted(set(counts_a) | set(counts_b))
    a_w = alpha0 / len(vocabulary)
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    z = {}
    for word in vocabulary:
        ya, yb = counts_a.get(word, 0), counts_b.get(word, 0)
        odds_a = (ya + a_w) / (n_a + alpha0 - ya - a_w)
        odds_b = (yb + a_w) / (n_b + alpha0 - yb - a_w)
        delta = math.log(odds_a) - math.log(odds_b)
        z[word] = delta / math.sqrt(1 / (ya + a_w) + 1 / (yb + a_w))
    return z


@settings(max_examples=100, deadline=None)
@given(counts_strategy, counts_strategy, st.floats(min_value=0.5, max_value=1000))
def test_uniform_prior_agrees_with_an_independent_implementation(counts_a, counts_b, alpha0):
    alpha = framing.background_prior(set(counts_a) | set(counts_b), "uniform", alpha0)
    if len(alpha) < 2:
        return  # one word: its odds are infinite in both implementations
    ours = framing.log_odds_dirichlet(counts_a, counts_b, alpha).set_index("term")["z"]
    theirs = monroe_uniform_z(counts_a, counts_b, alpha0)
    assert ours.to_dict() == pytest.approx(theirs, abs=1e-9, rel=0)


def _fightin_words_package():
    """The `fightin-words` package (1.0.5, dev dependency), loaded as far as it can be.

    It installs as a folder with a hyphen (``fightin-words/fightin-words.py``), so it cannot be
    imported by name; it calls Python 2's ``xrange``; and its ``transform`` joins the two texts
    into ONE document before counting, so the second text's counts are always zero. Its
    arithmetic (the δ, variance and z loop) is intact, and that is what is checked here: the
    module is loaded from its file, given ``xrange = range``, and handed the two count rows
    through a CountVectorizer that returns them instead of re-counting the joined text.
    """
    distribution = importlib.metadata.distribution("fightin-words")
    path = next(f for f in distribution.files if f.name == "fightin-words.py")
    spec = importlib.util.spec_from_file_location(
        "fightin_words_pkg", distribution.locate_file(path)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.xrange = range  # written for Python 2
    return module


def package_z(counts_a: dict, counts_b: dict, alpha0: float) -> dict[str, float]:
    """The package's z with a uniform prior: its ``prior`` is α_w per word (a pseudo-count),
    where rupak's ``prior_strength`` is α₀ = Σ α_w; positive z leans to the first text."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    package = _fightin_words_package()
    vocabulary = sorted(set(counts_a) | set(counts_b))
    rows = np.array([[c.get(w, 0) for w in vocabulary] for c in (counts_a, counts_b)])

    class GivenCounts(CountVectorizer):
        def fit_transform(self, raw_documents, y=None):
            self.vocabulary_ = {w: i for i, w in enumerate(vocabulary)}
            return csr_matrix(rows)

    # A list of float64 α_w keeps the package's sums in float64 (a Python float added to its
    # float32 counts would stay float32 under NumPy 2); X = ["a", "b"] makes its row slices
    # counts[:1] and counts[1:] pick text a and text b.
    prior = list(np.full(len(vocabulary), alpha0 / len(vocabulary), dtype="float64"))
    extractor = package.FWExtractor(prior=prior, cv=GivenCounts())
    return {term: float(z) for term, z in extractor.transform(["a", "b"])}


def test_uniform_prior_agrees_with_the_fightin_words_package_on_the_corpus():
    alpha0 = 500.0
    table = framing.fightin_words(
        "durrani", "kaushiki_bawa", prior="uniform", prior_strength=alpha0, min_count=1
    )
    counts_a = dict(zip(table["term"], table["y_a"].astype(int), strict=True))
    counts_b = dict(zip(table["term"], table["y_b"].astype(int), strict=True))
    theirs = package_z(counts_a, counts_b, alpha0)
    ours = table.set_index("term")["z"].to_dict()
    assert len(ours) == len(theirs) == table.attrs["vocabulary"] > 1000
    assert ours == pytest.approx(theirs, abs=1e-9, rel=0)
    assert ours == pytest.approx(monroe_uniform_z(counts_a, counts_b, alpha0), abs=1e-9, rel=0)
    # its order is ascending z: the first text's words last
    assert max(theirs, key=theirs.get) == table["term"].iloc[0]


def test_the_package_as_shipped_would_not_compare_two_texts():
    """Why the check above feeds the package its counts: this documents the package's bugs."""
    package = _fightin_words_package()
    result = dict(package.FWExtractor(prior=0.5).transform(["apple cherry", "banana date"]))
    assert set(result) == {"apple", "banana", "cherry", "date"}
    assert len(set(np.round(list(result.values()), 12))) == 1  # all alike: text b counted as empty


# --------------------------------------------------------------------------- on the corpus


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


def test_swapping_the_sources_mirrors_the_distinctive_terms():
    ab = framing.distinctive_terms("durrani", "kaushiki_bawa", n=5)
    ba = framing.distinctive_terms("kaushiki_bawa", "durrani", n=5)
    assert ab["source_id"].iloc[0] == "durrani" and ba["source_id"].iloc[0] == "kaushiki_bawa"
    for source in ("durrani", "kaushiki_bawa"):
        mine = ab[ab["source_id"] == source].reset_index(drop=True)
        theirs = ba[ba["source_id"] == source].reset_index(drop=True)
        assert mine["term"].tolist() == theirs["term"].tolist()
        assert mine["z"].to_numpy() == pytest.approx(theirs["z"].to_numpy())
        assert (mine["z"] > 0).all()


def test_background_prior_refuses_what_it_cannot_use():
    with pytest.raises(ValueError, match="positive"):
        framing.background_prior(["x", "y"], "uniform", 0)
    with pytest.raises(ValueError, match="'zipf'"):
        framing.background_prior(["x", "y"], "zipf")
    custom = framing.background_prior(["x", "y"], {"x": 3.0, "y": 1.0}, 8)
    assert custom.to_dict() == pytest.approx({"x": 6.0, "y": 2.0})
