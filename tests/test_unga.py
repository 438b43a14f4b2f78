"""UNGA votes and agreement measures.

The math is tested on hand-worked examples and properties without the data
(``rupak.record.measures``); the data tests assume ``RUPAK_MIRROR`` points at the mirror.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from rupak.record import measures as am
from rupak.record import unga

# ---------------------------------------------------------------------------------------
# The math, by hand (yes = 1, abstain = 2, no = 3, 0 = missing)

# Example A. Position 6 is dropped (first state missing), leaving n = 5 pairs:
#   (1,1) (1,2) (2,2) (3,1) (1,3)
#   f = identical = 2 [(1,1), (2,2)];  g = one abstains, other yes/no = 1 [(1,2)]
#   Σ|d| = 0 + 1 + 0 + 2 + 2 = 5;  SSD = 0 + 1 + 0 + 4 + 4 = 9
#   s1 = 1+1+2+3+1 = 8, ss1 = 1+1+4+9+1 = 16;  s2 = 1+2+2+1+3 = 9, ss2 = 1+4+4+1+9 = 19
#   percent = 2/5 = 0.4
#   IA      = (2 + 1/2)/5 = 0.5
#   S       = 1 - 2·5/(2·5) = 0 = 2·0.5 - 1
#   kappa   = 1 - 9/(16 + 19 - 2·8·9/5) = 1 - 9/6.2 = 1 - 45/31 = -14/31
#   pi      = 1 - 9/(35 - 17²/10) = 1 - 9/6.1 = 1 - 90/61 = -29/61
A1 = [1, 1, 2, 3, 1, 0]
A2 = [1, 2, 2, 1, 3, 1]
A_EXPECTED = {"percent": 0.4, "ia": 0.5, "s": 0.0, "kappa": -14 / 31, "pi": -29 / 61}

# Example B. n = 6 pairs: (1,1)×3 (3,3) (2,1) (1,2)
#   f = 4, g = 2, Σ|d| = 2, SSD = 2
#   s1 = s2 = 9, ss1 = ss2 = 17 (same marginals, so κ = π)
#   percent = 4/6 = 2/3;  IA = (4 + 2/2)/6 = 5/6;  S = 1 - 2·2/(2·6) = 2/3
#   kappa = 1 - 2/(34 - 2·81/6) = 1 - 2/7 = 5/7;  pi = 1 - 2/(34 - 18²/12) = 5/7
B1 = [1, 1, 1, 3, 2, 1]
B2 = [1, 1, 1, 3, 1, 2]
B_EXPECTED = {"percent": 2 / 3, "ia": 5 / 6, "s": 2 / 3, "kappa": 5 / 7, "pi": 5 / 7}

# Example C. Always opposite, never varying: (1,3) (1,3), n = 2, SSD = 8, Σ|d| = 4
#   percent = 0; IA = 0; S = 1 - 2·4/(2·2) = -1
#   kappa = 1 - 8/(2 + 18 - 2·2·6/2) = 1 - 8/8 = 0  (each state is constant: no better than chance)
#   pi    = 1 - 8/(20 - 8²/4) = 1 - 8/4 = -1
C1 = [1, 1]
C2 = [3, 3]
C_EXPECTED = {"percent": 0.0, "ia": 0.0, "s": -1.0, "kappa": 0.0, "pi": -1.0}

FUNCTIONS = {
    "percent": am.percent_agreement,
    "ia": am.lijphart_ia,
    "s": am.signorino_ritter_s,
    "kappa": am.cohen_kappa,
    "pi": am.scott_pi,
}


@pytest.mark.parametrize(
    ("x1", "x2", "expected"),
    [(A1, A2, A_EXPECTED), (B1, B2, B_EXPECTED), (C1, C2, C_EXPECTED)],
    ids=["A", "B", "C"],
)
@pytest.mark.parametrize("measure", am.MEASURES)
def test_hand_worked_examples(x1: list[int], x2: list[int], expected: dict, measure: str) -> None:
    assert FUNCTIONS[measure](x1, x2) == pytest.approx(expected[measure], abs=1e-12)
    assert am.measure(x1, x2, measure) == pytest.approx(expected[measure], abs=1e-12)


def test_contingency_table_of_example_a() -> None:
    # rows: first state's vote yes/abstain/no; columns: second state's
    assert am.contingency(A1, A2).tolist() == [[1, 1, 1], [0, 1, 0], [1, 0, 0]]


def test_kappa_matches_sklearn_on_hand_examples() -> None:
    for x1, x2 in [(A1[:5], A2[:5]), (B1, B2), (C1, C2)]:
        assert am.cohen_kappa(x1, x2) == pytest.approx(
            cohen_kappa_score(x1, x2, weights="quadratic"), abs=1e-12
        )


def test_zero_denominators_are_nan() -> None:
    # Both always "yes": 3 identical votes, no variation. percent/IA/S are 1; κ and π are
    # 0/0 (SSD = 0 and ss1 + ss2 - 2·s1·s2/n = 3 + 3 - 2·3·3/3 = 0): undefined → NaN.
    same = [1, 1, 1]
    assert am.percent_agreement(same, same) == 1.0
    assert am.lijphart_ia(same, same) == 1.0
    assert am.signorino_ritter_s(same, same) == 1.0
    assert math.isnan(am.cohen_kappa(same, same))
    assert math.isnan(am.scott_pi(same, same))


def test_no_common_votes_is_nan_for_every_measure() -> None:
    for name in am.MEASURES:
        assert math.isnan(am.measure([1, 0, 2], [0, 3, 0], name))
        assert math.isnan(am.measure([], [], name))


def test_from_counts_is_vectorised() -> None:
    tables = np.stack([am.contingency(A1, A2), am.contingency(B1, B2), np.zeros((3, 3), int)])
    got = am.from_counts(tables, "kappa")
    assert got[:2] == pytest.approx([-14 / 31, 5 / 7])
    assert math.isnan(got[2])
    assert isinstance(am.from_counts(tables[0], "pi"), float)


def test_input_errors() -> None:
    with pytest.raises(ValueError, match="unknown measure 'tau'"):
        am.measure([1], [1], "tau")
    with pytest.raises(ValueError, match="aligned"):
        am.contingency([1, 2], [1])
    with pytest.raises(ValueError, match="vote codes"):
        am.contingency([4], [1])
    with pytest.raises(ValueError, match="shape"):
        am.from_counts(np.zeros((2, 2)), "percent")


votes_arrays = st.integers(min_value=1, max_value=60).flatmap(
    lambda size: st.tuples(
        st.lists(st.integers(0, 3), min_size=size, max_size=size),
        st.lists(st.integers(0, 3), min_size=size, max_size=size),
    )
)


@given(votes_arrays)
@settings(max_examples=300, deadline=None)
def test_properties_bounded_symmetric_and_s_is_2ia_minus_1(pair: tuple[list, list]) -> None:
    x1, x2 = pair
    values = {name: am.measure(x1, x2, name) for name in am.MEASURES}
    common = sum(1 for a, b in zip(x1, x2, strict=True) if a and b)
    for name, value in values.items():
        mirrored = am.measure(x2, x1, name)
        if common == 0:
            assert math.isnan(value)
            continue
        if math.isnan(value):
            assert name in ("kappa", "pi")
            assert math.isnan(mirrored)
            continue
        low = 0.0 if name in ("percent", "ia") else -1.0
        assert low - 1e-12 <= value <= 1.0 + 1e-12, (name, value)
        assert value == pytest.approx(mirrored, abs=1e-12)
    if common:
        assert values["s"] == pytest.approx(2 * values["ia"] - 1, abs=1e-12)
        assert values["percent"] <= values["ia"] + 1e-12


@given(votes_arrays)
@settings(max_examples=200, deadline=None)
def test_property_identical_votes_agree_fully(pair: tuple[list, list]) -> None:
    x1, _ = pair
    if not any(x1):
        return
    for name in ("percent", "ia", "s"):
        assert am.measure(x1, x1, name) == 1.0
    kappa = am.cohen_kappa(x1, x1)
    assert math.isnan(kappa) or kappa == pytest.approx(1.0)  # NaN only if x1 never varies


@given(votes_arrays)
@settings(max_examples=200, deadline=None)
def test_property_kappa_equals_sklearn(pair: tuple[list, list]) -> None:
    x1, x2 = (np.array(v) for v in pair)
    both = (x1 > 0) & (x2 > 0)
    ours = am.cohen_kappa(x1, x2)
    if math.isnan(ours):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(x1[both], x2[both], weights="quadratic")
    assert ours == pytest.approx(theirs, abs=1e-9)


# ---------------------------------------------------------------------------------------
# The record (needs RUPAK_MIRROR)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return unga.votes()


def _naive(table: pd.DataFrame, a: str, b: str, by: str | None = "year") -> pd.DataFrame:
    """Independent reference: merge the two states' rows, then the formulas by hand."""
    code = {"yes": 1, "abstain": 2, "no": 3}
    left = table.loc[table["iso3"] == a, ["rcid", "year", "session", "vote"]]
    right = table.loc[table["iso3"] == b, ["rcid", "vote"]]
    both = left.merge(right, on="rcid", suffixes=("1", "2"))
    both["x1"] = both["vote1"].astype(str).map(code)
    both["x2"] = both["vote2"].astype(str).map(code)
    groups = both.groupby(by) if by else [(None, both)]
    rows = []
    for key, g in groups:
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 → NaN, as in unga
            rows.append(_naive_row(g, by, key))
    return pd.DataFrame(rows)


def _naive_row(g: pd.DataFrame, by: str | None, key: object) -> dict:
    x1, x2 = g["x1"].to_numpy(float), g["x2"].to_numpy(float)
    n = len(g)
    s1, s2, ss1, ss2 = x1.sum(), x2.sum(), (x1**2).sum(), (x2**2).sum()
    ssd = ((x1 - x2) ** 2).sum()
    return {
        by or "key": key,
        "n": n,
        "percent": (x1 == x2).mean(),
        "ia": 1 - np.abs(x1 - x2).mean() / 2,
        "kappa": 1 - ssd / (ss1 + ss2 - 2 * s1 * s2 / n),
        "pi": 1 - ssd / (ss1 + ss2 - (s1 + s2) ** 2 / (2 * n)),
    }


def test_votes_shape_and_dtypes(table: pd.DataFrame) -> None:
    assert len(table) == 870_109
    assert table["rcid"].nunique() == 6_203
    assert str(table["rcid"].dtype) == "int32"
    assert str(table["session"].dtype) == "int16"
    assert str(table["year"].dtype) == "int16"
    assert str(table["cow_code"].dtype) == "int16"
    assert table["vote"].cat.ordered
    assert list(table["vote"].cat.categories) == ["yes", "abstain", "no"]
    assert table["vote"].notna().all()  # absences were dropped, never coded as abstain
    for column in ("country", "country_code", "iso3", "era"):
        assert isinstance(table[column].dtype, pd.CategoricalDtype), column
    for code in unga.ISSUES:
        assert table[f"issue_{code}"].dtype == bool
    assert not table.duplicated(["rcid", "iso3"]).any()
    assert (table["cow_code"] > 0).all()
    assert table["iso3"].notna().all()


def test_votes_soviet_union_and_russia_are_one_identity(table: pd.DataFrame) -> None:
    russia = table[table["country"] == "Russia"]
    assert set(russia["iso3"]) == {"RUS"}
    assert set(russia["cow_code"]) == {365}
    soviet = russia["date"] < pd.Timestamp("1991-12-26")
    assert (russia.loc[soviet, "era"] == "Soviet Union").all()
    assert (russia.loc[~soviet, "era"] == "Russian Federation").all()
    assert soviet.any() and (~soviet).any()
    assert table.loc[table["iso3"] != "RUS", "era"].isna().all()
    assert "SUN" not in set(table["iso3"])


def test_votes_historical_identities(table: pd.DataFrame) -> None:
    def codes(name: str) -> set:
        rows = table[table["country"] == name]
        return set(zip(rows["iso3"].astype(str), rows["cow_code"], strict=True))

    assert codes("Federal Republic of Germany") == {("DEU", 260), ("DEU", 255)}
    assert codes("Germany") == {("DEU", 255)}
    assert codes("German Democratic Republic") == {("DDR", 265)}
    assert codes("Yemen People's Republic") == {("YMD", 680)}
    assert codes("Czechoslovakia") == {("CSK", 315)}
    assert codes("Yugoslavia") == {("YUG", 345), ("SCG", 345), ("SRB", 345)}
    assert codes("Taiwan") == {("TWN", 713)}
    assert codes("Pakistan") == {("PAK", 770)}


def test_no_roll_calls_in_1964(table: pd.DataFrame) -> None:
    years = set(table["year"].unique())
    assert 1963 in years and 1965 in years and 1964 not in years
    calls = unga.roll_calls()
    assert len(calls) == 6_203 and calls["rcid"].is_unique
    assert calls["issue_me"].sum() == 1_061


def test_issue_columns_match_issue_file(table: pd.DataFrame) -> None:
    calls = unga.roll_calls()
    flags = calls[[f"issue_{c}" for c in unga.ISSUES]]
    assert int(flags.to_numpy().sum()) == 5_745  # rows of un_roll_call_issues.rda


def test_states() -> None:
    codes = unga.states()
    assert "RUS" in codes and "PAK" in codes and "SUN" not in codes
    assert codes == sorted(codes)


@pytest.mark.parametrize(("a", "b"), [("RUS", "PAK"), ("USA", "IND")])
@pytest.mark.parametrize("year", [1960, 1975, 1990, 2005, 2019])
def test_kappa_equals_sklearn_on_real_dyads(table: pd.DataFrame, a: str, b: str, year: int) -> None:
    rows = table[(table["year"] == year) & table["iso3"].isin([a, b])]
    wide = rows.pivot(index="rcid", columns="iso3", values="vote").dropna()
    code = {"yes": 1, "abstain": 2, "no": 3}
    x1 = wide[a].astype(str).map(code).to_numpy()
    x2 = wide[b].astype(str).map(code).to_numpy()
    ours = unga.agreement(a, b, "kappa", by="year", start=year, end=year)
    assert ours["n"].item() == len(wide)
    assert ours["value"].item() == pytest.approx(
        cohen_kappa_score(x1, x2, weights="quadratic"), abs=1e-12
    )


@pytest.mark.parametrize("measure", ["percent", "ia", "kappa", "pi"])
def test_agreement_equals_naive_merge(table: pd.DataFrame, measure: str) -> None:
    ours = unga.agreement("RUS", "PAK", measure, by="year")
    naive = _naive(table, "RUS", "PAK", "year")
    merged = ours.merge(naive, on="year", how="left")
    assert (merged["n_x"].fillna(0) == merged["n_x"]).all()
    present = merged["n_y"].notna()
    assert (merged.loc[present, "n_x"] == merged.loc[present, "n_y"]).all()
    assert (merged.loc[~present, "n_x"] == 0).all()  # e.g. 1946, before Pakistan joined
    np.testing.assert_allclose(
        merged.loc[present, "value"], merged.loc[present, measure], atol=1e-12
    )


def test_agreement_overall_and_by_session(table: pd.DataFrame) -> None:
    overall = unga.agreement("USA", "IND", "percent", by=None)
    assert list(overall.columns) == ["value", "n"] and len(overall) == 1
    naive = _naive(table, "USA", "IND", None)
    assert overall["n"].item() == naive["n"].item()
    assert overall["value"].item() == pytest.approx(naive["percent"].item())
    by_session = unga.agreement("USA", "IND", "ia", by="session")
    assert list(by_session.columns) == ["session", "value", "n"]
    assert by_session["n"].sum() == overall["n"].item()
    naive_s = _naive(table, "USA", "IND", "session")
    merged = by_session.merge(naive_s, on="session")
    np.testing.assert_allclose(merged["value"], merged["ia"], atol=1e-12)


def test_agreement_columns_and_span() -> None:
    result = unga.agreement("RUS", "PAK", by="year", start=1990, end=1995)
    assert list(result.columns) == ["year", "value", "n"]
    assert result["year"].tolist() == [1990, 1991, 1992, 1993, 1994, 1995]
    assert result["n"].dtype == np.int64
    as_text = unga.agreement("RUS", "PAK", by="year", start="1990", end="1995")
    pd.testing.assert_frame_equal(as_text, result)
    dated = unga.agreement("RUS", "PAK", by=None, start="1991-12-26", end="2019-12-31")
    later = unga.agreement("RUS", "PAK", by="year", start=1992, end=2019)
    assert dated["n"].item() == later["n"].sum()


def test_agreement_is_symmetric() -> None:
    for measure in am.MEASURES:
        ab = unga.agreement("RUS", "PAK", measure, by="year")
        ba = unga.agreement("PAK", "RUS", measure, by="year")
        pd.testing.assert_frame_equal(ab, ba)


def test_agreement_bounds() -> None:
    for measure in am.MEASURES:
        values = unga.agreement("USA", "IND", measure, by="year")["value"].dropna()
        low = 0 if measure in ("percent", "ia") else -1
        assert values.between(low, 1).all(), measure


def test_identity_s_equals_2ia_minus_1_on_real_dyad() -> None:
    ia = unga.agreement("USA", "RUS", "ia", by="year")
    s = unga.agreement("USA", "RUS", "s", by="year")
    np.testing.assert_allclose(s["value"], 2 * ia["value"] - 1, atol=1e-12)


def test_min_votes_keeps_rows_with_n() -> None:
    full = unga.agreement("RUS", "PAK", by="year")
    limited = unga.agreement("RUS", "PAK", by="year", min_votes=60)
    assert len(full) == len(limited)
    pd.testing.assert_series_equal(full["n"], limited["n"])
    small = limited["n"] < 60
    assert small.any() and (~small).any()
    assert limited.loc[small, "value"].isna().all()
    np.testing.assert_allclose(limited.loc[~small, "value"], full.loc[~small, "value"])


def test_groups_without_common_votes_are_nan_with_n_zero() -> None:
    first = unga.agreement("RUS", "PAK", by="year", start=1946, end=1946)
    assert first["n"].item() == 0 and math.isnan(first["value"].item())


def test_issues_filter(table: pd.DataFrame) -> None:
    nuclear = unga.agreement("RUS", "PAK", "percent", by=None, issues="nu")
    subset = table[table["issue_nu"]]
    naive = _naive(subset, "RUS", "PAK", None)
    assert nuclear["n"].item() == naive["n"].item()
    assert nuclear["value"].item() == pytest.approx(naive["percent"].item())
    either = unga.agreement("RUS", "PAK", "percent", by=None, issues=["nu", "di"])
    assert either["n"].item() >= nuclear["n"].item()


def test_errors_name_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"unknown ISO3 code 'XYZ'; did you mean"):
        unga.agreement("XYZ", "PAK")
    with pytest.raises(ValueError, match=r"unknown ISO3 code 'PAKI'"):
        unga.agreement("RUS", "PAKI")
    with pytest.raises(ValueError, match=r"'SUN' has no votes in the UNGA record.*use 'RUS'"):
        unga.agreement("SUN", "PAK")
    with pytest.raises(ValueError, match=r"'ABW' has no votes"):
        unga.agreement("ABW", "PAK")
    with pytest.raises(ValueError, match=r"start 2000 is after end 1990"):
        unga.agreement("RUS", "PAK", start=2000, end=1990)
    with pytest.raises(ValueError, match=r"no UNGA roll calls in the span 1964–1964"):
        unga.agreement("RUS", "PAK", start=1964, end=1964)
    with pytest.raises(ValueError, match=r"no UNGA roll calls in the span 2021–the end"):
        unga.agreement("RUS", "PAK", start=2021)
    with pytest.raises(ValueError, match="unknown measure 'tau'"):
        unga.agreement("RUS", "PAK", measure="tau")
    with pytest.raises(ValueError, match="unknown by='decade'"):
        unga.agreement("RUS", "PAK", by="decade")
    with pytest.raises(ValueError, match=r"unknown issue codes \['xx'\]"):
        unga.agreement("RUS", "PAK", issues="xx")
    with pytest.raises(ValueError, match="min_votes"):
        unga.agreement("RUS", "PAK", min_votes=-1)
    with pytest.raises(ValueError, match="cannot read 'soon' as a year or a date"):
        unga.agreement("RUS", "PAK", start="soon")
    with pytest.raises(ValueError, match=r"start 2000 is after end 1990"):
        unga.agreement_matrix(2000, 1990)
    with pytest.raises(ValueError, match=r"span 1964–1964"):
        unga.agreement_matrix(1964, 1964)


def test_warm_agreement_is_fast() -> None:
    import time

    unga.agreement("RUS", "PAK")
    times = []
    for _ in range(20):
        began = time.perf_counter()
        unga.agreement("RUS", "PAK", by="year", start=1946, end=2019)
        times.append(time.perf_counter() - began)
    assert float(np.median(times)) < 0.05


@pytest.mark.parametrize("measure", am.MEASURES)
@pytest.mark.parametrize("by", ["year", None])
def test_matrix_equals_agreement_for_sampled_dyads(measure: str, by: str | None) -> None:
    matrix = unga.agreement_matrix(1985, 1995, measure=measure, by=by, min_votes=5)
    assert list(matrix.columns) == ([by] if by else []) + ["a", "b", "value", "n"]
    assert (matrix["a"].astype(str) < matrix["b"].astype(str)).all()
    assert (matrix["n"] >= 1).all()
    rng = np.random.default_rng(7)
    dyads = matrix[["a", "b"]].drop_duplicates().astype(str).to_numpy()
    sample = dyads[rng.choice(len(dyads), size=25, replace=False)].tolist()
    for a, b in [*sample, ["PAK", "RUS"]]:
        one = unga.agreement(a, b, measure, by=by, start=1985, end=1995, min_votes=5)
        one = one[one["n"] > 0].reset_index(drop=True)
        rows = matrix[(matrix["a"] == a) & (matrix["b"] == b)].reset_index(drop=True)
        assert rows["n"].tolist() == one["n"].tolist(), (a, b)
        np.testing.assert_allclose(rows["value"], one["value"], atol=1e-12, equal_nan=True)
        if by:
            assert rows[by].tolist() == one[by].tolist()


def test_matrix_bounds_square_and_symmetry() -> None:
    matrix = unga.agreement_matrix(2000, 2005, measure="kappa", by=None)
    assert matrix["value"].dropna().between(-1, 1).all()
    square = unga.to_square(matrix)
    values = square.to_numpy()
    np.testing.assert_array_equal(np.nan_to_num(values, nan=9), np.nan_to_num(values.T, nan=9))
    assert np.isnan(np.diag(values)).all()
    assert square.loc["PAK", "RUS"] == pytest.approx(
        unga.agreement("RUS", "PAK", by=None, start=2000, end=2005)["value"].item()
    )


def test_matrix_every_year_covers_every_year_with_roll_calls() -> None:
    matrix = unga.agreement_matrix(measure="percent", by="year")
    years = sorted(matrix["year"].unique())
    assert years[0] == 1946 and 1964 not in years and years[-1] == 2020
    assert matrix["value"].dropna().between(0, 1).all()


def _same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """Values and exact dtypes (repr shows a categorical's categories dtype) are equal.

    Cheaper than ``assert_frame_equal``, which takes ~40 s on 870k categorical rows.
    """
    dtypes = [repr(d) for d in left.dtypes] == [repr(d) for d in right.dtypes]
    return dtypes and list(left.columns) == list(right.columns) and left.equals(right)


def test_cold_cache_builds_the_same_table(tmp_path, monkeypatch, table: pd.DataFrame) -> None:
    monkeypatch.setenv("RUPAK_CACHE", str(tmp_path))
    cold = unga.votes()
    assert list((tmp_path / "parsed").glob("unga-votes-*.parquet"))
    warm = unga.votes()
    assert _same(cold, warm)  # the table built is the table the cache gives back
    assert _same(cold, table)
    calls = unga.roll_calls()  # built on the cold call above, read from the cache now
    assert _same(calls, unga._build_roll_calls())
