import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from scorecards.choices import AlertKind, ChangeKind, MetricCode
from scorecards.engine.rows import scores_compute_teams
from scorecards.forms import PeriodForm
from scorecards.models import ChangeEvent, DirtyDay, EmployeeDailyScore
from scorecards.selectors.changes import change_event_impact
from scorecards.selectors.digests import manager_digests
from scorecards.selectors.periods import Period
from scorecards.services.alerts import alert_acknowledge
from scorecards.services.changes import change_event_record, team_member_join
from scorecards.services.digests import manager_digest_send
from scorecards.significance import Verdict, compare_windows, t_critical
from staff.choices import Role
from staff.models import TeamMembership
from staff.services import membership_start
from tests.factories import (
    AlertFactory,
    ChangeEventFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

METRICS = [
    {"code": MetricCode.FCR, "target": 80, "floor": 40, "weight": 2},
    {"code": MetricCode.CSAT, "target": 90, "floor": 50},
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def version():
    return PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)


@pytest.fixture
def team(version):
    return TeamFactory(name="Riga Support", slug="riga", scorecard=version.scorecard)


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="lead"))
    team.managers.add(employee)
    return employee


@pytest.fixture
def admin_user():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    EmployeeFactory(user=user, role=Role.ADMIN)
    return user


def member(team, *, first_name: str = "", starts_on=dt.date(2020, 1, 1), **kwargs):
    user = UserFactory(first_name=first_name) if first_name else UserFactory()
    employee = EmployeeFactory(user=user, role=Role.AGENT, **kwargs)
    TeamMembershipFactory(employee=employee, team=team, starts_on=starts_on)
    return employee


def score_rows(*, team, version, rows) -> None:
    """Store employee rows [(employee, day, {code: (num, den)})] and compute the team's rows."""
    objects = []
    for employee, day, stats in rows:
        columns = {}
        for code, (num, den) in stats.items():
            columns[f"{code}_num"] = Decimal(num)
            columns[f"{code}_den"] = Decimal(den)
        objects.append(
            EmployeeDailyScoreFactory.build(
                employee=employee, team=team, version=version, day=day, **columns
            )
        )
    EmployeeDailyScore.objects.bulk_create(objects)
    days = [day for _employee, day, _stats in rows]
    scores_compute_teams(team_ids=[team.pk], date_from=min(days), date_to=max(days))


def scored_team(*, team, version, members: int, days: int, today):
    people = [member(team) for _ in range(members)]
    rows = []
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        for position, person in enumerate(people):
            fcr = 5 + (position + offset) % 5
            rows.append((person, day, {"fcr": (fcr, 10), "csat": (3 + position % 2, 4)}))
    score_rows(team=team, version=version, rows=rows)
    return people


def dashboard_url(team, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("scorecards:team_dashboard", args=[team.slug]) + (f"?{query}" if query else "")


# ---- team dashboard ------------------------------------------------------------------------


def test_team_total_is_pooled_not_averaged(client, team, version, manager, today):
    busy = member(team, first_name="Busy")
    quiet = member(team, first_name="Quiet")
    # 70 of 100 and 1 of 1 pool to 71/101 = 70.30% (score 75.74); averaging the two
    # people would give 85% and a score of 100.
    score_rows(
        team=team,
        version=version,
        rows=[(busy, today, {"fcr": (70, 100)}), (quiet, today, {"fcr": (1, 1)})],
    )
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=7))

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.current.total == Decimal("75.74")
    assert dashboard.current.band == "amber"
    fcr = {metric.code: result for metric, result in dashboard.metrics}["fcr"]
    assert (fcr.num, fcr.den) == (Decimal(71), Decimal(101))
    assert b"71 / 101" in response.content
    assert {m.employee for m in dashboard.members} == {busy, quiet}


def test_member_change_compares_with_the_period_before(client, team, version, manager, today):
    person = member(team)
    score_rows(
        team=team,
        version=version,
        rows=[
            (person, today, {"fcr": (8, 10), "csat": (9, 10)}),
            (person, today - dt.timedelta(days=7), {"fcr": (6, 10), "csat": (9, 10)}),
        ],
    )
    client.force_login(manager.user)

    dashboard = client.get(dashboard_url(team, days=7)).context["dashboard"]

    (row,) = dashboard.members
    # fcr 80% scores 100 (weight 2), csat 90% scores 100: 100 now; 60% scores 50: 66.67 before.
    assert row.current.total == Decimal("100.00")
    assert row.previous.total == Decimal("66.67")
    assert row.change == Decimal("33.33")


def test_dashboard_shows_events_of_the_team_and_everyone_not_other_teams(
    client, team, version, manager, today
):
    scored_team(team=team, version=version, members=2, days=3, today=today)
    ChangeEventFactory(team=team, day=today, title="New greeting script")
    ChangeEventFactory(team=None, day=today - dt.timedelta(days=1), title="Holiday rota")
    ChangeEventFactory(team=TeamFactory(), day=today, title="Elsewhere")
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=7))

    titles = [event.title for event in response.context["dashboard"].events]
    assert titles == ["Holiday rota", "New greeting script"]
    assert [marker["label"] for marker in response.context["chart"]["markers"]] == titles
    assert b'data-chart="team-trend"' in response.content


@pytest.mark.parametrize("role", [Role.AGENT, Role.ONBOARDING, Role.MANAGER])
def test_dashboard_is_not_found_for_anyone_but_the_teams_managers(client, team, role):
    outsider = EmployeeFactory(role=role)
    if role == Role.AGENT:
        TeamMembershipFactory(employee=outsider, team=team)
    else:
        TeamFactory().managers.add(outsider)
    client.force_login(outsider.user)

    assert client.get(dashboard_url(team)).status_code == 404


def test_admin_sees_every_team(client, team, admin_user):
    client.force_login(admin_user)

    assert client.get(dashboard_url(team)).status_code == 200
    assert client.get(reverse("scorecards:team_list")).status_code == 200


def test_dashboard_needs_sign_in(client, team):
    response = client.get(dashboard_url(team))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2024-01-10", "date_to": "2099-01-01"}, "date_to", "Enter a date from"),
        ({"date_from": "0001-01-01", "date_to": "0001-01-02"}, "date_from", "Enter a date from"),
        ({"date_from": "2024-02-10", "date_to": "2024-01-01"}, "date_from", "must not be after"),
        ({"date_from": "2020-01-01", "date_to": "2024-01-01"}, "date_from", "at most 366"),
        ({"date_from": "2024-01-01"}, "date_to", "last day of the period"),
        ({"date_from": "not-a-date", "date_to": "2024-01-01"}, "date_from", "valid date"),
    ],
)
def test_period_picker_explains_a_bad_period_at_the_field(
    client, team, manager, today, params, field, message
):
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, **params))

    assert response.status_code == 200
    form = response.context["period_form"]
    assert message in " ".join(form.errors[field])
    # The page still shows the default period instead of failing.
    assert response.context["dashboard"].period.date_to == today
    assert message.encode() in response.content


def test_custom_period_is_used(client, team, manager, today):
    client.force_login(manager.user)
    start = today - dt.timedelta(days=13)

    response = client.get(dashboard_url(team, date_from=start.isoformat(), date_to=today))

    dashboard = response.context["dashboard"]
    assert dashboard.period == Period(date_from=start, date_to=today)
    assert dashboard.previous_period.date_to == start - dt.timedelta(days=1)
    assert dashboard.previous_period.days == 14


def test_member_table_sorts_by_any_column_with_blanks_last(client, team, version, manager, today):
    low, high = member(team, first_name="Low"), member(team, first_name="High")
    member(team, first_name="Absent")
    score_rows(
        team=team,
        version=version,
        rows=[(low, today, {"fcr": (5, 10)}), (high, today, {"fcr": (9, 10)})],
    )
    client.force_login(manager.user)

    def names(sort):
        response = client.get(dashboard_url(team, days=7, sort=sort))
        return [m.employee.user.first_name for m in response.context["dashboard"].members]

    assert names("-total") == ["High", "Low", "Absent"]
    assert names("total") == ["Low", "High", "Absent"]
    assert names("-fcr") == ["High", "Low", "Absent"]
    assert names("name") == ["Absent", "High", "Low"]
    assert names("nonsense") == ["Absent", "High", "Low"]


def test_sort_links_keep_the_period_and_toggle_direction(client, team, manager):
    member(team)
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=90, sort="-total"))

    headers = {header["key"]: header for header in response.context["headers"]}
    assert "days=90" in headers["total"]["url"]
    assert "sort=total" in headers["total"]["url"]
    assert headers["total"]["aria_sort"] == "descending"
    assert "sort=-fcr" in headers["fcr"]["url"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_dashboard_names_each_metric_and_its_unit_in_the_readers_language(
    client, team, version, manager, today
):
    agent = member(team, first_name="Busy")
    score_rows(team=team, version=version, rows=[(agent, today, {"fcr": (7, 10), "csat": (9, 10)})])
    manager.language = "ru"
    manager.save(update_fields=["language"])
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=7))

    page = response.content.decode()
    # The pooled table and the member table speak Russian, with the decimal comma and units,
    # whatever label the scorecard version stores.
    assert "Решение с первого обращения" in page
    assert ">70,0\u00a0%<" in page
    assert 'title="Удовлетворённость клиентов"' in page


def test_csv_export_lists_members_and_neutralises_formulas(client, team, version, manager, today):
    sneaky = member(team, first_name="=HYPERLINK(evil)")
    score_rows(team=team, version=version, rows=[(sneaky, today, {"fcr": (8, 10)})])
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=7, format="csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # A byte-order mark first, so Excel reads the UTF-8 names.
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:4] == ["Name", "Total (points)", "Band", "Change (points)"]
    assert header[4:] == ["First contact resolution (%)", "Customer satisfaction (%)"]
    assert row[0].startswith("'=HYPERLINK(evil)")
    assert row[1] == "100.00"
    assert row[4] == "80.00"


def test_excel_export_has_real_numbers_translated_headers_and_no_formulas(
    client, team, version, manager, today
):
    import openpyxl

    sneaky = member(team, first_name="=HYPERLINK(evil)")
    score_rows(team=team, version=version, rows=[(sneaky, today, {"fcr": (8, 10)})])
    manager.language = "ru"
    manager.save()
    client.force_login(manager.user)

    response = client.get(dashboard_url(team, days=7, format="xlsx"), HTTP_ACCEPT_LANGUAGE="ru")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert header[1] == "Итог (баллы)"
    assert row[0].startswith("'=HYPERLINK(evil)")
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert row[1] == 100.0
    assert row[4] == 80.0


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_members_or_days(
    client, version, today, django_assert_max_num_queries
):
    small = TeamFactory(slug="small", scorecard=version.scorecard)
    large = TeamFactory(slug="large", scorecard=version.scorecard)
    boss = EmployeeFactory(role=Role.MANAGER)
    small.managers.add(boss)
    large.managers.add(boss)
    scored_team(team=small, version=version, members=5, days=7, today=today)
    scored_team(team=large, version=version, members=50, days=90, today=today)
    for team in (small, large):
        AlertFactory(employee=team.memberships.first().employee)
        ChangeEventFactory(team=team, day=today)
    client.force_login(boss.user)
    _count_queries(client, dashboard_url(small, days=7))

    with django_assert_max_num_queries(16):
        client.get(dashboard_url(small, days=7))
    small_week = _count_queries(client, dashboard_url(small, days=7))
    large_quarter = _count_queries(client, dashboard_url(large, days=90))
    large_week = _count_queries(client, dashboard_url(large, days=7))

    assert small_week == large_quarter == large_week


def test_a_large_team_pages_its_members_and_sorting_spans_every_page(
    client, team, version, manager, today
):
    people = [member(team, first_name=f"Member{n:02d}") for n in range(30)]
    score_rows(
        team=team,
        version=version,
        rows=[(person, today, {"fcr": (n % 10 + 1, 10)}) for n, person in enumerate(people)],
    )
    client.force_login(manager.user)

    first = client.get(dashboard_url(team, days=7))
    second = client.get(dashboard_url(team, days=7, page=2))
    best = client.get(dashboard_url(team, days=7, sort="-fcr"))
    export = client.get(dashboard_url(team, days=7, format="csv", page=2))

    names = [row["member"].employee.user.first_name for row in first.context["member_rows"]]
    assert names == [f"Member{n:02d}" for n in range(25)]
    assert first.context["dashboard"].member_count == 30
    assert "Page 1 of 2" in first.content.decode()
    assert [row["member"].employee.user.first_name for row in second.context["member_rows"]] == [
        f"Member{n:02d}" for n in range(25, 30)
    ]
    # A page's figures are the member's own, whichever page they are on.
    on_second = second.context["member_rows"][0]["member"]
    assert on_second.current.metrics["fcr"].value == Decimal(60)
    # Sorting by a figure orders every member, then pages: the best are on page one.
    top = [row["member"].current.metrics["fcr"].value for row in best.context["member_rows"]]
    assert top[:3] == [Decimal(100)] * 3
    assert len(top) == 25
    # The CSV has everyone, whatever page the user was on.
    assert len(list(csv.reader(io.StringIO(export.content.decode())))) == 31


# ---- compare teams and the team list -------------------------------------------------------


def test_compare_shows_every_visible_team_side_by_side(client, version, manager, team, today):
    scored_team(team=team, version=version, members=3, days=7, today=today)
    other = TeamFactory(name="Vilnius Sales", slug="vilnius", scorecard=version.scorecard)
    manager.managed_teams.add(other)
    scored_team(team=other, version=version, members=2, days=7, today=today)
    TeamFactory(name="Hidden team")
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:team_compare") + "?days=7")

    names = [figures.team.name for figures in response.context["comparison"].teams]
    assert names == ["Riga Support", "Vilnius Sales"]
    assert [dataset["label"] for dataset in response.context["chart"]["datasets"]] == names
    assert all(len(d["data"]) == 7 for d in response.context["chart"]["datasets"])
    assert response.context["comparison"].metric_codes == ["fcr", "csat"]
    assert b"Hidden team" not in response.content


def test_compare_query_count_does_not_grow_with_teams_or_days(
    client, version, admin_user, today, django_assert_max_num_queries
):
    first = TeamFactory(scorecard=version.scorecard)
    scored_team(team=first, version=version, members=2, days=7, today=today)
    client.force_login(admin_user)
    few = _count_queries(client, reverse("scorecards:team_compare") + "?days=7")
    for _ in range(4):
        scored_team(
            team=TeamFactory(scorecard=version.scorecard),
            version=version,
            members=3,
            days=90,
            today=today,
        )

    with django_assert_max_num_queries(10):
        client.get(reverse("scorecards:team_compare") + "?days=90")
    assert _count_queries(client, reverse("scorecards:team_compare") + "?days=90") == few


@pytest.mark.parametrize("name", ["team_compare", "team_list", "change_list", "alert_list"])
@pytest.mark.parametrize("role", [Role.AGENT, Role.ONBOARDING])
def test_team_pages_are_forbidden_to_agents_and_onboarding(client, name, role):
    client.force_login(EmployeeFactory(role=role).user)

    assert client.get(reverse(f"scorecards:{name}")).status_code == 403


def test_team_list_links_each_managed_team(client, team, manager):
    TeamFactory(name="Not mine")
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:team_list"))

    assert response.status_code == 200
    assert dashboard_url(team).encode() in response.content
    assert b"Not mine" not in response.content


# ---- change events -------------------------------------------------------------------------


def test_manager_records_a_change_for_their_team(client, team, manager, today):
    client.force_login(manager.user)

    response = client.post(
        reverse("scorecards:change_create"),
        {
            "day": today.isoformat(),
            "team": team.pk,
            "kind": ChangeKind.TRAINING,
            "title": "De-escalation training",
            "notes": "Half a day, whole team.",
        },
    )

    event = ChangeEvent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("scorecards:change_impact", args=[event.pk])
    assert (event.team, event.created_by, event.is_automatic) == (team, manager, False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"day": "2999-01-01"}, "day", "Enter a date from"),
        ({"day": "0001-01-01"}, "day", "Enter a date from"),
        ({"team": ""}, "team", "This field is required"),
        ({"title": ""}, "title", "This field is required"),
        ({"kind": ChangeKind.SCORECARD}, "kind", "Select a valid choice"),
    ],
)
def test_change_form_explains_bad_input_at_the_field(client, team, manager, data, field, message):
    client.force_login(manager.user)
    valid = {"day": "2024-03-01", "team": team.pk, "kind": ChangeKind.POLICY, "title": "New rota"}

    response = client.post(reverse("scorecards:change_create"), {**valid, **data})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ChangeEvent.objects.exists()


def test_manager_cannot_record_a_change_for_another_team(client, manager):
    client.force_login(manager.user)
    other = TeamFactory()

    response = client.post(
        reverse("scorecards:change_create"),
        {"day": "2024-03-01", "team": other.pk, "kind": ChangeKind.POLICY, "title": "Sneaky"},
    )

    assert "team" in response.context["form"].errors
    assert not ChangeEvent.objects.exists()


def test_only_an_admin_records_a_change_for_everyone(client, admin_user, manager):
    client.force_login(admin_user)
    data = {"day": "2024-03-01", "team": "", "kind": ChangeKind.POLICY, "title": "New hours"}

    assert client.post(reverse("scorecards:change_create"), data).status_code == 302
    assert ChangeEvent.objects.get().team is None

    client.force_login(manager.user)
    response = client.post(reverse("scorecards:change_create"), data)
    assert response.status_code == 200
    assert ChangeEvent.objects.count() == 1


def test_change_list_filters_by_team_and_hides_other_teams(client, team, manager):
    ChangeEventFactory(team=team, title="Ours")
    ChangeEventFactory(team=None, title="For everyone")
    ChangeEventFactory(team=TeamFactory(), title="Theirs")
    client.force_login(manager.user)

    everything = client.get(reverse("scorecards:change_list"))
    filtered = client.get(reverse("scorecards:change_list") + f"?team={team.pk}")

    assert {e.title for e in everything.context["page"].object_list} == {"Ours", "For everyone"}
    assert [e.title for e in filtered.context["page"].object_list] == ["Ours"]


def test_change_record_refuses_a_future_day_but_automatic_events_may_be_planned(team, today):
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        change_event_record(day=tomorrow, team=team, kind=ChangeKind.POLICY, title="Soon")
    assert "day" in error.value.message_dict

    planned = change_event_record(
        day=tomorrow, team=team, kind=ChangeKind.NEW_HIRE, title="Joins", is_automatic=True
    )
    assert planned.day == tomorrow


def test_impact_pools_fourteen_days_before_and_after(client, team, version, manager):
    day = dt.date(2024, 6, 15)
    person = member(team)
    rows = []
    for offset in range(1, 15):
        rows.append((person, day - dt.timedelta(days=offset), {"fcr": (5, 10), "csat": (1, 2)}))
        rows.append((person, day + dt.timedelta(days=offset - 1), {"fcr": (8, 10), "csat": (1, 2)}))
    # Outside both windows: must not count.
    rows.append((person, day - dt.timedelta(days=15), {"fcr": (0, 100)}))
    score_rows(team=team, version=version, rows=rows)
    event = ChangeEventFactory(team=team, day=day, title="Coaching")
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:change_impact", args=[event.pk]))

    impact = response.context["impact"]
    by_code = {metric.code: metric for metric in impact.metrics}
    assert (by_code["fcr"].before.num, by_code["fcr"].before.den) == (70, 140)
    assert (by_code["fcr"].after.num, by_code["fcr"].after.den) == (112, 140)
    assert by_code["fcr"].difference == Decimal(30)
    assert by_code["fcr"].comparison.verdict is Verdict.CHANGED
    assert by_code["fcr"].is_improvement is True
    assert by_code["csat"].comparison.verdict is Verdict.NO_CLEAR_CHANGE
    assert impact.before.total is not None
    assert impact.after.total > impact.before.total
    assert b"Larger than noise?" in response.content


def test_impact_of_a_change_for_everyone_pools_every_team(version, today):
    day = dt.date(2024, 6, 15)
    other_version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)
    first = TeamFactory(scorecard=version.scorecard)
    second = TeamFactory(scorecard=other_version.scorecard)
    score_rows(team=first, version=version, rows=[(member(first), day, {"fcr": (3, 4)})])
    score_rows(team=second, version=other_version, rows=[(member(second), day, {"fcr": (1, 4)})])
    event = ChangeEventFactory(team=None, day=day)

    impact = change_event_impact(event=event, today=today)

    (fcr,) = impact.metrics
    assert (fcr.after.num, fcr.after.den) == (4, 8)
    assert fcr.comparison.verdict is Verdict.NOT_ENOUGH_DATA
    assert impact.version is None
    assert impact.after.total is None


def test_impact_page_is_not_found_for_another_teams_manager_and_agents(client, team, manager):
    event = ChangeEventFactory(team=TeamFactory())
    everyone = ChangeEventFactory(team=None)
    agent = member(team)
    client.force_login(manager.user)

    assert client.get(reverse("scorecards:change_impact", args=[event.pk])).status_code == 404
    assert client.get(reverse("scorecards:change_impact", args=[everyone.pk])).status_code == 200
    client.force_login(agent.user)
    assert client.get(reverse("scorecards:change_impact", args=[everyone.pk])).status_code == 404


def test_impact_query_count_does_not_grow_with_days_or_teams(
    client, version, admin_user, django_assert_max_num_queries
):
    day = dt.date(2024, 6, 15)
    for _ in range(3):
        team = TeamFactory(scorecard=version.scorecard)
        people = [member(team) for _ in range(4)]
        score_rows(
            team=team,
            version=version,
            rows=[
                (person, day + dt.timedelta(days=offset), {"fcr": (1, 2)})
                for person in people
                for offset in range(-14, 14)
            ],
        )
    client.force_login(admin_user)
    event = ChangeEventFactory(team=team, day=day)
    everyone = ChangeEventFactory(team=None, day=day)

    with django_assert_max_num_queries(10):
        client.get(reverse("scorecards:change_impact", args=[event.pk]))
    assert _count_queries(
        client, reverse("scorecards:change_impact", args=[everyone.pk])
    ) <= _count_queries(client, reverse("scorecards:change_impact", args=[event.pk]))


# ---- joining a team ------------------------------------------------------------------------


def test_joining_a_team_ends_the_old_membership_and_records_the_change(team, manager, today):
    old_team = TeamFactory()
    person = member(old_team, first_name="Ilze", starts_on=dt.date(2023, 1, 1))
    starts_on = today - dt.timedelta(days=2)

    membership = team_member_join(
        employee=person, team=team, starts_on=starts_on, recorded_by=manager
    )

    old = TeamMembership.objects.get(employee=person, team=old_team)
    assert old.ends_on == starts_on - dt.timedelta(days=1)
    assert (membership.team, membership.starts_on, membership.ends_on) == (team, starts_on, None)
    event = ChangeEvent.objects.get()
    assert (event.team, event.day, event.kind, event.is_automatic) == (
        team,
        starts_on,
        ChangeKind.NEW_HIRE,
        True,
    )
    assert "Ilze" in event.title
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {
        starts_on + dt.timedelta(days=n) for n in range(3)
    }


def test_joining_refuses_an_overlap_and_writes_nothing(team, today):
    person = member(TeamFactory(), starts_on=today)

    with pytest.raises(ValidationError) as error:
        team_member_join(employee=person, team=team, starts_on=today - dt.timedelta(days=5))

    assert "starts_on" in error.value.message_dict
    assert TeamMembership.objects.filter(employee=person).count() == 1
    assert not ChangeEvent.objects.exists()


def test_membership_start_refuses_the_team_the_employee_is_already_in(team):
    person = member(team)

    with pytest.raises(ValidationError) as error:
        membership_start(employee=person, team=team, starts_on=dt.date(2024, 1, 1))

    assert "team" in error.value.message_dict


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


# ---- significance --------------------------------------------------------------------------


def test_two_proportion_test_matches_a_worked_example():
    # 60/100 against 75/100: pooled p = 0.675, z = 0.15 / sqrt(0.675·0.325·0.02) = 2.2646.
    comparison = compare_windows(code="fcr", before=(60, 100), after=(75, 100))

    assert comparison.verdict is Verdict.CHANGED
    assert comparison.statistic == pytest.approx(2.2646, abs=1e-4)


def test_a_small_difference_is_no_clear_change():
    comparison = compare_windows(code="csat", before=(80, 100), after=(84, 100))

    assert comparison.verdict is Verdict.NO_CLEAR_CHANGE


@pytest.mark.parametrize(
    ("before", "after"),
    [((5, 19), (15, 19)), ((2, 50), (1, 50)), ((50, 50), (50, 50))],
)
def test_small_samples_or_rare_outcomes_are_not_enough_data(before, after):
    assert compare_windows(code="fcr", before=before, after=after).verdict is (
        Verdict.NOT_ENOUGH_DATA
    )


def test_waiting_times_use_a_welch_comparison():
    # 30 answers averaging 10 minutes against 30 averaging 20: sd = mean, so
    # t = 10 / sqrt(100/30 + 400/30) = 2.449, beyond t(42.6 df) = 2.017.
    comparison = compare_windows(code="first_response_minutes", before=(300, 30), after=(600, 30))

    assert comparison.verdict is Verdict.CHANGED
    assert comparison.statistic == pytest.approx(2.4495, abs=1e-4)
    assert comparison.degrees_of_freedom == pytest.approx(42.65, abs=0.01)


def test_qa_means_use_the_widest_spread_their_range_allows():
    # Means 70 and 75 out of 100 with the Bhatia-Davis bound: too close to call on 25 reviews.
    close = compare_windows(code="qa", before=(1750, 25), after=(1875, 25))
    far = compare_windows(code="qa", before=(1250, 25), after=(2250, 25))

    assert close.verdict is Verdict.NO_CLEAR_CHANGE
    assert far.verdict is Verdict.CHANGED


def test_identical_windows_at_a_bound_are_no_change():
    assert compare_windows(code="qa", before=(2500, 25), after=(2500, 25)).verdict is (
        Verdict.NO_CLEAR_CHANGE
    )


@pytest.mark.parametrize(("df", "exact"), [(5, 2.5706), (10, 2.2281), (30, 2.0423), (1000, 1.9623)])
def test_t_critical_is_close_to_the_table(df, exact):
    assert t_critical(degrees_of_freedom=df) == pytest.approx(exact, rel=5e-3)


def test_period_choices_speak_the_language_of_the_request():
    with translation.override("lv"):
        labels = dict(PeriodForm(today=dt.date(2026, 3, 1)).fields["days"].choices)
    assert labels[7] == "Pēdējās 7 dienas"


def test_manager_edits_and_deletes_a_change_of_their_team(client, team, manager, today):
    event = ChangeEventFactory(team=team, title="Rota", kind=ChangeKind.POLICY, day=today)
    client.force_login(manager.user)
    impact = client.get(reverse("scorecards:change_impact", args=[event.pk]))
    assert impact.context["can_change"] is True

    edit = reverse("scorecards:change_edit", args=[event.pk])
    assert client.get(edit).context["form"].initial["title"] == "Rota"
    bad = client.post(edit, {"day": "2999-01-01", "team": team.pk, "kind": "policy", "title": ""})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"day", "title"}
    event.refresh_from_db()
    assert event.title == "Rota"

    data = {"day": today.isoformat(), "team": team.pk, "kind": "policy", "title": "New rota"}
    response = client.post(edit, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New rota"

    delete = reverse("scorecards:change_delete", args=[event.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not ChangeEvent.objects.exists()


def test_a_manager_cannot_change_everyones_or_automatic_or_other_teams_changes(
    client, team, manager
):
    client.force_login(manager.user)
    for event in (
        ChangeEventFactory(team=None, title="For everyone"),
        ChangeEventFactory(team=team, title="Published", is_automatic=True),
        ChangeEventFactory(team=TeamFactory(), title="Theirs"),
    ):
        assert client.get(reverse("scorecards:change_edit", args=[event.pk])).status_code == 404
        assert client.post(reverse("scorecards:change_delete", args=[event.pk])).status_code == 404
    assert ChangeEvent.objects.count() == 3


def test_a_member_table_cell_opens_the_persons_figures_for_the_period(
    client, team, version, manager, today
):
    person = member(team, first_name="Cell")
    score_rows(team=team, version=version, rows=[(person, today, {"fcr": (8, 10)})])
    client.force_login(manager.user)

    html = client.get(dashboard_url(team, days=7)).content.decode()

    target = reverse("scorecards:agent_detail", args=[person.pk]) + "?days=7#metric-fcr"
    assert f'href="{target}"' in html
    page = client.get(target.split("#")[0]).content.decode()
    assert 'id="metric-fcr"' in page
