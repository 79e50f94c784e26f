"""Alerts and the managers' weekly digest."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import AlertKind
from scorecards.selectors.digests import manager_digests
from scorecards.services.alerts import alert_acknowledge
from scorecards.services.digests import manager_digest_send
from tests.factories import AlertFactory, TeamFactory, UserFactory
from tests.scorecards.team.helpers import dashboard_url, member, score_rows

pytestmark = pytest.mark.django_db


# ---- alerts --------------------------------------------------------------------------------


def test_alerts_list_the_open_alerts_of_the_managers_people_and_teams(client, team, manager):
    mine = AlertFactory(employee=member(team))
    team_alert = AlertFactory(employee=None, team=team, kind=AlertKind.DROP)
    AlertFactory(employee=member(TeamFactory()))
    AlertFactory(employee=member(team), acknowledged_at=timezone.now())
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:alert_list"))

    assert set(response.context["page"].object_list) == {mine, team_alert}


def test_acknowledging_records_who_and_when_once(client, team, manager):
    alert = AlertFactory(employee=member(team))
    client.force_login(manager.user)

    response = client.post(
        reverse("scorecards:alert_acknowledge", args=[alert.pk]),
        {"next": dashboard_url(team)},
    )

    assert response.status_code == 302
    assert response.url == dashboard_url(team)
    alert.refresh_from_db()
    assert alert.acknowledged_by == manager.user
    first = alert.acknowledged_at
    assert first is not None
    alert_acknowledge(alert=alert, user=UserFactory())
    assert (alert.acknowledged_by, alert.acknowledged_at) == (manager.user, first)
    acknowledged = client.get(reverse("scorecards:alert_list") + "?status=acknowledged")
    assert list(acknowledged.context["page"].object_list) == [alert]


def test_acknowledging_is_post_only_and_not_found_for_other_managers(client, team, manager):
    alert = AlertFactory(employee=member(TeamFactory()))
    client.force_login(manager.user)
    url = reverse("scorecards:alert_acknowledge", args=[alert.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledge_ignores_an_offsite_next(client, team, manager):
    alert = AlertFactory(employee=member(team))
    client.force_login(manager.user)

    response = client.post(
        reverse("scorecards:alert_acknowledge", args=[alert.pk]), {"next": "https://evil.test/"}
    )

    assert response.url == reverse("scorecards:alert_list")


# ---- weekly digest -------------------------------------------------------------------------


def test_weekly_digest_gives_each_manager_their_teams_week_in_their_language(
    team, version, manager
):
    week_ending = dt.date(2024, 3, 10)
    manager.language = "ru"
    manager.save()
    struggling = member(team, first_name="Struggling")
    fine = member(team, first_name="Fine")
    alerted = member(team, first_name="Alerted")
    rows = []
    for offset in range(14):
        day = week_ending - dt.timedelta(days=offset)
        rows += [
            (struggling, day, {"fcr": (4, 10)}),
            (fine, day, {"fcr": (9, 10)}),
            (alerted, day, {"fcr": (9, 10)}),
        ]
    score_rows(team=team, version=version, rows=rows)
    AlertFactory(employee=alerted, day=week_ending)

    sent = manager_digest_send(week_ending=week_ending)

    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [manager.user.email]
    # The Russian subject and date style show the manager's language is active.
    assert "Неделя ваших команд: 04.03.2024" in message.subject
    assert "Riga Support" in message.body
    assert "Struggling" in message.body
    assert "Alerted" in message.body
    assert "Fine" not in message.body
    # A link to the team's dashboard for that week, and to each person who needs a look.
    dashboard = reverse("scorecards:team_dashboard", args=[team.slug])
    assert f"{dashboard}?date_from=2024-03-04&date_to=2024-03-10" in message.body
    assert reverse("scorecards:agent_detail", args=[struggling.pk]) in message.body


def test_the_manager_previews_the_weekly_digest_in_the_app(client, team, version, manager, today):
    struggling = member(team, first_name="Struggling")
    yesterday = today - dt.timedelta(days=1)
    score_rows(team=team, version=version, rows=[(struggling, yesterday, {"fcr": (1, 10)})])
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:digest_preview"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="digest-preview"' in html
    assert "Struggling" in html
    assert reverse("scorecards:team_dashboard", args=[team.slug]) in html
    assert mail.outbox == []


def test_the_digest_preview_is_for_managers(client, team):
    agent = member(team, first_name="Agent")
    client.force_login(agent.user)
    assert client.get(reverse("scorecards:digest_preview")).status_code == 403


def test_weekly_digest_is_sent_once_per_week_and_manager(team, version, manager):
    week_ending = dt.date(2024, 3, 10)
    score_rows(team=team, version=version, rows=[(member(team), week_ending, {"fcr": (9, 10)})])

    assert manager_digest_send(week_ending=week_ending) == 1
    assert manager_digest_send(week_ending=week_ending) == 0
    assert len(mail.outbox) == 1


def test_weekly_digest_compares_pooled_weeks(team, version, manager):
    week_ending = dt.date(2024, 3, 10)
    person = member(team)
    score_rows(
        team=team,
        version=version,
        rows=[
            (person, week_ending, {"fcr": (8, 10)}),
            (person, week_ending - dt.timedelta(days=7), {"fcr": (6, 10)}),
        ],
    )

    (digest,) = manager_digests(week_ending=week_ending)

    (team_week,) = digest.teams
    assert team_week.week.total == Decimal("100.00")
    assert team_week.previous.total == Decimal("50.00")
    assert team_week.change == Decimal("50.00")


def test_digest_has_a_monday_morning_beat_entry():
    entry = settings.CELERY_BEAT_SCHEDULE["manager-digest-weekly"]

    assert entry["task"] == "scorecards.tasks.manager_digest_send"
    assert entry["schedule"].day_of_week == {1}
