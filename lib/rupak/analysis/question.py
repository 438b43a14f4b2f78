"""A period question: a dyad, its comparison dyad, a window and the segments around it.

Why one object: the notebooks, ``rupak findings`` and the tests must ask exactly the same
question, and every derived span (the decade before, the decade after, the shifted windows
of the specification curve) must be computed one way, clipped to what the record covers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rupak.record import countries

#: Years either side of a window that make its "before" and "after" segments by default.
SEGMENT_YEARS = 10

Span = tuple[int, int]


@dataclass(frozen=True)
class Question:
    """Did ``focal`` and ``partner`` come closer in ``window``, beside ``rival`` and ``patron``?

    ``before`` and ``after`` default to the ``SEGMENT_YEARS`` either side of the window;
    clip them to the record with :meth:`clipped`.
    """

    focal: str
    partner: str
    rival: str
    patron: str
    window: Span
    before: Span | None = None
    after: Span | None = None
    measure: str = "kappa"
    min_votes: int = 10

    def __post_init__(self) -> None:
        if self.before is None:
            first = self.window[0]
            object.__setattr__(self, "before", (first - SEGMENT_YEARS, first - 1))
        if self.after is None:
            last = self.window[1]
            object.__setattr__(self, "after", (last + 1, last + SEGMENT_YEARS))

    @property
    def studied(self) -> tuple[str, str]:
        return (self.focal, self.partner)

    @property
    def comparison(self) -> tuple[str, str]:
        return (self.focal, self.rival)

    @property
    def other_patron(self) -> tuple[str, str]:
        return (self.patron, self.partner)

    def shifted(self, start: int, end: int) -> Question:
        """The same question with the window's edges moved; each neighbouring segment moves
        with the edge it touches and keeps its length."""
        before, after = self.before, self.after
        assert before is not None and after is not None
        return replace(
            self,
            window=(self.window[0] + start, self.window[1] + end),
            before=(before[0] + start, before[1] + start),
            after=(after[0] + end, after[1] + end),
        )

    def clipped(self, first: int, last: int) -> Question:
        """Segments cut to the years ``[first, last]`` a record covers (empty ones kept as
        given: they are dropped where they are used)."""

        def clip(span: Span | None) -> Span | None:
            if span is None:
                return None
            return (max(span[0], first), min(span[1], last))

        return replace(
            self, window=clip(self.window), before=clip(self.before), after=clip(self.after)
        )

    def span(self, margin: int = 0) -> Span:
        """First and last year any segment touches, widened by ``margin`` years."""
        spans = [s for s in (self.before, self.window, self.after) if s is not None]
        return (min(s[0] for s in spans) - margin, max(s[1] for s in spans) + margin)


def years_text(span: Span | None) -> str:
    """ "1965–1975", or "1965" for a single year, "" for none."""
    if span is None or span[0] > span[1]:
        return ""
    return str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"


def is_empty(span: Span | None) -> bool:
    return span is None or span[0] > span[1]


def state_name(code: str, year: int | None = None) -> str:
    """A state's English name for prose; Russia's seat is "the Soviet Union" before 1992.

    Relies on the dissolution of the Soviet Union on 26 December 1991 (rupak.base.eras).
    """
    if code in {"RUS", "SUN"} and (code == "SUN" or (year is not None and year <= 1991)):
        return "the Soviet Union"
    name = countries.name(code)
    return f"the {name}" if name.startswith(("United ", "Russian ")) else name


def span_name(code: str, first: int, last: int) -> str:
    """A state's name over a span: "the Soviet Union/Russia" when the span crosses 1991."""
    if code in {"RUS", "SUN"} and first <= 1991 < last:
        return "the Soviet Union/Russia"
    return state_name(code, first)


def dyad_name(a: str, b: str, year: int | None = None, sep: str = "–") -> str:
    """ "Soviet Union–Pakistan": two states' names joined, for labels and prose."""
    return f"{_bare(state_name(a, year))}{sep}{_bare(state_name(b, year))}"


def _bare(name: str) -> str:
    return name.removeprefix("the ")
