"""Business hours: a team's working calendar makes response times count working time only."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from customers.models import Interaction
from customers.services import interaction_create, interaction_update, interactions_upsert
from customers.working_time import working_calendar_remove, working_calendar_save
from scorecards.engine.rows import scores_compute
from scorecards.models import DirtyDay, EmployeeDailyScore
from scorecards.services.changes import (
    team_member_join,
    team_membership_delete,
    team_membership_update,
)
from staff.models import TeamMembership, WorkingCalendar
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
FRIDAY = dt.date(2025, 10, 10)
MONDAY = dt.date(2025, 10, 13)
NINE_TO_FIVE = [(dt.time(9), dt.time(17))] * 5 + [(None, None)] * 2

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA)


@pytest.fixture
def team():
    version = PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1),
        sla_minutes=60,
        metrics=[
            {"code": "response_sla", "target": 90, "floor": 40},
            {"code": "first_response_minutes", "target": 30, "floor": 240},
        ],
    )
    return TeamFactory(scorecard=version.scorecard)


@pytest.fixture
def agent(team):
    employee = EmployeeFactory()
    TeamMembershipFactory(employee=employee, team=team, starts_on=dt.date(2024, 1, 1))
    return employee


def _friday_evening(agent, **fields):
    return interaction_create(
        employee=agent,
        customer=CustomerFactory(),
        channel="email",
        subject="Invoice",
        opened_at=at(FRIDAY, 16, 50),
        first_response_at=at(MONDAY, 9, 20),
        **fields,
    )


def test_response_counted_in_working_time_by_engine(team, agent):
    working_calendar_save(team=team, country="LV", hours=NINE_TO_FIVE)
    interaction = _friday_evening(agent)
    assert interaction.first_response_working_time == dt.timedelta(minutes=30)

    scores_compute(date_from=FRIDAY, date_to=FRIDAY, now=at(MONDAY, 12))

    row = EmployeeDailyScore.objects.get(employee=agent, day=FRIDAY)
    assert (row.response_sla_num, row.response_sla_den) == (1, 1)
    assert (row.first_response_minutes_num, row.first_response_minutes_den) == (30, 1)


def test_without_a_calendar_the_clock_counts(agent):
    interaction = _friday_evening(agent)
    assert interaction.first_response_working_time is None

    scores_compute(date_from=FRIDAY, date_to=FRIDAY, now=at(MONDAY, 12))

    row = EmployeeDailyScore.objects.get(employee=agent, day=FRIDAY)
    assert (row.response_sla_num, row.response_sla_den) == (0, 1)
    assert row.first_response_minutes_num == 2 * 24 * 60 + 16 * 60 + 30


def test_a_holiday_does_not_count(team, agent):
    # In Latvia 18 November 2025 (a Tuesday) is Proclamation Day, and Monday the 17th a day
    # off moved from a Saturday: from Friday 16:30 to Wednesday 09:30 is one working hour.
    working_calendar_save(team=team, country="LV", hours=NINE_TO_FIVE)
    interaction = interaction_create(
        employee=agent,
        customer=CustomerFactory(),
        channel="email",
        subject="Order",
        opened_at=at(dt.date(2025, 11, 14), 16, 30),
        first_response_at=at(dt.date(2025, 11, 19), 9, 30),
    )
    assert interaction.first_response_working_time == dt.timedelta(minutes=60)


def test_saving_or_removing_a_calendar_recomputes_and_marks_days_dirty(team, agent):
    interaction = InteractionFactory(
        employee=agent, opened_at=at(FRIDAY, 16, 50), first_response_at=at(MONDAY, 9, 20)
    )
    other_team_member = InteractionFactory(
        opened_at=at(FRIDAY, 16, 50), first_response_at=at(MONDAY, 9, 20)
    )
    DirtyDay.objects.all().delete()

    working_calendar_save(team=team, country="LV", hours=NINE_TO_FIVE)

    interaction.refresh_from_db()
    other_team_member.refresh_from_db()
    assert interaction.first_response_working_time == dt.timedelta(minutes=30)
    assert other_team_member.first_response_working_time is None
    assert list(DirtyDay.objects.values_list("employee_id", "day")) == [(agent.pk, FRIDAY)]

    DirtyDay.objects.all().delete()
    saturday_too = [*NINE_TO_FIVE[:5], (dt.time(10), dt.time(14)), (None, None)]
    working_calendar_save(team=team, country="LV", hours=saturday_too)
    interaction.refresh_from_db()
    assert interaction.first_response_working_time == dt.timedelta(minutes=30 + 240)
    assert DirtyDay.objects.count() == 1

    DirtyDay.objects.all().delete()
    working_calendar_remove(team=team)
    interaction.refresh_from_db()
    assert interaction.first_response_working_time is None
    assert DirtyDay.objects.count() == 1


def test_upsert_and_update_fill_the_working_time(team, agent):
    working_calendar_save(team=team, hours=NINE_TO_FIVE)
    customer = CustomerFactory()
    [stored] = interactions_upsert(
        rows=[
            {
                "employee_id": agent.pk,
                "customer_id": customer.pk,
                "channel": "chat",
                "subject": "Hi",
                "opened_at": at(FRIDAY, 16, 50),
                "first_response_at": at(MONDAY, 9, 20),
                "source": "helpdesk",
                "external_id": "1",
            }
        ]
    )
    assert Interaction.objects.get(pk=stored.pk).first_response_working_time == dt.timedelta(
        minutes=30
    )
    interaction = Interaction.objects.get(pk=stored.pk)
    interaction_update(interaction=interaction, first_response_at=at(MONDAY, 10))
    interaction.refresh_from_db()
    assert interaction.first_response_working_time == dt.timedelta(minutes=70)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"country": "XX"}, {"country"}),
        ({"country": "", "subdivision": "BY"}, {"subdivision"}),
        ({"country": "DE", "subdivision": "ZZ"}, {"subdivision"}),
        (
            {"hours": [(dt.time(9), None)] + [(None, None)] * 6},
            {"monday_end"},
        ),
    ],
)
def test_calendar_errors_name_the_field(team, fields, errors):
    arguments = {"team": team, "hours": NINE_TO_FIVE, **fields}
    with pytest.raises(ValidationError) as raised:
        working_calendar_save(**arguments)
    assert set(raised.value.message_dict) == errors


def test_hours_page_for_the_team_manager(client, team, agent):
    from django.urls import reverse

    manager = EmployeeFactory(role="manager")
    team.managers.add(manager)
    client.force_login(manager.user)
    url = reverse("customers:team_hours", args=[team.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="09:00"' in page.content
    form = {"country": "LV", "subdivision": ""}
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday"):
        form |= {f"{day}_start": "09:00", f"{day}_end": "17:00"}
    bad = client.post(url, {**form, "friday_end": ""})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"friday_end"}
    bad = client.post(url, {**form, "country": "ZZ", "monday_start": "9 o'clock"})
    assert set(bad.context["form"].errors) == {"country", "monday_start"}
    assert not WorkingCalendar.objects.exists()
    assert client.post(url, form).status_code == 302
    assert team.working_calendar.country == "LV"
    assert client.post(url, {"remove": "1"}).status_code == 302
    team.refresh_from_db()
    assert not hasattr(team, "working_calendar")
    client.force_login(agent.user)
    assert client.get(url).status_code == 403
    other = EmployeeFactory(role="manager")
    TeamFactory().managers.add(other)
    client.force_login(other.user)
    assert client.get(url).status_code == 404


EIGHT_TO_SIX = [(dt.time(8), dt.time(18))] * 5 + [(None, None)] * 2


@pytest.fixture
def moved(team, agent):
    """The agent's Friday-evening interaction, and one a week before, under the 9-17 calendar."""
    working_calendar_save(team=team, country="LV", hours=NINE_TO_FIVE)
    friday = _friday_evening(agent)
    week_before = interaction_create(
        employee=agent,
        customer=CustomerFactory(),
        channel="email",
        subject="Earlier",
        opened_at=at(FRIDAY - dt.timedelta(days=7), 16, 50),
        first_response_at=at(MONDAY - dt.timedelta(days=7), 9, 20),
    )
    assert friday.first_response_working_time == dt.timedelta(minutes=30)
    DirtyDay.objects.all().delete()
    return friday, week_before


def test_a_move_to_a_team_with_another_calendar_recomputes_the_days_after_it(team, agent, moved):
    friday, week_before = moved
    other = TeamFactory(scorecard=team.scorecard)
    working_calendar_save(team=other, country="LV", hours=EIGHT_TO_SIX)

    team_member_join(employee=agent, team=other, starts_on=FRIDAY, today=MONDAY)

    friday.refresh_from_db()
    week_before.refresh_from_db()
    # Friday 16:50-18:00 and Monday 08:00-09:20 under the new team's hours.
    assert friday.first_response_working_time == dt.timedelta(minutes=70 + 80)
    assert week_before.first_response_working_time == dt.timedelta(minutes=30)
    assert (agent.pk, FRIDAY) in set(DirtyDay.objects.values_list("employee_id", "day"))
    assert (agent.pk, FRIDAY - dt.timedelta(days=7)) not in set(
        DirtyDay.objects.values_list("employee_id", "day")
    )


def test_a_move_to_a_team_without_a_calendar_counts_the_clock_again(team, agent, moved):
    friday, week_before = moved

    team_member_join(employee=agent, team=TeamFactory(), starts_on=FRIDAY, today=MONDAY)

    friday.refresh_from_db()
    week_before.refresh_from_db()
    assert friday.first_response_working_time is None
    assert week_before.first_response_working_time == dt.timedelta(minutes=30)


def test_correcting_or_deleting_a_membership_recomputes_the_days_it_changes(team, agent, moved):
    friday, week_before = moved
    other = TeamFactory(scorecard=team.scorecard)
    working_calendar_save(team=other, country="LV", hours=EIGHT_TO_SIX)
    membership = team_member_join(
        employee=agent, team=other, starts_on=FRIDAY - dt.timedelta(days=7), today=MONDAY
    )
    week_before.refresh_from_db()
    assert week_before.first_response_working_time == dt.timedelta(minutes=150)
    DirtyDay.objects.all().delete()

    # The move was a week later than entered: the week before is the old team's again.
    team_membership_update(
        membership=membership, team=other, starts_on=FRIDAY, ends_on=None, today=MONDAY
    )
    old = TeamMembership.objects.get(employee=agent, team=team)
    team_membership_update(
        membership=old,
        team=team,
        starts_on=old.starts_on,
        ends_on=FRIDAY - dt.timedelta(days=1),
        today=MONDAY,
    )
    week_before.refresh_from_db()
    friday.refresh_from_db()
    assert week_before.first_response_working_time == dt.timedelta(minutes=30)
    assert friday.first_response_working_time == dt.timedelta(minutes=150)
    assert (agent.pk, FRIDAY - dt.timedelta(days=7)) in set(
        DirtyDay.objects.values_list("employee_id", "day")
    )

    # Entered by mistake: without a team the clock counts.
    team_membership_delete(membership=membership, today=MONDAY)
    friday.refresh_from_db()
    assert friday.first_response_working_time is None
