"""The agent marks a published review read; reviewers and managers see who has not."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback import qa_selectors, qa_services
from feedback.choices import ReviewAction
from tests.factories import EmployeeFactory, InteractionFactory, PublishedVersionFactory


@pytest.fixture
def published(agent, manager, team):
    version = PublishedVersionFactory(scorecard=team.scorecard, criteria=[{"code": "greeting"}])
    criterion = version.qa_criteria.get()
    opened = timezone.now() - dt.timedelta(hours=3)
    interaction = InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )
    draft = qa_services.qa_review_start(interaction=interaction, reviewer=manager)
    return qa_services.qa_review_save_and_publish(
        review=draft, actor=manager, ratings={criterion.pk: (3, "")}
    )


@pytest.mark.django_db
def test_only_the_agent_marks_a_published_review_read_once_and_the_history_says_so(
    agent, manager, published
):
    first = timezone.now() - dt.timedelta(minutes=5)
    qa_services.qa_review_mark_seen(review=published, agent=agent, now=first)
    qa_services.qa_review_mark_seen(review=published, agent=agent)
    published.refresh_from_db()
    assert published.seen_at == first
    assert list(
        published.events.filter(action=ReviewAction.SEEN).values_list("actor", flat=True)
    ) == [agent.pk]
    with pytest.raises(ValidationError):
        qa_services.qa_review_mark_seen(review=published, agent=manager)


@pytest.mark.django_db
def test_a_draft_cannot_be_marked_read(agent, manager, team):
    PublishedVersionFactory(scorecard=team.scorecard)
    draft = qa_services.qa_review_start(
        interaction=InteractionFactory(employee=agent), reviewer=manager
    )
    with pytest.raises(ValidationError):
        qa_services.qa_review_mark_seen(review=draft, agent=agent)


@pytest.mark.django_db
def test_reviewer_sees_who_has_not_read_and_the_agent_marks_it_from_the_page(
    client, agent, manager, published
):
    client.force_login(manager.user)
    queue = client.get(reverse("qa:queue"))
    assert queue.context["unread_count"] == 1
    unread = client.get(reverse("qa:my_reviews"), {"seen": "no"})
    assert list(unread.context["page"]) == [published]
    assert (
        b"Not read by the agent yet"
        in client.get(reverse("qa:review_detail", args=[published.pk])).content
    )
    # Only the agent may mark it: anyone else gets 404 and nothing changes.
    assert client.post(reverse("qa:review_seen", args=[published.pk])).status_code == 404

    client.force_login(agent.user)
    page = client.get(reverse("qa:review_detail", args=[published.pk]))
    assert page.context["can_mark_seen"]
    response = client.post(reverse("qa:review_seen", args=[published.pk]))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.seen_at is not None
    assert not client.get(reverse("qa:review_detail", args=[published.pk])).context["can_mark_seen"]

    client.force_login(manager.user)
    assert client.get(reverse("qa:queue")).context["unread_count"] == 0
    assert list(client.get(reverse("qa:my_reviews"), {"seen": "yes"}).context["page"]) == [
        published
    ]
    assert (
        b"Read by the agent" in client.get(reverse("qa:review_detail", args=[published.pk])).content
    )


@pytest.mark.django_db
def test_review_list_sorts_unread_first(client, agent, manager, published, team):
    other = EmployeeFactory()
    team.memberships.create(employee=other, starts_on=dt.date(2020, 1, 1))
    read = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(
            interaction=InteractionFactory(employee=other), reviewer=manager
        ),
        actor=manager,
        ratings={published.ratings.get().criterion_id: (2, "")},
    )
    qa_services.qa_review_mark_seen(review=read, agent=other)
    reviews = list(qa_selectors.review_list(user=manager.user, sort="seen"))
    assert reviews == [published, read]
