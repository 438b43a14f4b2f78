"""The rules that turn a comparison of a claim with the record into a verdict.

Why apart from the checks: each rule is a judgement a referee may question, so each is one
small pure function with its reason and its own unit test, and every check uses them the
same way. Rules and thresholds: docs/methods.md#claims.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Verdicts a claim can get. A money claim is never consistent "because of TIV": its timing
#: can be tested, its amount cannot.
VERDICTS = (
    "consistent",
    "partly consistent",
    "inconsistent",
    "timing consistent; amount not testable",
    "timing partly consistent; amount not testable",
    "timing inconsistent; amount not testable",
    "not testable",
)

#: Units the record cannot measure: SIPRI counts arms in TIV (volume), never money.
MONEY_UNITS = frozenset({"USD", "RUB"})

#: "A major buyer/supplier": among the top three by SIPRI TIV over the claim's own window,
#: as SIPRI's fact sheets list each importer's three main suppliers.
MAJOR_RANK = 3


def plain(ok: bool) -> str:
    """A yes/no test of what the record measures."""
    return "consistent" if ok else "inconsistent"


def timing(years_found: Iterable[int], years_claimed: Iterable[int]) -> str:
    """Do the record's years (orders, deliveries) match the years the claim states?

    All found in the claimed years: consistent; some in them, or the items exist only in
    other years: partly consistent (the event happened, the date is off); none found at all:
    inconsistent.
    """
    found = set(years_found)
    claimed = set(years_claimed)
    if not found:
        return "inconsistent"
    if found <= claimed:
        return "consistent"
    return "partly consistent"


def with_amount(verdict: str, unit: str | None) -> str:
    """A money claim: the record tests the timing only, the amount stays untestable."""
    if unit not in MONEY_UNITS or verdict == "not testable":
        return verdict
    return f"timing {verdict}; amount not testable"


def is_major(rank: int, top: int = MAJOR_RANK) -> bool:
    """Rank 1 is the largest; "major" means among the top ``top``."""
    return 1 <= rank <= top


def coincidence(value: float, unit: str | None, tiv: float) -> str:
    """A flag when a money figure happens to equal a TIV figure: different units, so the
    match is a coincidence, never agreement (e.g. "$53 million" against 53 TIV)."""
    if unit != "USD" or not tiv:
        return ""
    millions = value / 1e6
    if round(millions) == round(tiv):
        return (
            f"numeric coincidence: ${millions:,.0f} million stated and {tiv:,.0f} TIV "
            "delivered are different units (money against volume); not agreement"
        )
    return ""
