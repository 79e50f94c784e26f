"""Run the benchmarks: `python -m bench [names...]` (default: every module available).

Uses the PostgreSQL database `crs_bench` (DATABASE_URL overrides), creates and migrates it,
and generates the large synthetic data set (`bench/dataset.py`) the first time; later runs
reuse it. `python -m bench data` only generates it (`--fresh` drops the database first) and
records the generator's rate; `python -m bench engine --sizes 250,1000,4000` measures the
engine on one data set per size of the organisation, each in its own database.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import resource
import sys

BENCHMARKS = ("engine", "api", "pages", "load", "export", "imports", "zendesk", "webhook")
# Benchmarks that make their own rows: run alone, they need only a migrated database.
OWN_DATA = frozenset({"imports", "zendesk"})


def available() -> list[str]:
    """Return the benchmarks whose module exists."""
    return [name for name in BENCHMARKS if importlib.util.find_spec(f"bench.{name}") is not None]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})"
    )
    parser.add_argument("--agents", type=int, default=1000, help="agents in the data set")
    parser.add_argument("--days", type=int, default=30, help="days of interactions")
    parser.add_argument("--per-day", type=int, default=60, help="interactions per agent and day")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data set")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="engine only: agents of each organisation size, comma-separated (e.g. 250,1000,4000)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="data only: drop the database and generate anew"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave BENCHMARKS.md alone"
    )
    return parser.parse_args(argv)


def _sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in value.split(",")})
    except ValueError as error:
        raise argparse.ArgumentTypeError("sizes are agent counts, e.g. 250,1000,4000") from error
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are agent counts of at least 1")
    return sizes


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.names == ["data"]:
        names = []
    else:
        names = args.names or available()
        unknown = [name for name in names if name not in available()]
        if unknown:
            sys.exit(f"Unknown or missing benchmarks: {', '.join(unknown)} (have {available()})")
    if args.sizes and names != ["engine"]:
        sys.exit("--sizes is an option of the engine benchmark alone: python -m bench engine")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from bench import dataset

    if not names:
        data_run(args)
        return
    if set(names) <= OWN_DATA:
        from django.core.management import call_command

        dataset.database_ensure()
        call_command("migrate", verbosity=0, interactive=False)
    elif not args.sizes:
        # With --sizes the engine brings each size's own database and data set.
        dataset.database_ensure()
        dataset.data_ensure(
            agents=args.agents, days=args.days, per_day=args.per_day, seed=args.seed
        )
    for name in names:
        dataset.log(f"running {name}")
        importlib.import_module(f"bench.{name}").run(args)
    dataset.log("done")


def data_run(args: argparse.Namespace) -> None:
    """Generate the data set into the benchmark database and record the generator's rate."""
    from bench import dataset
    from bench.report import machine, table, today, write_section

    dataset.database_ensure(fresh=args.fresh)
    generated = dataset.data_ensure(
        agents=args.agents, days=args.days, per_day=args.per_day, seed=args.seed
    )
    if generated is None:
        sys.exit("The database holds a data set already: add --fresh to generate it anew.")
    counts, seconds = generated
    if args.no_write:
        return
    rate = counts["interactions"] / seconds
    goal = dataset.GOAL_RATE
    rows = [
        {
            "data set": f"{args.agents:,} agents × ~{args.per_day} interactions/day × "
            f"{args.days} days (seed {args.seed})",
            "interactions": f"{counts['interactions']:,}",
            "survey responses": f"{counts['survey_responses']:,}",
            "QA reviews (ratings)": f"{counts['qa_reviews']:,} ({counts['qa_ratings']:,})",
            "seconds": f"{seconds:.1f}",
            "interactions/s": f"{rate:,.0f}",
            # Linux reports the peak resident size in KiB.
            "peak memory": f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
            "goal": f"≥ {goal:,}/s {'✅' if rate >= goal else '❌'}",
            "date": today(),
            "machine": machine(),
        }
    ]
    load = os.getloadavg()[0]
    markdown = (
        "## Data set generator\n\n" + table(rows) + "\nOne run of `python -m bench data "
        f"--agents {args.agents} --per-day {args.per_day} --days {args.days} --fresh` into an "
        "empty database: the scorecard, staff, teams and customers by the ORM, then "
        "interactions, survey responses, QA reviews and their ratings streamed an agent at a "
        "time as CSV into PostgreSQL's COPY (a few megabytes a copy, so memory stays flat: the "
        "peak is the whole process's, Django included, and barely moves with the size), "
        "all in one transaction; the seconds run from the first row to the commit, without "
        "the `VACUUM ANALYZE` after it. The machine was shared while measuring (load average "
        f"{load:.1f} on {os.cpu_count()} cores at the end).\n"
    )
    print(markdown)
    write_section("data", markdown)
    dataset.log("figures written to BENCHMARKS.md")


if __name__ == "__main__":
    main()
