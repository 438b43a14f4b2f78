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
from rupak.record import unga, unga_votes

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
    assert _same(calls, unga_votes._build_roll_calls())


# ---------------------------------------------------------------------------------------
# Coverage, computed from the record


def test_coverage_comes_from_the_roll_calls() -> None:
    assert unga.coverage() == (1946, 2019)  # 2020 has a single roll call (2020-01-14)
    assert unga.coverage(min_roll_calls=1) == (1946, 2020)
    assert unga.thin_years() == [1951, 1964]  # 7 roll calls; none (Article 19 crisis)
    assert unga.thin_years(1955, 1985) == [1964]
    assert unga.thin_years(min_roll_calls=1) == [1964]


# ---------------------------------------------------------------------------------------
# Relative position, one focal power against every state, vote-pair tables

# A hand-worked record: focal RUS and six states over six roll calls in 2000, three in 2001.
#   2000  RUS 1 1 3 2 1 1
#         PAK 1 1 3 2 1 3   percent 5/6     IND 1 1 3 2 1 1   6/6
#         USA 3 3 1 1 3 3   0/6             CHN 1 1 3 2 3 3   4/6
#         FRA 1 1 3 2 1 3   5/6 (tied)      GBR 1 . . . . .   n = 1
#   With min_votes = 3, GBR is not counted: of = 5. Ranks: IND 1; PAK and FRA 2 (tied: both
#   take the best rank, 1 + one higher state); CHN 4; USA 5. PAK's percentile: of the 4
#   other counted states, 2 (CHN, USA) agree strictly less: 0.5; IND's 4/4 = 1; USA's 0.
#   2001: PAK does not vote (n = 0): rank missing, value NaN.
HAND = {
    "RUS": [1, 1, 3, 2, 1, 1, 1, 3, 1],
    "PAK": [1, 1, 3, 2, 1, 3, 0, 0, 0],
    "IND": [1, 1, 3, 2, 1, 1, 1, 3, 3],
    "USA": [3, 3, 1, 1, 3, 3, 3, 1, 3],
    "CHN": [1, 1, 3, 2, 3, 3, 1, 3, 1],
    "FRA": [1, 1, 3, 2, 1, 3, 1, 1, 1],
    "GBR": [1, 0, 0, 0, 0, 0, 3, 3, 3],
}
HAND_YEARS = [2000] * 6 + [2001] * 3


def _synthetic(votes_by_state: dict[str, list[int]], years: list[int]) -> unga_votes.VoteMatrix:
    iso3 = tuple(sorted(votes_by_state))
    size = len(years)
    dates = np.array([f"{y}-{1 + i % 12:02d}-01" for i, y in enumerate(years)], "datetime64[D]")
    return unga_votes.VoteMatrix(
        iso3=iso3,
        row={code: i for i, code in enumerate(iso3)},
        codes=np.array([votes_by_state[c] for c in iso3], dtype=np.int8).reshape(len(iso3), size),
        rcid=np.arange(1, size + 1),
        date=dates,
        year=np.array(years, dtype=np.int64),
        session=np.array(years, dtype=np.int64) - 1945,
        issues={code: np.arange(size) % 2 == 0 for code in unga.ISSUES},
    )


@pytest.fixture
def hand_record(monkeypatch: pytest.MonkeyPatch) -> unga_votes.VoteMatrix:
    record = _synthetic(HAND, HAND_YEARS)
    monkeypatch.setattr(unga_votes, "_matrix", lambda: record)
    return record


def test_rank_on_the_hand_worked_record(hand_record) -> None:
    got = unga.rank("RUS", "PAK", 2000, 2001, measure="percent", min_votes=3)
    assert list(got.columns) == ["year", "rank", "of", "percentile", "value"]
    first, second = got.iloc[0], got.iloc[1]
    assert (first["year"], first["rank"], first["of"]) == (2000, 2, 5)
    assert first["percentile"] == 0.5 and first["value"] == pytest.approx(5 / 6)
    assert second["year"] == 2001 and pd.isna(second["rank"]) and pd.isna(second["value"])
    assert second["of"] == 5  # IND, USA, CHN, FRA, GBR: three common roll calls each
    tied = unga.rank("RUS", "FRA", 2000, 2000, measure="percent", min_votes=3).iloc[0]
    assert tied["rank"] == 2 and tied["percentile"] == 0.5  # a tie shares the best rank
    top = unga.rank("RUS", "IND", 2000, 2000, measure="percent", min_votes=3).iloc[0]
    assert (top["rank"], top["percentile"]) == (1, 1.0)
    bottom = unga.rank("RUS", "USA", 2000, 2000, measure="percent", min_votes=3).iloc[0]
    assert (bottom["rank"], bottom["percentile"]) == (5, 0.0)
    uncounted = unga.rank("RUS", "GBR", 2000, 2000, measure="percent", min_votes=3).iloc[0]
    assert pd.isna(uncounted["rank"]) and pd.isna(uncounted["percentile"])
    assert uncounted["of"] == 5


def test_agreement_with_all_and_pair_tables_on_the_hand_worked_record(hand_record) -> None:
    table = unga.agreement_with_all("RUS", 2000, 2000, measure="percent", min_votes=3)
    assert list(table.columns) == ["year", "state", "value", "n"]
    got = dict(zip(table["state"].astype(str), table["value"], strict=True))
    assert math.isnan(got.pop("GBR"))  # n = 1 < min_votes: NaN, but the row stays
    assert got == pytest.approx({"CHN": 4 / 6, "FRA": 5 / 6, "IND": 1.0, "PAK": 5 / 6, "USA": 0.0})
    assert table.set_index(table["state"].astype(str)).loc["GBR", "n"] == 1
    assert "RUS" not in set(table["state"].astype(str))
    years, tables = unga.pair_tables("RUS", "PAK", 2000, 2001)
    assert years.tolist() == [2000, 2001] and tables.dtype == np.int64
    # 2000: (yes,yes) ×3, (abstain,abstain), (no,no), (yes,no); 2001: PAK absent
    assert tables[0].tolist() == [[3, 0, 1], [0, 1, 0], [0, 0, 1]]
    assert tables[1].sum() == 0


def test_issue_is_one_issue_of_issues(hand_record) -> None:
    one = unga.agreement("RUS", "PAK", "percent", by=None, issue="nu")
    many = unga.agreement("RUS", "PAK", "percent", by=None, issues=["nu"])
    pd.testing.assert_frame_equal(one, many)
    assert one["n"].item() == 3  # roll calls 1, 3, 5 of 2000 (the synthetic coding)
    with pytest.raises(ValueError, match="give issues= or issue=, not both"):
        unga.agreement("RUS", "PAK", issues="nu", issue="di")
    with pytest.raises(ValueError, match=r"unknown issue codes \['xx'\]"):
        unga.rank("RUS", "PAK", issue="xx")


def test_rank_refuses_the_focal_power_as_partner(hand_record) -> None:
    with pytest.raises(ValueError, match="focal and partner are the same state"):
        unga.rank("RUS", "rus")
    with pytest.raises(ValueError, match="unknown method 'median'"):
        unga.rank_window("RUS", "PAK", 2000, 2001, method="median")


def _brute_rank(values: dict[str, float], partner: str) -> tuple[float, int, float]:
    """rank, of, percentile by the definition, from {state: value} of the counted states."""
    of = len(values)
    if partner not in values:
        return math.nan, of, math.nan
    mine = values[partner]
    higher = sum(v > mine + 1e-12 for v in values.values())
    lower = sum(v < mine - 1e-12 for v in values.values())
    return 1 + higher, of, (lower / (of - 1) if of > 1 else math.nan)


@st.composite
def _records(draw: st.DrawFn) -> tuple[dict[str, list[int]], list[int], int, str]:
    codes = ["RUS", "PAK", "IND", "USA", "CHN", "FRA", "GBR", "IRN"][: draw(st.integers(2, 8))]
    years = sorted(draw(st.lists(st.sampled_from([1990, 1991, 1992]), min_size=1, max_size=12)))
    votes = {c: draw(st.lists(st.integers(0, 3), min_size=len(years), max_size=len(years)))
             for c in codes}  # fmt: skip
    return votes, years, draw(st.integers(1, 4)), draw(st.sampled_from(codes[1:]))


@given(_records(), st.sampled_from(am.MEASURES))
@settings(max_examples=150, deadline=None)
def test_property_rank_bounds_and_definition(drawn, measure: str) -> None:
    from unittest import mock

    votes, years, min_votes, partner = drawn
    record = _synthetic(votes, years)
    with mock.patch.object(unga_votes, "_matrix", lambda: record):
        got = unga.rank("RUS", partner, measure=measure, min_votes=min_votes)
        for row in got.itertuples():
            counted = {}
            for state in votes:
                if state == "RUS":
                    continue
                one = unga.agreement("RUS", state, measure, "year", row.year, row.year)
                value, n = one["value"].item(), one["n"].item()
                if n >= min_votes and math.isfinite(value):
                    counted[state] = value
            rank, of, percentile = _brute_rank(counted, partner)
            assert row.of == of
            if math.isnan(rank):
                assert pd.isna(row.rank) and math.isnan(row.percentile)
                continue
            assert 1 <= row.rank <= row.of and row.rank == rank
            if math.isnan(percentile):
                assert of == 1 and math.isnan(row.percentile)
            else:
                assert 0.0 <= row.percentile <= 1.0 and row.percentile == pytest.approx(percentile)


# --- the same on the real record ---------------------------------------------------------


def test_agreement_with_all_equals_agreement_state_by_state() -> None:
    table = unga.agreement_with_all("RUS", 1955, 1985, measure="kappa", min_votes=10)
    assert list(table.columns) == ["year", "state", "value", "n"]
    for state in ("PAK", "IND", "USA", "CUB", "BGD", "ISR"):
        one = unga.agreement("RUS", state, "kappa", "year", 1955, 1985, min_votes=10)
        one = one[one["n"] > 0].reset_index(drop=True)
        mine = table[table["state"] == state].reset_index(drop=True)
        assert mine["year"].tolist() == one["year"].tolist(), state
        assert mine["n"].tolist() == one["n"].tolist(), state
        np.testing.assert_allclose(mine["value"], one["value"], atol=1e-12, equal_nan=True)
    pooled = unga.agreement_with_all("RUS", 1965, 1975, "pi", min_votes=10, by=None)
    assert list(pooled.columns) == ["state", "value", "n"]
    one = unga.agreement("RUS", "PAK", "pi", None, 1965, 1975, min_votes=10)
    row = pooled[pooled["state"] == "PAK"]
    assert row["n"].item() == one["n"].item()
    assert row["value"].item() == pytest.approx(one["value"].item(), abs=1e-12)


@pytest.mark.parametrize("measure", ["kappa", "percent"])
def test_rank_matches_a_brute_force_computation(measure: str) -> None:
    got = unga.rank("RUS", "PAK", 1965, 1975, measure=measure, min_votes=10).set_index("year")
    assert got.index.tolist() == [1965, *range(1966, 1976)]
    table = unga.agreement_with_all("RUS", 1965, 1975, measure=measure, min_votes=10)
    for year, rows in table.groupby("year"):
        counted = {
            str(r.state): r.value for r in rows.itertuples() if r.n >= 10 and math.isfinite(r.value)
        }
        rank, of, percentile = _brute_rank(counted, "PAK")
        assert (got.loc[year, "rank"], got.loc[year, "of"]) == (rank, of), year
        assert got.loc[year, "percentile"] == pytest.approx(percentile)
        assert got.loc[year, "value"] == pytest.approx(counted["PAK"])


def test_the_closest_state_ranks_first_and_ties_share_the_best_rank() -> None:
    table = unga.agreement_with_all("USA", 1980, 1980, measure="percent", min_votes=10)
    table = table.dropna(subset=["value"])
    best = table.loc[table["value"].idxmax(), "state"]
    assert unga.rank("USA", str(best), 1980, 1980, "percent").loc[0, "rank"] == 1
    # ties: states with identical vote-pair tables with the USA have identical values
    tied = table[table.duplicated("value", keep=False)].sort_values("value")
    assert len(tied) >= 2
    value = tied["value"].iloc[0]
    ranks = {
        unga.rank("USA", str(s), 1980, 1980, "percent").loc[0, "rank"]
        for s in tied.loc[tied["value"] == value, "state"]
    }
    assert ranks == {1 + int((table["value"] > value + 1e-12).sum())}


def test_rank_window_pooled_and_mean() -> None:
    pooled = unga.rank_window("RUS", "PAK", 1965, 1975, measure="kappa", min_votes=10)
    assert list(pooled.columns) == ["start", "end", "method", "rank", "of", "percentile", "value"]
    table = unga.agreement_with_all("RUS", 1965, 1975, "kappa", min_votes=10, by=None)
    counted = {str(r.state): r.value for r in table.itertuples() if math.isfinite(r.value)}
    rank, of, percentile = _brute_rank(counted, "PAK")
    row = pooled.iloc[0]
    assert (row["rank"], row["of"], row["method"]) == (rank, of, "pooled")
    assert row["percentile"] == pytest.approx(percentile)
    mean = unga.rank_window("RUS", "PAK", 1965, 1975, "kappa", 10, method="mean").iloc[0]
    yearly = unga.agreement_with_all("RUS", 1965, 1975, "kappa", min_votes=10)
    years = yearly["year"].nunique()
    defined = yearly.dropna(subset=["value"]).groupby("state", observed=True)["value"]
    means = {str(s): v for s, v in defined.mean().items() if defined.size()[s] * 2 >= years}
    rank, of, percentile = _brute_rank(means, "PAK")
    assert (mean["rank"], mean["of"]) == (rank, of)
    assert mean["value"] == pytest.approx(means["PAK"])


def test_pair_tables_give_the_yearly_agreement() -> None:
    years, tables = unga.pair_tables("RUS", "PAK", 1955, 1985)
    assert tables.shape == (years.size, 3, 3)
    for measure in am.MEASURES:
        direct = unga.agreement("RUS", "PAK", measure, "year", 1955, 1985)
        assert direct["year"].tolist() == years.tolist()
        np.testing.assert_allclose(
            am.from_counts(tables, measure), direct["value"], atol=1e-12, equal_nan=True
        )
    assert tables.sum(axis=(1, 2)).tolist() == direct["n"].tolist()


def test_issue_specific_agreement_matches_a_filtered_computation(table: pd.DataFrame) -> None:
    for code in unga.ISSUES:
        ours = unga.agreement("RUS", "PAK", "percent", by=None, issue=code)
        naive = _naive(table[table[f"issue_{code}"]], "RUS", "PAK", None)
        assert ours["n"].item() == naive["n"].item(), code
        assert ours["value"].item() == pytest.approx(naive["percent"].item()), code
    nuclear = unga.rank("RUS", "PAK", 1970, 1975, issue="nu", min_votes=3)
    assert nuclear["of"].gt(0).all()
