"""One problem with one cell, row or file of the curated data, and the error that lists them.

Every check of the evidence layer reports in this one shape: ``file:row:column: value: message``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell (or row, or file)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = self.column or ""
        value = "" if self.value is None else _show(self.value)
        return f"{self.file}:{row}:{column}: {value}: {self.message}"


def shorten(value: str, limit: int = 80) -> str:
    """A value as messages show it: quoted, and cut to ``limit`` characters with an ellipsis."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


_show = shorten


class ValidationError(ValueError):
    """Raised with every problem found; ``problems`` keeps them for callers."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the curated data:\n{lines}")
