"""One small organisation scored by the engine and read through the score API, on whichever
database Django is set up with; run as a module it does so on a fresh SQLite file and prints
the documents, so a test can hold them against PostgreSQL's (`test_scores.py`).

    DATABASE_URL=sqlite:////tmp/x.sqlite3 DJANGO_SETTINGS_MODULE=crs_site.settings.test \
        python -m tests.api.score_rows_scenario
"""

import datetime as dt
from decimal import Decimal

DAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 5, 12, 0, 17, 123456, tzinfo=dt.UTC)
PATHS = ("/api/v1/scores/employees/", "/api/v1/scores/teams/")


def scenario_documents() -> dict[str, list[dict]]:
    """Build the organisation, score it, and return each score list's rows without their ids
    (which differ between databases), in (day, id) order."""
    from rest_framework.test import APIClient

    from scorecards.choices import MetricCode
    from scorecards.engine.rows import scores_compute
    from staff.choices import ApiScope
    from staff.models import ApiKey
    from tests.factories import (
        EmployeeFactory,
        InteractionFactory,
        PublishedVersionFactory,
        SurveyResponseFactory,
        TeamFactory,
        TeamMembershipFactory,
    )

    rules = {
        MetricCode.FCR: ("80", "40"),
        MetricCode.FIRST_RESPONSE_MINUTES: ("5", "60"),
        MetricCode.RESOLUTION_HOURS: ("1", "24"),
        MetricCode.CSAT: ("90", "50"),
        MetricCode.RESPONSE_SLA: ("95", "60"),
    }
    version = PublishedVersionFactory(
        scorecard__slug="scenario-card",
        number=1,
        effective_from=DAY - dt.timedelta(days=30),
        sla_minutes=30,
        metrics=[
            {"code": code, "target": Decimal(target), "floor": Decimal(floor)}
            for code, (target, floor) in rules.items()
        ],
    )
    team = TeamFactory(slug="scenario", name='Ост "Sud" \\ team', scorecard=version.scorecard)
    for number, minutes in enumerate((7, 13, 200, 41)):
        agent = EmployeeFactory(
            external_id=f"E-{number}", user__first_name="Zoë", user__last_name=f"O'B {number}"
        )
        TeamMembershipFactory(employee=agent, team=team, starts_on=DAY - dt.timedelta(days=30))
        for offset in range(2):
            opened = dt.datetime.combine(
                DAY + dt.timedelta(days=offset), dt.time(9, number), tzinfo=dt.UTC
            )
            interaction = InteractionFactory(
                employee=agent,
                opened_at=opened,
                first_response_at=opened + dt.timedelta(minutes=minutes + offset, seconds=17),
                resolved_at=opened + dt.timedelta(hours=2 + number, minutes=7),
                is_first_contact_resolution=minutes < 100,
            )
            SurveyResponseFactory(
                interaction=interaction,
                csat=3 + (number + offset) % 3,
                submitted_at=opened + dt.timedelta(hours=5),
            )
    scores_compute(date_from=DAY, date_to=DAY + dt.timedelta(days=2), now=NOW)
    _key, raw = ApiKey.objects.create_key(name="scenario", scopes=[ApiScope.SCORES_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    documents = {}
    for path in PATHS:
        rows = client.get(path, {"page_size": 100}).json()["results"]
        for row in rows:
            del row["id"]
            del row["subject"]["id"]
        documents[path] = rows
    return documents


if __name__ == "__main__":
    from tests.on_sqlite import scenario_main

    scenario_main(scenario_documents)
