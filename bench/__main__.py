"""Run the benchmarks: `python -m bench [names...]` (default: every module available).

Uses the PostgreSQL database `crs_bench` (DATABASE_URL overrides), creates and migrates it,
and loads the large synthetic data set with `seed_demo --scale` the first time; later runs
reuse it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import os
import sys
import time

BENCHMARKS = ("engine", "api", "pages", "load", "export")


def available() -> list[str]:
    """Return the benchmarks whose module exists."""
    return [name for name in BENCHMARKS if importlib.util.find_spec(f"bench.{name}") is not None]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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
        "--no-write", action="store_true", help="print the figures, leave BENCHMARKS.md alone"
    )
    return parser.parse_args(argv)


def database_ensure() -> None:
    """Create the benchmark database when it does not exist yet."""
    import psycopg2
    from django.conf import settings

    options = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=options.get("USER") or None,
        password=options.get("PASSWORD") or None,
        host=options.get("HOST") or None,
        port=options.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [options["NAME"]])
            if cursor.fetchone() is None:
                log(f"creating database {options['NAME']}")
                cursor.execute(f'CREATE DATABASE "{options["NAME"]}"')
    finally:
        connection.close()


def data_ensure(args: argparse.Namespace) -> None:
    """Migrate, and load the synthetic data set unless the database already holds one."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from scorecards import demo

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    if not demo.demo_database_is_empty():
        log("reusing the data set already in the database")
        return
    log(
        f"generating {args.agents:,} agents x {args.per_day} interactions/day x {args.days} days"
        " (a few minutes, once)"
    )
    started = time.monotonic()
    call_command(
        "seed_demo",
        "--scale",
        f"--agents={args.agents}",
        f"--days={args.days}",
        f"--per-day={args.per_day}",
        f"--seed={args.seed}",
        # Ending yesterday: every interaction's SLA clock has run out, so the engine and the
        # SQL baseline, computed moments apart, count the same interactions.
        f"--today={timezone.localdate() - dt.timedelta(days=1)}",
    )
    log(f"data set generated in {time.monotonic() - started:.0f} s; analysing")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    names = args.names or available()
    unknown = [name for name in names if name not in available()]
    if unknown:
        sys.exit(f"Unknown or missing benchmarks: {', '.join(unknown)} (have {available()})")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    database_ensure()
    data_ensure(args)
    for name in names:
        log(f"running {name}")
        importlib.import_module(f"bench.{name}").run(args)
    log("done")


if __name__ == "__main__":
    main()
