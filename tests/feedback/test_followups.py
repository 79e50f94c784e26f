import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import qa_selectors
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import EmployeeFactory, InteractionFactory, TeamFactory, TeamMembershipFactory


@pytest.fixture
def today():
    return qa_selectors.today()


def follow_up(employee, due: dt.date, **fields):
    opened = timezone.now() - dt.timedelta(days=10)
    return InteractionFactory(
        employee=employee,
        opened_at=opened,
        first_response_at=opened,
        follow_up_due=due,
        **fields,
    )


@pytest.mark.django_db
def test_my_follow_ups_separate_overdue_today_and_later_and_highlight_overdue(
    client, agent, today, django_assert_max_num_queries
):
    late = follow_up(agent, today - dt.timedelta(days=2))
    due = follow_up(agent, today)
    later = follow_up(agent, today + dt.timedelta(days=3))
    follow_up(agent, today - dt.timedelta(days=1), follow_up_done_at=timezone.now())
    follow_up(EmployeeFactory(role=Role.AGENT), today)
    client.force_login(agent.user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("qa:my_follow_ups"))

    assert response.context["overdue"] == [late]
    assert response.context["due_today"] == [due]
    assert response.context["upcoming"] == [later]
    html = response.content.decode()
    assert 'class="table-danger"' in html
    assert "Overdue" in html


@pytest.mark.django_db
def test_mark_done_is_one_post_through_the_interaction_service(client, agent, today):
    due = follow_up(agent, today)
    client.force_login(agent.user)
    DirtyDay.objects.all().delete()

    response = client.post(
        reverse("qa:follow_up_done", args=[due.pk]), {"next": reverse("qa:my_follow_ups")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("qa:my_follow_ups")
    due.refresh_from_db()
    assert due.follow_up_done_at is not None
    assert (agent.pk, today) in set(DirtyDay.objects.values_list("employee_id", "day"))
    page = client.get(reverse("qa:my_follow_ups"))
    assert page.context["due_today"] == []
    assert list(page.context["done_today"]) == [due]


@pytest.mark.django_db
def test_mark_done_needs_post_and_refuses_other_agents(client, agent, today):
    other = EmployeeFactory(role=Role.AGENT)
    theirs = follow_up(other, today)
    client.force_login(agent.user)
    assert client.get(reverse("qa:follow_up_done", args=[theirs.pk])).status_code == 405
    assert client.post(reverse("qa:follow_up_done", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.follow_up_done_at is None


@pytest.mark.django_db
def test_an_interaction_without_follow_up_cannot_be_marked_done(client, agent):
    plain = InteractionFactory(employee=agent)
    client.force_login(agent.user)
    response = client.post(reverse("qa:follow_up_done", args=[plain.pk]), follow=True)
    assert "This interaction has no follow-up." in response.content.decode()
    plain.refresh_from_db()
    assert plain.follow_up_done_at is None


@pytest.mark.django_db
def test_managers_see_their_teams_overdue_follow_ups_and_open_escalations_only(
    client, agent, manager, today, django_assert_max_num_queries
):
    late = follow_up(agent, today - dt.timedelta(days=1))
    follow_up(agent, today)  # due today: not overdue yet
    escalated = InteractionFactory(employee=agent, is_escalated=True)
    InteractionFactory(
        employee=agent,
        is_escalated=True,
        resolved_at=timezone.now() - dt.timedelta(minutes=5),
    )
    elsewhere = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=elsewhere, team=TeamFactory())
    follow_up(elsewhere, today - dt.timedelta(days=1))
    InteractionFactory(employee=elsewhere, is_escalated=True)
    client.force_login(manager.user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("qa:team_follow_ups"))

    assert list(response.context["overdue"]) == [late]
    assert list(response.context["escalations"]) == [escalated]


@pytest.mark.django_db
def test_manager_can_mark_a_team_members_follow_up_done(client, agent, manager, today):
    late = follow_up(agent, today - dt.timedelta(days=1))
    client.force_login(manager.user)
    client.post(reverse("qa:follow_up_done", args=[late.pk]))
    late.refresh_from_db()
    assert late.follow_up_done_at is not None


@pytest.mark.django_db
def test_agents_cannot_open_the_team_page(client, agent):
    client.force_login(agent.user)
    assert client.get(reverse("qa:team_follow_ups")).status_code == 403
