import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession
from scorecards.choices import MetricCode
from staff.choices import Role
from tests.factories import (
    CoachingActionFactory,
    CoachingSessionFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    TeamFactory,
    TeamMembershipFactory,
)


@pytest.fixture
def outsider_session(db):
    """A session between a manager and an agent of another team."""
    team = TeamFactory()
    other_manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(other_manager)
    other_agent = EmployeeFactory()
    TeamMembershipFactory(employee=other_agent, team=team)
    return CoachingSessionFactory(agent=other_agent, coach=other_manager)


def _post_session(client, agent, **extra):
    today = timezone.localdate()
    data = {
        "agent": agent.pk,
        "held_on": today.isoformat(),
        "notes": "We listened to the call together.",
        "metrics": [MetricCode.FCR],
        "follow_up_on": (today + dt.timedelta(days=14)).isoformat(),
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Use the checklist on every call",
        "actions-0-owner": "agent",
        "actions-0-due_on": (today + dt.timedelta(days=7)).isoformat(),
        **extra,
    }
    return client.post(f"{reverse('coaching:session_new')}?agent={agent.pk}", data)


@pytest.mark.django_db
def test_manager_records_a_session_from_a_review_and_sees_it(
    client, agent, manager, review, criteria
):
    client.force_login(manager.user)
    detail = client.get(reverse("qa:review_detail", args=[review.pk]))
    assert b'data-testid="coach-from-review"' in detail.content
    url = f"{reverse('coaching:session_new')}?agent={agent.pk}&review={review.pk}"
    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["reviews"] == [review.pk]
    # The weak criterion (rated 1) is proposed as a topic.
    assert initial["criteria"] == [criteria["solving"].pk]
    response = _post_session(client, agent, reviews=[review.pk], criteria=[criteria["solving"].pk])
    session = CoachingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:session_detail", args=[session.pk])
    assert list(session.reviews.all()) == [review]
    assert session.actions.get().owner == agent
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="impact-table"' in page.content


@pytest.mark.django_db
def test_invalid_session_shows_errors_at_the_fields_and_writes_nothing(
    client, agent, manager, version
):
    client.force_login(manager.user)
    response = _post_session(
        client,
        agent,
        notes="",
        held_on="2999-01-01",
        **{"actions-1-description": "No date", "actions-1-owner": "agent"},
    )
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    assert "held_on" in response.context["form"].errors
    assert "due_on" in response.context["formset"].forms[1].errors
    assert not CoachingSession.objects.exists()


@pytest.mark.django_db
def test_a_past_follow_up_is_refused_by_the_service_at_its_field(client, agent, manager, version):
    client.force_login(manager.user)
    response = _post_session(
        client, agent, follow_up_on=(timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )
    assert response.status_code == 200
    assert "follow_up_on" in response.context["form"].errors
    assert not CoachingSession.objects.exists()


@pytest.mark.django_db
def test_agent_sees_acknowledges_and_comments_on_own_session_only(
    client, agent, manager, outsider_session
):
    session = CoachingSessionFactory(agent=agent, coach=manager)
    client.force_login(agent.user)
    listing = client.get(reverse("coaching:session_list"))
    assert [s.pk for s in listing.context["page"]] == [session.pk]
    assert "overview" not in listing.context
    url = reverse("coaching:session_detail", args=[session.pk])
    assert b"I have read this session" in client.get(url).content
    response = client.post(
        reverse("coaching:session_acknowledge", args=[session.pk]), {"comment": "Agreed."}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.acknowledged_at is not None
    assert session.agent_comment == "Agreed."
    assert (
        client.get(reverse("coaching:session_detail", args=[outsider_session.pk])).status_code
        == 404
    )
    assert client.get(reverse("coaching:session_new")).status_code == 403


@pytest.mark.django_db
def test_manager_cannot_see_or_acknowledge_other_teams_sessions(
    client, agent, manager, outsider_session
):
    client.force_login(manager.user)
    assert (
        client.get(reverse("coaching:session_detail", args=[outsider_session.pk])).status_code
        == 404
    )
    response = client.get(f"{reverse('coaching:session_new')}?agent={outsider_session.agent_id}")
    assert response.status_code == 404
    own = CoachingSessionFactory(agent=agent, coach=manager)
    response = client.post(reverse("coaching:session_acknowledge", args=[own.pk]))
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.acknowledged_at is None


@pytest.mark.django_db
def test_actions_appear_in_the_follow_up_lists_and_are_marked_done(client, agent, manager):
    today = timezone.localdate()
    session = CoachingSessionFactory(
        agent=agent, coach=manager, held_on=today - dt.timedelta(days=9)
    )
    action = CoachingActionFactory(
        session=session,
        owner=agent,
        due_on=today - dt.timedelta(days=2),
        description="Re-read the refund policy",
    )
    client.force_login(agent.user)
    mine = client.get(reverse("qa:my_follow_ups"))
    assert b"Re-read the refund policy" in mine.content
    assert b'data-testid="followups-coaching"' in mine.content
    client.force_login(manager.user)
    team = client.get(reverse("qa:team_follow_ups"))
    assert b"Re-read the refund policy" in team.content
    response = client.post(reverse("coaching:action_done", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None
    assert b"Re-read the refund policy" not in client.get(reverse("qa:team_follow_ups")).content


@pytest.mark.django_db
def test_session_is_marked_on_the_agents_trend(client, agent, manager, team, version):
    today = timezone.localdate()
    session = CoachingSessionFactory(
        agent=agent, coach=manager, held_on=today - dt.timedelta(days=5)
    )
    EmployeeDailyScoreFactory(
        employee=agent, team=team, version=version, day=today - dt.timedelta(days=5)
    )
    client.force_login(manager.user)
    page = client.get(reverse("scorecards:agent_detail", args=[agent.pk]))
    chart = page.context["trend_chart"]
    assert len(chart["markers"]) == 1
    assert chart["labels"][chart["markers"][0]["x"]]
    assert reverse("coaching:session_detail", args=[session.pk]).encode() in page.content
    client.force_login(agent.user)
    assert len(client.get(reverse("scorecards:me")).context["trend_chart"]["markers"]) == 1


@pytest.mark.django_db
def test_overview_and_list_for_a_manager_with_search_and_sort(client, agent, manager, version):
    CoachingSessionFactory(agent=agent, coach=manager, notes="Tone of voice")
    CoachingSessionFactory(
        agent=agent,
        coach=manager,
        notes="Refunds",
        held_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(manager.user)
    response = client.get(reverse("coaching:session_list"), {"q": "refund", "sort": "held_on"})
    assert [s.notes for s in response.context["page"]] == ["Refunds"]
    assert response.context["overview"].per_agent[0].sessions == 2
    response = client.get(
        reverse("coaching:session_list"), {"days": "x", "quiet": "7", "sort": "bad"}
    )
    assert response.status_code == 200
    assert response.context["days"] == 30


@pytest.mark.django_db
def test_session_pages_keep_their_query_count(
    client, agent, manager, review, criteria, django_assert_max_num_queries
):
    sessions = [
        CoachingSessionFactory(
            agent=agent, coach=manager, held_on=timezone.localdate() - dt.timedelta(days=n)
        )
        for n in range(5)
    ]
    for session in sessions:
        session.reviews.add(review)
        session.criteria.add(criteria["solving"])
        CoachingActionFactory(session=session)
    client.force_login(manager.user)
    with django_assert_max_num_queries(25):
        client.get(reverse("coaching:session_list"))
    with django_assert_max_num_queries(25):
        client.get(reverse("coaching:session_detail", args=[sessions[0].pk]))
