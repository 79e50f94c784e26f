"""CSV export benchmark: the memory of `scores/employees/?format=csv` is flat in the row count.

On the benchmark database, inside a transaction rolled back at the end (the data set stays as
the other benchmarks expect), it adds a team of agents with 30,000 daily score rows (bulk
created, every metric's figures filled) and, in process (Django's test client, an API key of
every scope, DEBUG off), exports that team's first 3,000 and then all 30,000 rows, reading the
streamed response piece by piece as a client would. The peak of Python's allocations
(tracemalloc) during each export is the serving process's memory for it.

Baseline: the same rows rendered as one body by the CSV renderer, as the paged export did with
its page. It checks the streamed file equals it byte for byte.
Goal: the streamed peak at 30,000 rows at most 1.5x the peak at 3,000.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.report import machine, table, today, write_section

AGENTS = 20
SIZES = (3_000, 30_000)
ROUNDS = 3
GOAL = 1.5
FIRST_DAY = dt.date(2001, 1, 1)
TEAM_SLUG = "bench-export"
PATH = "/api/v1/scores/employees/"


class _Rollback(Exception):
    pass


def _rows_create(*, agents: int, days: int):
    """Add a team of `agents` agents scored on `days` days from FIRST_DAY; return the team."""
    from scorecards.choices import MetricCode, VersionStatus
    from scorecards.models import EmployeeDailyScore, ScorecardVersion
    from staff.choices import Role
    from staff.models import Employee, Team

    version = ScorecardVersion.objects.filter(status=VersionStatus.PUBLISHED).latest("number")
    team = Team.objects.create(name="Bench export", slug=TEAM_SLUG, scorecard=version.scorecard)
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"{TEAM_SLUG}-{n:03d}",
                first_name=f"Agent{n:03d}",
                last_name="Export-Benchmark",
                password="!",
            )
            for n in range(agents)
        ]
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(user=user, role=Role.AGENT, hire_date=FIRST_DAY, external_id=f"BX-{n}")
            for n, user in enumerate(users)
        ]
    )
    figures = json.dumps(
        {
            code: {"value": 71.5, "score": 64.0, "num": 143.0, "den": 200.0}
            for code in MetricCode.values
        },
        separators=(",", ":"),
    )
    stats = {
        f"{code}_{part}": Decimal(value)
        for code in MetricCode.values
        for part, value in (("num", "143"), ("den", "200"))
    }
    now = timezone.now()
    EmployeeDailyScore.objects.bulk_create(
        (
            EmployeeDailyScore(
                employee=employee,
                team=team,
                version=version,
                day=FIRST_DAY + dt.timedelta(days=offset),
                total=Decimal("68.25"),
                band="amber",
                api_metrics=figures,
                computed_at=now,
                **stats,
            )
            for offset in range(days)
            for employee in employees
        ),
        batch_size=5000,
    )
    return team


def _params(rows: int, *, agents: int) -> dict[str, str]:
    last = FIRST_DAY + dt.timedelta(days=rows // agents - 1)
    return {"team": TEAM_SLUG, "date_from": FIRST_DAY.isoformat(), "date_to": last.isoformat()}


def _traced(consume: Callable[[], str]) -> tuple[int, float, str]:
    """Run `consume`; return the peak of the memory it allocated, its seconds and its result."""
    gc.collect()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    started = time.perf_counter()
    result = consume()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    return peak - before, seconds, result


def measure(*, sizes: tuple[int, ...], agents: int, rounds: int) -> dict:
    """Export each size streamed and as one body, `rounds` times in turn; return the medians.

    Call inside a transaction: the rows it adds are meant to be rolled back.
    """
    from scorecards.api.renderers import CsvRenderer
    from scorecards.api.serializers import EMPLOYEE_SCORE_ROW_VALUES, ScoreRowSerializer
    from scorecards.models import EmployeeDailyScore
    from staff.choices import ApiScope
    from staff.models import ApiKey

    team = _rows_create(agents=agents, days=max(sizes) // agents)
    with connection.cursor() as cursor:
        # As autovacuum would after such a load: the planner sees the new rows.
        cursor.execute("ANALYZE scorecards_employeedailyscore")
    _, raw = ApiKey.objects.create_key(name="bench-export", scopes=list(ApiScope.values))
    client = Client(headers={"authorization": f"Api-Key {raw}"})

    def streamed(rows: int) -> Callable[[], str]:
        def consume() -> str:
            response = client.get(PATH, {**_params(rows, agents=agents), "format": "csv"})
            assert response.status_code == 200, response.status_code
            assert response.streaming
            digest, lines = hashlib.sha256(), 0
            for piece in response.streaming_content:
                digest.update(piece)
                lines += piece.count(b"\n")
            assert lines == rows + 1, (lines, rows)
            return digest.hexdigest()

        return consume

    def whole(rows: int) -> Callable[[], str]:
        def consume() -> str:
            params = _params(rows, agents=agents)
            values = (
                EmployeeDailyScore.objects.filter(
                    team=team, day__range=(params["date_from"], params["date_to"])
                )
                .order_by("day", "id")
                .values(*EMPLOYEE_SCORE_ROW_VALUES)
            )
            serializer = ScoreRowSerializer()
            body = CsvRenderer().render([serializer.to_representation(row) for row in values])
            return hashlib.sha256(body).hexdigest()

        return consume

    # Warm-up: imports, URL resolution and the key's first use are not the export's memory.
    streamed(agents)()
    whole(agents)()
    samples: dict[tuple[str, int], list[tuple[int, float]]] = {}
    digests: dict[tuple[str, int], str] = {}
    tracemalloc.start()
    try:
        for _ in range(rounds):
            for rows in sizes:
                for way, consume in (("streamed", streamed(rows)), ("whole", whole(rows))):
                    peak, seconds, digest = _traced(consume)
                    samples.setdefault((way, rows), []).append((peak, seconds))
                    digests[(way, rows)] = digest
    finally:
        tracemalloc.stop()
    for rows in sizes:
        assert digests[("streamed", rows)] == digests[("whole", rows)], rows
    return {
        key: {
            "peak": statistics.median(peak for peak, _ in values),
            "seconds": statistics.median(seconds for _, seconds in values),
        }
        for key, values in samples.items()
    }


def _mib(size: float) -> str:
    return f"{size / 2**20:.2f}"


def _report(figures: dict, *, sizes: tuple[int, ...]) -> str:
    small, large = sizes
    ratio = figures[("streamed", large)]["peak"] / figures[("streamed", small)]["peak"]
    whole_ratio = figures[("whole", large)]["peak"] / figures[("whole", small)]["peak"]
    rows = []
    for way, what in (
        ("streamed", "GET scores/employees/?format=csv (streamed)"),
        ("whole", "baseline: the same rows rendered as one body"),
    ):
        for size in sizes:
            rows.append(
                {
                    "export": what,
                    "rows": f"{size:,}",
                    "peak MiB": _mib(figures[(way, size)]["peak"]),
                    f"x {small:,} rows": (
                        f"{figures[(way, size)]['peak'] / figures[(way, small)]['peak']:.2f}"
                    ),
                    "median s": f"{figures[(way, size)]['seconds']:.2f}",
                }
            )
    verdict = "**met**" if ratio <= GOAL else "**not met**"
    return f"""## CSV export: memory flat in the row count

Measured {today()} on {machine()}: peak of the Python allocations (tracemalloc) of the serving
process while one export is requested and read to its end in process (Django's test client, an
API key of every scope, DEBUG off), the median of {ROUNDS} alternating rounds after a warm-up.
A team of {AGENTS} agents with {max(sizes):,} daily score rows (every metric's figures filled) was
added for the run on the benchmark database and removed again afterwards; the exports filter on
that team and a date range of {small:,} or {large:,} rows. The streamed file equals the baseline's
byte for byte. The seconds include tracemalloc's own overhead. Regenerate with
`python -m bench export`.

{table(rows)}
Goal: the streamed peak at {large:,} rows within {GOAL}x of the peak at {small:,} rows: {verdict}
({ratio:.2f}x; the baseline grows {whole_ratio:.2f}x). The export reads the range by (day, id)
keyset in chunks of a fixed number of rows and sends each batch of lines as it is written, so
it holds one chunk whatever the range's length.
"""


def run(args=None, *, write: bool = True) -> dict:
    figures: dict = {}
    try:
        with transaction.atomic():
            figures = measure(sizes=SIZES, agents=AGENTS, rounds=ROUNDS)
            raise _Rollback
    except _Rollback:
        pass
    markdown = _report(figures, sizes=SIZES)
    print(markdown)
    if write and not getattr(args, "no_write", False):
        write_section("export", markdown)
    return figures
