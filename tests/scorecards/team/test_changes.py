"""Change events: recording, editing, their impact and its significance; joining a team."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scorecards.choices import ChangeKind
from scorecards.models import ChangeEvent, DirtyDay
from scorecards.selectors.changes import change_event_impact
from scorecards.services.changes import change_event_record, team_member_join
from scorecards.significance import Verdict, compare_windows, t_critical
from staff.models import TeamMembership
from staff.services import membership_start
from tests.factories import ChangeEventFactory, PublishedVersionFactory, TeamFactory
from tests.scorecards.team.helpers import METRICS, count_queries, member, score_rows

pytestmark = pytest.mark.django_db


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
    assert count_queries(
        client, reverse("scorecards:change_impact", args=[everyone.pk])
    ) <= count_queries(client, reverse("scorecards:change_impact", args=[event.pk]))


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
