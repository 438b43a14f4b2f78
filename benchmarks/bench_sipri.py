"""Cold and warm parse times of rupak.record.sipri (SIPRI TIV tables and trade register).

Why: tiv() and deals() sit under every notebook; a cold parse must stay well under a few
seconds and a warm (Parquet-cached) read near-instant. Run:

    RUPAK_MIRROR=<the offline mirror> .venv/bin/python benchmarks/bench_sipri.py

The cold runs use a fresh, temporary RUPAK_CACHE, so nothing already cached is touched.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable


def timed(label: str, action: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label:<44} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="rupak-bench-") as cache:
        os.environ["RUPAK_CACHE"] = cache
        timed(
            "import rupak.record.sipri (pandas included)", lambda: __import__("rupak.record.sipri")
        )
        from rupak.record import countries, sipri, sipri_tiv
        from rupak.record import fetch as record

        timed("country table (first lookup)", lambda: countries.to_iso3(["India"]))
        timed(
            "read 134 TIV files (no country codes)",
            lambda: [sipri_tiv.read_tiv(record.path(name)) for name in sipri.tiv_files()],
        )
        timed("coverage() from the TIV headers", sipri.coverage)
        frame = timed("tiv() cold: parse, map, write Parquet", sipri.tiv)
        timed("tiv() warm: read Parquet", sipri.tiv)
        timed("tiv(fold_soviet=True) warm", lambda: sipri.tiv(fold_soviet=True))
        deals = timed("deals() cold: parse, map, write Parquet", sipri.deals)
        timed("deals() warm: read Parquet", sipri.deals)
        timed("flows('RUS', 'PAK', 1992, 2021) warm", lambda: sipri.flows("RUS", "PAK", 1992, 2021))
        timed(
            "import_shares('IND', 2017, 2021) warm", lambda: sipri.import_shares("IND", 2017, 2021)
        )
        print(f"rows: tiv {len(frame):,}, deals {len(deals):,}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
