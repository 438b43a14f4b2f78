"""Benchmark the findings: the whole specification curve of a period, and the panorama.

A plain script, not a timed test. Run with the offline mirror, e.g.

    RUPAK_MIRROR=../shared/external .venv/bin/python benchmarks/bench_findings.py

Goals (issue "Findings that hold up"): the full curve for one period at most 5 s warm, the
panorama at most 2 s warm. "Cold" includes building the vote matrix and bootstrap
replicates in this process (the parsed record itself comes from the Parquet cache).
"""

from __future__ import annotations

import time

from rupak.analysis import agreement, findings, robustness
from rupak.analysis import evidence_record as rec
from rupak.analysis.question import Question

PERIODS = {
    "proximity 1965–75": (
        Question("RUS", "PAK", "IND", "USA", (1965, 1975)),
        ["agreement_rise", "agreement_fall_after", "agreement_specific", "rank_rise", "arms_rise"],
    ),
    "post-9/11": (
        Question("RUS", "PAK", "IND", "USA", (2001, 2019), before=(1992, 2000)),
        ["agreement_rise", "agreement_specific", "rank_rise", "arms_rise"],
    ),
}


def clock(function) -> float:
    began = time.perf_counter()
    function()
    return time.perf_counter() - began


def main() -> None:
    for label, (question, tests) in PERIODS.items():
        cold = clock(lambda q=question, t=tests: findings.specification_curve(q, t))
        robustness._curve.cache_clear()  # warm: the record and replicates are in memory
        warm = clock(lambda q=question, t=tests: findings.specification_curve(q, t))
        rows = len(findings.specification_curve(question, tests))
        print(
            f"specification curve, {label}: {rows} specifications, cold {cold:.2f} s, "
            f"warm {warm:.2f} s (goal ≤ 5 s warm)"
        )
    question = PERIODS["proximity 1965–75"][0]
    rec._all_states.cache_clear()
    cold = clock(lambda: agreement.panorama(question))
    warm = clock(lambda: agreement.panorama(question))
    print(f"panorama: cold {cold:.2f} s, warm {warm:.3f} s (goal ≤ 2 s warm)")


if __name__ == "__main__":
    main()
