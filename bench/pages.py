"""Page benchmark: the team dashboard's server time does not grow with the team or the period.

On the benchmark database, inside a transaction rolled back at the end (the data set stays as
the other benchmarks expect), it adds two teams on the data set's scorecard: one of 200 agents
with 90 days of interactions and one of 5 agents with 7 days, scores them with the engine, and
times in process (Django's test client, signed in as their manager, DEBUG off):

1. the dashboard of the 200-member team over 90 days,
2. the dashboard of the 5-member team over 7 days (goal: (1) at most 2x (2)),
3. a trivial page that renders the base layout and nothing else (the ratio is reported).

Requests alternate between the three pages in rounds, after a warm-up; medians are reported,
with each page's query count.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.shortcuts import render
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

from bench.report import machine, table, today, write_section
from scorecards.selectors.team import MEMBERS_PER_PAGE

BIG_MEMBERS, BIG_DAYS = 200, 90
SMALL_MEMBERS, SMALL_DAYS = 5, 7
PER_DAY = 8
WARM_UP = 3
ROUNDS = 7
PER_ROUND = 5
BASE_PATH = "/bench/base/"
GOAL = 2.0


@login_required
def base_layout(request):
    """The base layout with an empty content block: navigation, language switcher, assets."""
    return render(request, "base.html", {})


urlpatterns = [path(BASE_PATH.strip("/") + "/", base_layout), path("", include("crs_site.urls"))]


class _Rollback(Exception):
    pass


def _team_create(*, name: str, members: int, days: int, scorecard, manager, customers, rng):
    from customers.models import Interaction
    from staff.choices import Role
    from staff.models import Employee, Team, TeamMembership

    team = Team.objects.create(name=name, slug=name.lower().replace(" ", "-"), scorecard=scorecard)
    team.managers.add(manager)
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(username=f"{team.slug}-{i:03d}", password="!") for i in range(members)]
    )
    hired = timezone.localdate() - dt.timedelta(days=400)
    agents = Employee.objects.bulk_create(
        [Employee(user=user, role=Role.AGENT, hire_date=hired) for user in users]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(employee=agent, team=team, starts_on=hired) for agent in agents]
    )
    zone = timezone.get_current_timezone()
    first = timezone.localdate() - dt.timedelta(days=days - 1)
    rows = []
    for agent in agents:
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            for n in range(PER_DAY):
                opened = dt.datetime.combine(day, dt.time(8 + n, rng.randrange(60)), tzinfo=zone)
                resolved = rng.random() < 0.9
                rows.append(
                    Interaction(
                        customer_id=rng.choice(customers),
                        employee=agent,
                        channel=rng.choice(["phone", "email", "chat"]),
                        subject="Benchmark",
                        opened_at=opened,
                        first_response_at=opened + dt.timedelta(minutes=rng.randrange(1, 120)),
                        resolved_at=opened + dt.timedelta(hours=rng.randrange(1, 30))
                        if resolved
                        else None,
                        is_first_contact_resolution=resolved and rng.random() < 0.7,
                        is_escalated=rng.random() < 0.08,
                        source="bench-pages",
                    )
                )
    Interaction.objects.bulk_create(rows, batch_size=5000)
    return team, agents, first


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(args=None, *, write: bool = True) -> dict[str, float]:
    from customers.models import Customer
    from scorecards.engine.rows import scores_compute
    from staff.choices import Role
    from staff.models import Employee, Team

    rng = random.Random(2026)
    figures: dict[str, float] = {}
    try:
        with transaction.atomic():
            scorecard = Team.objects.order_by("pk").first().scorecard
            manager_user = get_user_model().objects.create_user("pages-manager", password="!")
            manager = Employee.objects.create(
                user=manager_user, role=Role.MANAGER, hire_date=dt.date(2020, 1, 1)
            )
            customers = list(Customer.objects.values_list("pk", flat=True)[:2000])
            teams = {}
            for key, name, members, days in (
                ("big", "Pages big", BIG_MEMBERS, BIG_DAYS),
                ("small", "Pages small", SMALL_MEMBERS, SMALL_DAYS),
            ):
                team, agents, first = _team_create(
                    name=name,
                    members=members,
                    days=days,
                    scorecard=scorecard,
                    manager=manager,
                    customers=customers,
                    rng=rng,
                )
                scores_compute(
                    date_from=first,
                    date_to=timezone.localdate(),
                    employee_ids=[agent.pk for agent in agents],
                )
                teams[key] = (team, days)
            with connection.cursor() as cursor:
                # As autovacuum would after such a load: the planner sees the new rows.
                cursor.execute(
                    "ANALYZE scorecards_employeedailyscore, scorecards_teamdailyscore, "
                    "staff_teammembership, staff_employee"
                )
            with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
                figures = _measure(manager_user, teams)
            raise _Rollback
    except _Rollback:
        pass
    markdown = _report(figures)
    print(markdown)
    if write and not getattr(args, "no_write", False):
        write_section("pages", markdown)
    return figures


def _measure(user, teams) -> dict[str, float]:
    client = Client()
    client.force_login(user)
    urls = {
        key: reverse("scorecards:team_dashboard", args=[team.slug]) + f"?days={days}"
        for key, (team, days) in teams.items()
    }
    urls["base"] = BASE_PATH
    queries = {}
    for key, url in urls.items():
        for _ in range(WARM_UP):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[key] = len(captured.captured_queries)
    samples: dict[str, list[float]] = {key: [] for key in urls}
    for _ in range(ROUNDS):
        for key, url in urls.items():
            for _ in range(PER_ROUND):
                started = time.perf_counter()
                client.get(url)
                samples[key].append(time.perf_counter() - started)
    figures = {f"{key}_ms": _median_ms(values) for key, values in samples.items()}
    figures.update({f"{key}_queries": count for key, count in queries.items()})
    return figures


def _report(figures: dict[str, float]) -> str:
    big, small, base = figures["big_ms"], figures["small_ms"], figures["base_ms"]
    ratio = big / small
    rows = [
        {
            "page": f"team dashboard, {BIG_MEMBERS} members, last {BIG_DAYS} days",
            "median ms": f"{big:.1f}",
            "queries": figures["big_queries"],
            "x 5 members, 7 days": f"{ratio:.2f}",
            "x base layout": f"{big / base:.2f}",
        },
        {
            "page": f"team dashboard, {SMALL_MEMBERS} members, last {SMALL_DAYS} days",
            "median ms": f"{small:.1f}",
            "queries": figures["small_queries"],
            "x 5 members, 7 days": "1.00",
            "x base layout": f"{small / base:.2f}",
        },
        {
            "page": "baseline: the base layout alone (signed in)",
            "median ms": f"{base:.1f}",
            "queries": figures["base_queries"],
            "x 5 members, 7 days": f"{base / small:.2f}",
            "x base layout": "1.00",
        },
    ]
    verdict = "**met**" if ratio <= GOAL else "**not met**"
    return f"""## Pages: the team dashboard does not grow with the team or the period

Measured {today()} on {machine()}: server time in process (Django's test client, signed in
as the teams' manager, production-like settings with DEBUG off), the median of
{ROUNDS * PER_ROUND} requests per page in alternating rounds after {WARM_UP} warm-up requests.
Two teams were added for the run on the benchmark database, on its scorecard, with
{PER_DAY} interactions per agent and day scored by the engine, and removed again afterwards.
Regenerate with `python -m bench pages`.

{table(rows)}
Goal: the {BIG_MEMBERS}-member dashboard over {BIG_DAYS} days within {GOAL:.0f}x of the
{SMALL_MEMBERS}-member one over {SMALL_DAYS} days: {verdict} ({ratio:.2f}x). The dashboard pools
the period in the database (the same {figures["big_queries"]} queries whatever the team's size or
the period's length) and lists members {MEMBERS_PER_PAGE} to a page: in name order only that page's
members are summed, so what still grows with the data is one trend point and table row per day.
Sorted by a figure, every member is pooled first (the CSV export too).
"""
