"""Benchmark: loading the curated evidence base and the corpus in a fresh process.

Prints the time to import the package, parse the passages (pysbd sentence segmentation),
load the typed tables with their containing passages, and validate the data package.
Run: ``.venv/bin/python benchmarks/bench_curated.py``.
"""

from __future__ import annotations

import time


def lap(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label:<44} {now - started:6.3f} s")
    return now


def main() -> None:
    started = time.perf_counter()
    import rupak.evidence.curated as curated
    from rupak.evidence import corpus, validate

    now = lap("import rupak.evidence.curated", started)
    frames = [corpus.sentences(s) for s in corpus.source_ids()]
    now = lap(f"sentences of both sources ({sum(map(len, frames))})", now)
    sizes = (len(curated.events()), len(curated.evidence()), len(curated.claims()))
    now = lap(f"events/evidence/claims {sizes}", now)
    curated.evidence()
    now = lap("evidence again (cached in process)", now)
    problems = validate.problems_in()
    lap(f"validate the data package ({len(problems)} problems)", now)


if __name__ == "__main__":
    main()
