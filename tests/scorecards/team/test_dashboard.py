"""The team dashboard, its exports, the comparison of teams and the team list."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from scorecards.forms import PeriodForm
from scorecards.selectors.periods import Period
from staff.choices import Role
from tests.factories import (
    AlertFactory,
    ChangeEventFactory,
    EmployeeFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.scorecards.team.helpers import (
    count_queries,
    dashboard_url,
    member,
    score_rows,
    scored_team,
)

pytestmark = pytest.mark.django_db


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
    count_queries(client, dashboard_url(small, days=7))

    with django_assert_max_num_queries(16):
        client.get(dashboard_url(small, days=7))
    small_week = count_queries(client, dashboard_url(small, days=7))
    large_quarter = count_queries(client, dashboard_url(large, days=90))
    large_week = count_queries(client, dashboard_url(large, days=7))

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
    few = count_queries(client, reverse("scorecards:team_compare") + "?days=7")
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
    assert count_queries(client, reverse("scorecards:team_compare") + "?days=90") == few


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


def test_period_choices_speak_the_language_of_the_request():
    with translation.override("lv"):
        labels = dict(PeriodForm(today=dt.date(2026, 3, 1)).fields["days"].choices)
    assert labels[7] == "Pēdējās 7 dienas"


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
