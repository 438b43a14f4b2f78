"""The ``rupak`` command: validate the data, fetch the record, check claims, build reports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable]:
    def register(function: Callable[[argparse.Namespace], int]) -> Callable:
        COMMANDS[name] = function
        return function

    return register


def _print_problems(problems: Sequence[object]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was written.", file=sys.stderr)
    return 1


@command("validate")
def _validate(args: argparse.Namespace) -> int:
    from rupak.evidence.validate import problems_in, summary

    problems = problems_in(args.data)
    if problems:
        return _print_problems(problems)
    print(summary(args.data))
    return 0


@command("fetch")
def _fetch(args: argparse.Namespace) -> int:
    from rupak.record import fetch as record

    try:
        done = record.fetch(args.names or None)
    except record.RecordError as error:
        print(error, file=sys.stderr)
        return 1
    where = record.mirror_dir() or record.cache_dir() / "files"
    for entry, path in done if args.verbose else []:
        print(f"{entry.sha256[:12]}  {path}")
    print(f"{len(done)} record file(s) verified by SHA-256 in {where}")
    return 0


@command("curate-offsets")
def _curate_offsets(args: argparse.Namespace) -> int:
    from rupak.evidence.offsets import fill_offsets
    from rupak.evidence.problems import ValidationError

    try:
        changed, problems = fill_offsets(args.data)
    except ValidationError as error:
        return _print_problems(error.problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    for name, count in changed.items():
        print(f"{name}: filled offsets in {count} row(s)")
    return 1 if problems else 0


@command("passages")
def _passages(args: argparse.Namespace) -> int:
    from rupak.evidence import corpus
    from rupak.evidence.problems import ValidationError, shorten

    kinds = None if args.all_kinds else corpus.ANALYSED_KINDS
    try:
        known = corpus.source_ids()
        if args.source is not None and args.source not in known:
            print(
                f"rupak passages: --source {shorten(args.source)} is not a source; "
                f"known sources: {', '.join(known)}",
                file=sys.stderr,
            )
            return 2
        frame = corpus.passages(args.source, unit=args.unit, kinds=kinds)
    except ValidationError as error:
        return _print_problems(error.problems)
    for row in frame.itertuples():
        print(f"{row.passage_id}\t{row.kind}\t{row.char_start}:{row.char_end}\t{row.text}")
    return 0


@command("check-claims")
def _check_claims(args: argparse.Namespace) -> int:
    import pandas as pd

    from rupak.analysis import claims
    from rupak.evidence.validate import problems_in
    from rupak.record.fetch import RecordError

    problems = problems_in()  # claims are checked only on data that validates
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(problems)} problem(s) in the curated data; no claim was checked.",
            file=sys.stderr,
        )
        return 1
    try:
        table = claims.check()
    except RecordError as error:
        print(error, file=sys.stderr)
        return 1
    if args.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    shown = table[["item", "id", "source_id", "check", "verdict", "computed", "scope"]]
    with pd.option_context(
        "display.max_colwidth", args.width, "display.width", 250, "display.max_rows", None
    ):
        print(shown.to_string(index=False))
    counts = table["verdict"].value_counts()
    print(
        "\n"
        + ", ".join(f"{counts.get(v, 0)} {v}" for v in claims.VERDICTS)
        + f" ({len(table)} items; SIPRI TIV is a volume, never money)"
    )
    return 0


@command("findings")
def _findings(args: argparse.Namespace) -> int:
    """The findings of one period question, as the period notebooks compute them."""
    from rupak.publish.parameters import ParameterError, check_values

    values = {
        "focal": args.focal,
        "partner": args.partner,
        "rival": args.rival,
        "patron": args.patron,
        "start": min(args.window[0], *(args.before or [args.window[0]])),
        "end": max(args.window[1], *(args.after or [args.window[1]])),
        "window_start": args.window[0],
        "window_end": args.window[1],
        "measure": args.measure,
        "min_votes": args.min_votes,
    }
    for name, span in (("before", args.before), ("after", args.after)):
        if span:
            values[f"{name}_start"], values[f"{name}_end"] = span
    try:
        check_values(values, "rupak findings")
    except ParameterError as error:
        print(error, file=sys.stderr)
        return 2
    import pandas as pd

    from rupak.analysis import findings
    from rupak.analysis.narratives import tests_for
    from rupak.analysis.question import Question

    question = Question(
        args.focal,
        args.partner,
        args.rival,
        args.patron,
        tuple(args.window),
        before=tuple(args.before) if args.before else None,
        after=tuple(args.after) if args.after else None,
        measure=args.measure,
        min_votes=args.min_votes,
    )
    table = findings.findings(question, args.tests or tests_for(question))
    if args.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    shown = table[["finding", "segment_a", "segment_b", "estimate", "ci_low", "ci_high"]]
    shown = shown.assign(share=table["share_of_specifications"], verdict=table["verdict"])
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(shown.to_string(index=False))
    for row in table.itertuples():
        print(f"\n- {row.sentence}")
    return 0


@command("reports")
def _reports(args: argparse.Namespace) -> int:
    from rupak.publish import reports

    try:
        if args.check:
            stale = reports.stale_notebooks()
            for line in stale:
                print(line, file=sys.stderr)
            if stale:
                print(
                    f"{len(stale)} notebook(s) have stale stored outputs; run `make refresh`",
                    file=sys.stderr,
                )
                return 1
            print("stored notebook outputs are current")
            return 0
        outcomes = reports.build(
            only=args.only,
            jobs=args.jobs,
            force=args.force,
            out=args.out,
            show_code=args.show_code,
            config=args.config,
            validate_data=True,
            allow_dirty=args.allow_dirty,
        )
    except reports.DataError:
        return 1
    except reports.ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except reports.Interrupted as error:
        print(error, file=sys.stderr)
        return 130
    failed = [o for o in outcomes if o.status == "failed"]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "unchanged", "failed")}
    print(
        f"reports: {counts['built']} built, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed -> {args.out / 'index.html'}"
    )
    if args.pdf and not _print_pdfs(args.out, [o.name for o in outcomes if o.status != "failed"]):
        return 1
    return 1 if failed else 0


def _print_pdfs(out: Path, names: Sequence[str]) -> bool:
    """Write <name>.pdf beside each report whose page is newer than its PDF."""
    from rupak.publish import pdf

    written = 0
    for name in names:
        page, target = out / f"{name}.html", out / f"{name}.pdf"
        if target.is_file() and target.stat().st_mtime >= page.stat().st_mtime:
            continue
        try:
            pdf.write_pdf(page, target)
        except pdf.PdfError as error:
            print(error, file=sys.stderr)
            return False
        written += 1
    print(f"pdf: {written} written, {len(names) - written} up to date")
    return True


@command("refresh-notebooks")
def _refresh(args: argparse.Namespace) -> int:
    from rupak.publish import reports

    try:
        done = reports.refresh_notebooks(args.notebooks or None, allow_dirty=args.allow_dirty)
    except reports.ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    for path in done:
        print(f"re-executed and saved {path}")
    return 0


@command("variant")
def _variant(args: argparse.Namespace) -> int:
    from rupak.publish import reports
    from rupak.publish.parameters import ParameterError

    try:
        spec = reports.add_variant(
            args.name,
            args.notebook,
            args.parameter,
            title=args.title,
            description=args.description or "",
            timeout=args.timeout,
            config=args.config,
        )
    except (reports.ConfigError, ParameterError) as error:
        print(error, file=sys.stderr)
        print(f"nothing was added to {args.config}", file=sys.stderr)
        return 2
    print(
        f"added report {spec.name!r} ({spec.notebook.name}) to {args.config}; "
        f"build it with: rupak reports --only {spec.name}"
    )
    return 0


def _report_parsers(sub: argparse._SubParsersAction) -> None:
    """The commands that build, refresh and add reports."""
    from rupak.publish.reports import CONFIG, OUT_DIR

    build = sub.add_parser("reports", help="execute the notebooks of reports.toml into HTML")
    build.add_argument("--only", nargs="+", metavar="NAME", help="build only these reports")
    build.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPUs)")
    build.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    build.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    build.add_argument(
        "--config", type=Path, default=CONFIG, help="reports file (default: reports.toml)"
    )
    build.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    build.add_argument(
        "--pdf", action="store_true", help="also print each report to <name>.pdf (Chromium)"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="exit non-zero if the committed notebooks' stored outputs are stale",
    )
    build.add_argument(
        "--allow-dirty",
        action="store_true",
        help="build notebooks whose working copy differs from git HEAD (said loudly)",
    )

    variant = sub.add_parser(
        "variant", help="add a named variant (a notebook with other parameters) to reports.toml"
    )
    variant.add_argument("name", help="report name: lower-case letters, digits, - or _")
    variant.add_argument(
        "--notebook", required=True, help="notebook path, file name or number (e.g. 02)"
    )
    variant.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value (repeat for several)",
    )
    variant.add_argument("--title", default=None, help="the report's title")
    variant.add_argument("--description", default=None, help="one sentence: what it asks")
    variant.add_argument("--timeout", type=float, default=None, help="seconds (default: file's)")
    variant.add_argument(
        "--config", type=Path, default=CONFIG, help="reports file (default: reports.toml)"
    )

    refresh = sub.add_parser(
        "refresh-notebooks",
        help="re-execute notebooks with their default "
        "parameters and save their outputs (after an intended change)",
    )
    refresh.add_argument("notebooks", nargs="*", type=Path)
    refresh.add_argument(
        "--allow-dirty",
        action="store_true",
        help="refresh even if a parameters cell differs from git HEAD",
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rupak", description=__doc__)
    sub = main.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check the curated data package")
    validate.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data folder holding datapackage.json (default: the project's)",
    )

    fetch = sub.add_parser(
        "fetch", help="download (or find in RUPAK_MIRROR) and verify the external record files"
    )
    fetch.add_argument("names", nargs="*", help="record file names (default: all)")
    fetch.add_argument("-v", "--verbose", action="store_true", help="list every file")

    offsets = sub.add_parser(
        "curate-offsets",
        help="fill blank char offsets of quotes that occur exactly once (a curator's aid)",
    )
    offsets.add_argument("--data", type=Path, default=None)

    passages = sub.add_parser("passages", help="print passages with ids and raw offsets")
    passages.add_argument("--source", default=None)
    passages.add_argument(
        "--unit", default="sentence", choices=["sentence", "paragraph", "reference"]
    )
    passages.add_argument(
        "--all-kinds", action="store_true", help="include titles, bylines, headings, metadata"
    )

    claims = sub.add_parser("check-claims", help="test every claim the record can test")
    claims.add_argument("--csv", action="store_true", help="write the full table as CSV")
    claims.add_argument("--width", type=int, default=90, help="column width in the text table")

    found = sub.add_parser(
        "findings",
        help="the findings of a period question: estimates, intervals, robustness, verdicts",
    )
    for role, default in (
        ("focal", "RUS"),
        ("partner", "PAK"),
        ("rival", "IND"),
        ("patron", "USA"),
    ):
        found.add_argument(f"--{role}", default=default, help=f"{role} state (ISO3)")
    found.add_argument("--window", nargs=2, type=int, required=True, metavar=("FIRST", "LAST"))
    found.add_argument(
        "--before",
        nargs=2,
        type=int,
        metavar=("FIRST", "LAST"),
        help="the segment before the window (default: the ten years before)",
    )
    found.add_argument(
        "--after",
        nargs=2,
        type=int,
        metavar=("FIRST", "LAST"),
        help="the segment after the window (default: the ten years after)",
    )
    found.add_argument("--measure", default="kappa", help="headline agreement measure")
    found.add_argument("--min-votes", type=int, default=10, help="fewest roll calls for a year")
    found.add_argument("--tests", nargs="+", help="record tests (default: all that apply)")
    found.add_argument("--csv", action="store_true", help="write the full table as CSV")
    _report_parsers(sub)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt as error:
        if str(error):
            print(error, file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
