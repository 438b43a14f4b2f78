"""Benchmark rupak.record.unga: parse, cache, one dyad, every dyad; against a naive pandas loop.

A plain script, not a timed test. Run with the offline mirror, e.g.

    RUPAK_MIRROR=<the offline mirror> .venv/bin/python benchmarks/bench_unga.py

It uses its own empty temporary RUPAK_CACHE so the cold parse is really cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

WARM_SNIPPET = """
import time
import pandas  # imported lazily by rupak: keep its import out of the timed read
from rupak.record import unga
began = time.perf_counter()
unga.votes()
print(time.perf_counter() - began)
"""


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def naive_dyad(table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """The obvious pandas way: select both states, merge on rcid, group by year, κ by formula."""
    left = table.loc[table["iso3"] == a, ["rcid", "year", "x"]]
    right = table.loc[table["iso3"] == b, ["rcid", "x"]]
    both = left.merge(right, on="rcid", suffixes=("1", "2"))
    both["sq1"] = both["x1"] ** 2
    both["sq2"] = both["x2"] ** 2
    both["cross"] = both["x1"] * both["x2"]
    both["ssd"] = (both["x1"] - both["x2"]) ** 2
    sums = both.groupby("year").agg(
        n=("x1", "size"),
        s1=("x1", "sum"),
        s2=("x2", "sum"),
        ss1=("sq1", "sum"),
        ss2=("sq2", "sum"),
        ssd=("ssd", "sum"),
    )
    den = sums["ss1"] + sums["ss2"] - 2 * sums["s1"] * sums["s2"] / sums["n"]
    sums["value"] = 1 - sums["ssd"] / den.where(den != 0)
    return sums[["value", "n"]].reset_index()


def import_time(runs: int = 5) -> float:
    """Median wall time of ``python -c "import rupak.record.unga"`` in fresh processes."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import rupak.record.unga"], check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=300, help="dyads timed in the naive loop")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.environ.get("RUPAK_MIRROR"):
        sys.exit("set RUPAK_MIRROR to the offline mirror of the record")

    with tempfile.TemporaryDirectory(prefix="rupak-bench-") as cache:
        os.environ["RUPAK_CACHE"] = cache
        from rupak.record import unga

        print(f"python {sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}")
        print(f"RUPAK_CACHE={cache} (empty, temporary)\n")
        print(f"python -c 'import rupak.record.unga' (median of 5): {import_time():8.3f} s\n")

        cold, _ = timed(unga.votes)
        print(f"votes() cold parse (3 .rda files -> Parquet):      {cold:8.3f} s")
        warm, table = timed(unga.votes, repeat=5)
        print(f"votes() warm load, in process (median of 5):        {warm:8.3f} s")
        fresh = [
            float(subprocess.run([sys.executable, "-c", WARM_SNIPPET], check=True,
                                 capture_output=True, text=True, env=os.environ).stdout)
            for _ in range(3)
        ]  # fmt: skip
        fresh_s = statistics.median(fresh)
        print(f"votes() warm load, fresh process (median of 3):     {fresh_s:8.3f} s"
              "  (incl. the first pyarrow import)")  # fmt: skip
        print(
            f"  {len(table):,} rows, {table.memory_usage(deep=True).sum() / 1e6:.1f} MB in memory"
        )

        first, _ = timed(lambda: unga.agreement("RUS", "PAK", by="year"))
        print(f"\nagreement('RUS','PAK',by='year') first call:       {first:8.3f} s"
              "  (builds the vote matrix once per process)")  # fmt: skip
        one, result = timed(
            lambda: unga.agreement("RUS", "PAK", by="year", start=1946, end=2019), repeat=200
        )
        print(f"agreement('RUS','PAK',by='year',1946-2019) warm:    {one * 1e3:8.3f} ms"
              f"  (median of 200; {len(result)} years)")  # fmt: skip

        full, matrix = timed(lambda: unga.agreement_matrix(measure="kappa", by="year"), repeat=3)
        dyads = matrix[["a", "b"]].drop_duplicates()
        print(f"\nagreement_matrix(kappa, every dyad, every year):    {full:8.3f} s"
              f"  ({len(dyads):,} dyads, {len(matrix):,} dyad-years; median of 3)")  # fmt: skip
        overall, _ = timed(lambda: unga.agreement_matrix(measure="kappa", by=None), repeat=3)
        print(f"agreement_matrix(kappa, every dyad, all years):     {overall:8.3f} s")

        everyone, _ = timed(lambda: unga.agreement_with_all("RUS", 1946, 2019), repeat=10)
        print(f"\nagreement_with_all('RUS', 1946-2019) warm:         {everyone * 1e3:8.3f} ms"
              "  (median of 10; every state, every year)")  # fmt: skip
        ranked, _ = timed(lambda: unga.rank("RUS", "PAK", 1955, 1985), repeat=10)
        print(f"rank('RUS', 'PAK', 1955-1985) warm:                 {ranked * 1e3:8.3f} ms"
              "  (median of 10)")  # fmt: skip
        window, _ = timed(lambda: unga.rank_window("RUS", "PAK", 1965, 1975), repeat=10)
        print(f"rank_window('RUS', 'PAK', 1965-1975) warm:          {window * 1e3:8.3f} ms")

        # Naive: one pandas merge per dyad, over the same tidy table.
        table = table.assign(x=table["vote"].cat.codes.astype(np.int64) + 1)
        table["iso3"] = table["iso3"].astype(str)
        rng = np.random.default_rng(args.seed)
        pick = dyads.astype(str).to_numpy()[rng.choice(len(dyads), args.sample, replace=False)]
        worst = 0.0
        for a, b in pick:
            naive = naive_dyad(table, a, b)
            ours = matrix[(matrix["a"] == a) & (matrix["b"] == b)]
            diff = np.abs(naive["value"].to_numpy() - ours["value"].to_numpy())
            worst = max(worst, float(np.nanmax(diff, initial=0.0)))
        # the check above costs extra; time the naive work alone on the same sample
        began = time.perf_counter()
        for a, b in pick:
            naive_dyad(table, a, b)
        per_dyad = (time.perf_counter() - began) / args.sample
        estimate = per_dyad * len(dyads)
        print(f"\nnaive per-dyad pandas merge: {per_dyad * 1e3:.2f} ms per dyad, timed on a random "
              f"sample of {args.sample} dyads (seed {args.seed})")  # fmt: skip
        print(f"  extrapolated to all {len(dyads):,} dyads: {estimate:8.1f} s"
              "  (EXTRAPOLATED, not run in full)")  # fmt: skip
        print(f"  max |naive - matrix| on the sample: {worst:.2e}")
        print(f"  speed-up of agreement_matrix over the naive loop: {estimate / full:,.0f}x")


if __name__ == "__main__":
    main()
