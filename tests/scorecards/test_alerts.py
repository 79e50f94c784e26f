"""Alerts (docs/SCORING.md): red three days running, or a pooled week ten points below the last."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from scorecards import alerts, tasks
from scorecards.choices import AlertKind
from scorecards.engine.rows import scores_compute
from scorecards.models import Alert
from staff.choices import Language, Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 20)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def desk():
    """A team scored on first contact resolution (target 80 %, floor 40 %) and one agent."""
    team = TeamFactory(name="Billing desk")
    PublishedVersionFactory(
        scorecard=team.scorecard,
        effective_from=dt.date(2020, 1, 1),
        metrics=[{"code": "fcr", "target": 80, "floor": 40}],
    )
    agent = EmployeeFactory(role=Role.AGENT, user=UserFactory(first_name="Ilze", last_name="Ozola"))
    TeamMembershipFactory(employee=agent, team=team)
    return team, agent


def _worked(agent, day: dt.date, *, resolved_first_time: list[bool]) -> None:
    for n, first_time in enumerate(resolved_first_time):
        InteractionFactory(
            employee=agent,
            opened_at=_at(day, 9 + n),
            first_response_at=_at(day, 9 + n),
            resolved_at=_at(day, 10 + n),
            is_first_contact_resolution=first_time,
        )


def _days(last: dt.date, count: int) -> list[dt.date]:
    return [last - dt.timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def _kinds(**subject) -> set[str]:
    return set(Alert.objects.filter(**subject).values_list("kind", flat=True))


def test_three_red_days_running_raise_one_alert_per_subject_and_day(desk):
    team, agent = desk
    for day in _days(DAY, 3):
        _worked(agent, day, resolved_first_time=[False, False])
    scores_compute(date_from=DAY - dt.timedelta(days=2), date_to=DAY)

    assert alerts.alerts_evaluate(day=DAY) == 2
    alerts.alerts_evaluate(day=DAY)

    employee_alert = Alert.objects.get(employee=agent, day=DAY)
    assert employee_alert.kind == AlertKind.RED_STREAK
    assert employee_alert.details["totals"] == {day.isoformat(): "0.00" for day in _days(DAY, 3)}
    assert Alert.objects.get(team=team, day=DAY).kind == AlertKind.RED_STREAK
    # Evaluating the day again raises nothing new.
    assert Alert.objects.count() == 2


def test_a_day_out_of_the_red_breaks_the_streak(desk):
    _team, agent = desk
    first, middle, last = _days(DAY, 3)
    _worked(agent, first, resolved_first_time=[False])
    _worked(agent, middle, resolved_first_time=[True])
    _worked(agent, last, resolved_first_time=[False])
    scores_compute(date_from=first, date_to=last)

    alerts.alerts_evaluate(day=DAY)

    assert not Alert.objects.exists()


def test_a_persistent_drop_raises_one_alert_on_the_day_it_begins(desk):
    team, agent = desk
    previous_week, current_week = _days(DAY - dt.timedelta(days=7), 7), _days(DAY, 7)
    for day in previous_week:
        _worked(agent, day, resolved_first_time=[True, True])
    # 10 of 14 first time (71.4 %): 78.57 points against 100; the last days are green.
    for index, day in enumerate(current_week):
        _worked(agent, day, resolved_first_time=[index >= 4, True])
    scores_compute(date_from=previous_week[0], date_to=DAY)

    # Judged day by day, as the runs do: the drop persists for days, one alert for it.
    for day in current_week:
        alerts.alerts_evaluate(day=day)

    drop = Alert.objects.get(employee=agent, kind=AlertKind.DROP)
    assert drop.day < DAY
    assert Decimal(drop.details["previous_total"]) - Decimal(drop.details["current_total"]) >= 10
    assert drop.details["current_from"] == (drop.day - dt.timedelta(days=6)).isoformat()
    assert Alert.objects.filter(team=team, kind=AlertKind.DROP).count() == 1
    # Judging the last day alone, or again, adds nothing: the episode began earlier.
    alerts.alerts_evaluate(day=DAY)
    assert Alert.objects.filter(kind=AlertKind.DROP).count() == 2


def test_a_red_streak_alerts_once_per_episode_and_again_after_a_recovery(desk):
    _team, agent = desk
    days = _days(DAY, 9)
    bands = ["red", "red", "red", "red", "green", "red", "red", "red", "red"]
    for day, band in zip(days, bands, strict=True):
        _worked(agent, day, resolved_first_time=[band == "green"])
    scores_compute(date_from=days[0], date_to=DAY)

    for day in days:
        alerts.alerts_evaluate(day=day)

    raised = Alert.objects.filter(employee=agent, kind=AlertKind.RED_STREAK)
    assert sorted(raised.values_list("day", flat=True)) == [days[2], days[7]]


def test_days_not_worked_neither_break_nor_extend_a_red_streak(desk):
    _team, agent = desk
    monday, wednesday, friday = DAY - dt.timedelta(days=4), DAY - dt.timedelta(days=2), DAY
    for day in (monday, wednesday, friday):
        _worked(agent, day, resolved_first_time=[False])
    # A survey answer on a day off: no interaction that day, so no score and no band.
    interaction = InteractionFactory(employee=agent, opened_at=_at(monday, 9))
    SurveyResponseFactory(
        interaction=interaction, csat=1, submitted_at=_at(DAY - dt.timedelta(days=1), 12)
    )
    scores_compute(date_from=monday, date_to=friday)

    for offset in range(5):
        alerts.alerts_evaluate(day=monday + dt.timedelta(days=offset))

    assert list(
        Alert.objects.filter(employee=agent, kind=AlertKind.RED_STREAK).values_list(
            "day", flat=True
        )
    ) == [friday]


def test_today_so_far_raises_no_alert(desk):
    _team, agent = desk
    today = timezone.localdate()
    for day in _days(today, 3):
        _worked(agent, day, resolved_first_time=[False])
    scores_compute(date_from=today - dt.timedelta(days=2), date_to=today)

    assert alerts.alerts_evaluate(day=today) == 0


def test_a_drop_of_less_than_ten_points_raises_nothing(desk):
    _team, agent = desk
    previous_week, current_week = _days(DAY - dt.timedelta(days=7), 7), _days(DAY, 7)
    for day in previous_week:
        _worked(agent, day, resolved_first_time=[True] * 4)
    # 22 of 28 first time (78.6 %): 96.43 points, 3.57 below the week before.
    for index, day in enumerate(current_week):
        _worked(agent, day, resolved_first_time=[index != 0, True, True, index > 4])
    scores_compute(date_from=previous_week[0], date_to=DAY)

    alerts.alerts_evaluate(day=DAY)

    assert not Alert.objects.exists()


def test_the_alert_mail_goes_once_to_each_manager_in_their_language_with_a_link(desk, settings):
    settings.CRS_SITE_URL = "https://crs.example.com/"
    team, agent = desk
    english = EmployeeFactory(role=Role.MANAGER, user=UserFactory(email="anna@example.com"))
    latvian = EmployeeFactory(
        role=Role.MANAGER, language=Language.LV, user=UserFactory(email="janis@example.com")
    )
    without_address = EmployeeFactory(role=Role.MANAGER, user=UserFactory(email=""))
    team.managers.add(english, latvian, without_address)
    for day in _days(DAY, 3):
        _worked(agent, day, resolved_first_time=[False])
    scores_compute(date_from=DAY - dt.timedelta(days=2), date_to=DAY)
    alerts.alerts_evaluate(day=DAY)
    alert = Alert.objects.get(employee=agent)

    assert alerts.alert_email_send(alert_id=alert.pk) == 2
    assert alerts.alert_email_send(alert_id=alert.pk) == 0

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["anna@example.com", "janis@example.com"]
    english_mail = by_address["anna@example.com"]
    assert "Ilze Ozola" in english_mail.body
    assert "in the red band on each of the three days" in english_mail.body
    assert f"https://crs.example.com/agents/{agent.pk}/" in english_mail.body
    assert by_address["janis@example.com"].body != english_mail.body
    alert.refresh_from_db()
    assert alert.emailed_at is not None


def test_evaluating_a_day_queues_a_mail_for_each_new_alert(desk, monkeypatch):
    team, agent = desk
    manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(manager)
    for day in _days(DAY, 3):
        _worked(agent, day, resolved_first_time=[False])
    scores_compute(date_from=DAY - dt.timedelta(days=2), date_to=DAY)
    monkeypatch.setattr(
        tasks.alert_email_send, "delay", lambda alert_id: tasks.alert_email_send.apply([alert_id])
    )

    tasks.alerts_evaluate.apply([DAY.isoformat()]).get()

    assert len(mail.outbox) == 2  # the agent's alert and the team's, to its one manager
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()
