import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Interaction
from feedback import qa_selectors, qa_services
from feedback.choices import ReviewAction, ReviewStatus
from feedback.models import QAReview
from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)

CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1, "examples": "Hi, I am"},
    {"code": "solving", "label": "Problem solving", "weight": 2, "position": 2},
    {"code": "courtesy", "label": "Courtesy", "weight": 1, "position": 3, "is_critical": True},
]


@pytest.fixture
def criteria(team):
    version = PublishedVersionFactory(scorecard=team.scorecard, criteria=CRITERIA)
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


@pytest.fixture
def resolved(agent):
    opened = timezone.now() - dt.timedelta(hours=3)
    return InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )


@pytest.fixture
def draft(resolved, manager, criteria):
    return qa_services.qa_review_start(interaction=resolved, reviewer=manager)


@pytest.fixture
def published(draft, manager, criteria):
    ratings = {criterion.pk: (3, "") for criterion in criteria.values()}
    return qa_services.qa_review_save_and_publish(review=draft, actor=manager, ratings=ratings)


@pytest.fixture
def outsider():
    """A manager and an agent of another team."""
    team = TeamFactory()
    PublishedVersionFactory(scorecard=team.scorecard, criteria=[{"code": "x"}])
    manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(manager)
    agent = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=agent, team=team)
    return manager, agent


def form_data(criteria, **ratings) -> dict:
    data = {"comment": "Overall fine"}
    for code, value in ratings.items():
        data[f"rating_{criteria[code].pk}"] = value
        data[f"comment_{criteria[code].pk}"] = f"about {code}"
    return data


# ---- review form -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_form_shows_rule_text_examples_and_the_scripted_live_total(
    client, manager, draft, django_assert_max_num_queries
):
    client.force_login(manager.user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("qa:review_edit", args=[draft.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Problem solving" in content
    assert "Hi, I am" in content
    assert 'id="qa-criteria"' in content
    assert "js/qa.js" in content
    assert "<script>" not in content.replace('<script id="qa-criteria"', "")


@pytest.mark.django_db
def test_save_draft_then_publish_through_the_page(client, manager, agent, draft, criteria):
    client.force_login(manager.user)
    url = reverse("qa:review_edit", args=[draft.pk])

    response = client.post(url, {**form_data(criteria, greeting="4"), "action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT
    assert draft.total == Decimal("100.00")

    response = client.post(
        url, {**form_data(criteria, greeting="4", solving="na", courtesy="2"), "action": "publish"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.PUBLISHED
    assert draft.total == Decimal("75.00")
    assert draft.ratings.get(criterion=criteria["greeting"]).comment == "about greeting"


@pytest.mark.django_db
def test_publishing_with_a_blank_criterion_shows_the_error_at_that_field(
    client, manager, draft, criteria
):
    client.force_login(manager.user)
    response = client.post(
        reverse("qa:review_edit", args=[draft.pk]),
        {**form_data(criteria, greeting="4", courtesy="2"), "action": "publish"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"rating_{criteria['solving'].pk}"] == [
        "Rate this criterion or mark it N/A."
    ]
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT
    assert not draft.ratings.exists()


@pytest.mark.django_db
def test_a_rating_outside_the_choices_is_refused_at_the_field(client, manager, draft, criteria):
    client.force_login(manager.user)
    response = client.post(
        reverse("qa:review_edit", args=[draft.pk]),
        {**form_data(criteria, greeting="7"), "action": "save"},
    )
    assert response.status_code == 200
    assert f"rating_{criteria['greeting'].pk}" in response.context["form"].errors
    assert not draft.ratings.exists()


# ---- permissions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_agent_sees_own_published_review_but_not_drafts_or_other_agents(
    client, agent, draft, published, outsider
):
    client.force_login(agent.user)
    assert client.get(reverse("qa:review_detail", args=[published.pk])).status_code == 200
    other_review = qa_services.qa_review_start(
        interaction=InteractionFactory(employee=outsider[1]), reviewer=outsider[0]
    )
    assert client.get(reverse("qa:review_detail", args=[other_review.pk])).status_code == 404
    response = client.get(reverse("qa:my_reviews"))
    assert list(response.context["page"]) == [published]


@pytest.mark.django_db
def test_agent_cannot_see_a_draft_of_their_own_work(client, agent, draft):
    client.force_login(agent.user)
    assert client.get(reverse("qa:review_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("qa:review_edit", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_agents_cannot_use_reviewer_pages(client, agent, resolved):
    client.force_login(agent.user)
    for name in ("qa:queue", "qa:calibration_list", "qa:consistency", "qa:team_follow_ups"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("qa:interaction_review_start", args=[resolved.pk]))
    assert response.status_code == 403
    assert not QAReview.objects.exists()


@pytest.mark.django_db
def test_manager_of_another_team_gets_404_everywhere(client, published, resolved, outsider):
    client.force_login(outsider[0].user)
    for name in ("qa:review_detail", "qa:review_edit", "qa:review_resolve"):
        assert client.get(reverse(name, args=[published.pk])).status_code == 404
    assert client.get(reverse("qa:calibration_detail", args=[resolved.pk])).status_code == 404
    assert client.post(reverse("qa:interaction_flag", args=[resolved.pk])).status_code == 404
    assert client.post(reverse("qa:follow_up_done", args=[resolved.pk])).status_code == 404
    resolved.refresh_from_db()
    assert not resolved.is_flagged_for_review


@pytest.mark.django_db
def test_only_the_reviewer_edits_a_draft(client, draft, team):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    client.force_login(colleague.user)
    assert client.get(reverse("qa:review_edit", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_login(client, published):
    response = client.get(reverse("qa:review_detail", args=[published.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_dispute_names_its_criteria_in_the_readers_language(
    client, agent, manager, resolved, team
):
    translated = {**CRITERIA[0], "translations": {"ru": {"label": "Приветствие"}}}
    version = PublishedVersionFactory(scorecard=team.scorecard, criteria=[translated])
    greeting = version.qa_criteria.get()
    review = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(interaction=resolved, reviewer=manager),
        actor=manager,
        ratings={greeting.pk: (3, "")},
    )
    qa_services.qa_review_dispute(
        review=review, agent=agent, proposals={greeting.pk: (4, "As the script says.")}
    )
    colleague = EmployeeFactory(role=Role.MANAGER, language="ru")
    team.managers.add(colleague)
    client.force_login(colleague.user)

    resolve = client.get(reverse("qa:review_resolve", args=[review.pk])).content.decode()
    assert '<legend class="h6 float-none w-auto px-1 mb-1">Приветствие</legend>' in resolve
    assert "3 — Хорошо" in resolve
    detail = client.get(reverse("qa:review_detail", args=[review.pk])).content.decode()
    assert '<th scope="row" class="fw-normal">Приветствие</th>' in detail


# ---- dispute and resolution through the pages ------------------------------------------------


@pytest.mark.django_db
def test_dispute_and_resolution_through_the_pages(
    client, agent, manager, published, criteria, team
):
    client.force_login(agent.user)
    detail = reverse("qa:review_detail", args=[published.pk])
    assert client.get(detail).context["can_dispute"]
    dispute = reverse("qa:review_dispute", args=[published.pk])

    empty = client.post(dispute, {"reason": "I followed the script."})
    assert empty.status_code == 400
    assert empty.context["dispute_form"].non_field_errors()
    greeting = criteria["greeting"].pk
    no_rating = client.post(dispute, {f"dispute_{greeting}": "on", f"reason_{greeting}": "x"})
    assert f"proposed_{greeting}" in no_rating.context["dispute_form"].errors
    published.refresh_from_db()
    assert published.status == ReviewStatus.PUBLISHED

    data = {"reason": "I followed the script."}
    for criterion in criteria.values():
        data |= {
            f"dispute_{criterion.pk}": "on",
            f"proposed_{criterion.pk}": "4",
            f"reason_{criterion.pk}": "As the script says.",
        }
    response = client.post(dispute, data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == ReviewStatus.DISPUTED
    assert published.dispute_items.count() == 3
    assert not client.get(detail).context["can_dispute"]
    again = client.post(dispute, data)
    assert again.status_code == 400
    assert client.get(reverse("qa:review_resolve", args=[published.pk])).status_code == 403

    # The author does not decide the dispute of their own review; a colleague does.
    client.force_login(manager.user)
    resolve = reverse("qa:review_resolve", args=[published.pk])
    assert client.get(resolve).status_code == 404
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    client.force_login(colleague.user)
    assert client.get(resolve).status_code == 200
    decisions = {"note": "You are right."}
    for criterion in criteria.values():
        decisions |= {f"outcome_{criterion.pk}": "adjusted", f"rating_{criterion.pk}": "4"}
    missing = client.post(resolve, {**decisions, f"rating_{greeting}": ""})
    assert f"rating_{greeting}" in missing.context["form"].errors
    response = client.post(resolve, decisions)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == ReviewStatus.RESOLVED
    assert published.total == Decimal("100.00")

    client.force_login(agent.user)
    page = client.get(detail)
    assert [e.action for e in page.context["events"]][-2:] == [
        ReviewAction.DISPUTED,
        ReviewAction.RESOLVED,
    ]
    assert "You are right." in page.content.decode()


# ---- queue, flags, calibration, consistency --------------------------------------------------


@pytest.mark.django_db
def test_flagged_interaction_appears_in_the_managers_queue(
    client, agent, manager, resolved, criteria, django_assert_max_num_queries
):
    client.force_login(agent.user)
    response = client.post(
        reverse("qa:interaction_flag", args=[resolved.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("qa:my_reviews")

    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("qa:queue"))
    assert list(page.context["flagged"]) == [resolved]
    start = client.post(reverse("qa:interaction_review_start", args=[resolved.pk]))
    review = QAReview.objects.get(interaction=resolved, reviewer=manager)
    assert start["Location"] == reverse("qa:review_edit", args=[review.pk])
    assert list(client.get(reverse("qa:queue")).context["flagged"]) == []


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_the_queue(
    client, manager, team, criteria, django_assert_max_num_queries
):
    for _ in range(8):
        person = EmployeeFactory(role=Role.AGENT)
        TeamMembershipFactory(employee=person, team=team)
        qa_services.qa_review_start(
            interaction=InteractionFactory(employee=person), reviewer=manager
        )
    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("qa:queue"))
    assert len(response.context["page"]) == 8


@pytest.mark.django_db
def test_calibration_assignment_and_spread(client, manager, team, resolved, criteria):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    client.force_login(manager.user)
    response = client.post(
        reverse("qa:calibration_list"),
        {"interaction": resolved.pk, "reviewers": [manager.pk]},
    )
    assert response.status_code == 200
    assert "reviewers" in response.context["form"].errors
    assert not QAReview.objects.exists()

    response = client.post(
        reverse("qa:calibration_list"),
        {"interaction": resolved.pk, "reviewers": [manager.pk, colleague.pk]},
    )
    assert response.status_code == 302
    mine, theirs = (QAReview.objects.get(reviewer=person) for person in (manager, colleague))
    qa_services.qa_review_save_and_publish(
        review=mine,
        actor=manager,
        ratings={
            criteria["greeting"].pk: (4, ""),
            criteria["solving"].pk: (3, ""),
            criteria["courtesy"].pk: (None, ""),
        },
    )
    qa_services.qa_review_save_and_publish(
        review=theirs,
        actor=colleague,
        ratings={
            criteria["greeting"].pk: (1, ""),
            criteria["solving"].pk: (3, ""),
            criteria["courtesy"].pk: (2, ""),
        },
    )

    page = client.get(reverse("qa:calibration_detail", args=[resolved.pk]))

    comparison = page.context["comparison"]
    assert [row.spread for row in comparison.rows] == [3, 0, 0]
    assert comparison.rows[2].ratings.count(None) == 1
    assert comparison.total_spread == Decimal("83.33") - Decimal("56.25")


@pytest.mark.django_db
def test_reviewer_consistency_compares_each_reviewer_to_the_pooled_team_mean(team, manager):
    harsh = EmployeeFactory(role=Role.MANAGER)
    agent = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=agent, team=team)
    version = PublishedVersionFactory(scorecard=team.scorecard, criteria=[{"code": "x"}])
    now = timezone.now()
    for reviewer, total in ((manager, 80), (manager, 90), (harsh, 50)):
        QAReview.objects.create(
            interaction=InteractionFactory(employee=agent),
            reviewer=reviewer,
            version=version,
            status=ReviewStatus.PUBLISHED,
            total=Decimal(total),
            published_at=now,
            scored_at=now,
        )
    today = qa_selectors.today()

    report = qa_selectors.reviewer_consistency(
        team=team, date_from=today - dt.timedelta(days=7), date_to=today
    )

    assert report.count == 3
    assert report.mean == Decimal("73.33")
    rows = {row.reviewer: (row.count, row.mean, row.difference) for row in report.reviewers}
    assert rows == {
        manager: (2, Decimal("85.00"), Decimal("11.67")),
        harsh: (1, Decimal("50.00"), Decimal("-23.33")),
    }
    assert report.reviewers[0].reviewer == harsh


@pytest.mark.django_db
def test_manager_sees_the_dispute_in_the_queue_and_reads_the_history(
    client, agent, manager, published, team
):
    qa_services.qa_review_dispute(
        review=published,
        agent=agent,
        proposals={published.ratings.first().criterion_id: (4, "Wrong call")},
    )
    # The author's own review is for someone else to decide: not in their queue.
    client.force_login(manager.user)
    assert list(client.get(reverse("qa:queue")).context["disputes"]) == []
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    client.force_login(colleague.user)
    queue = client.get(reverse("qa:queue"))
    assert list(queue.context["disputes"]) == [published]
    detail = client.get(reverse("qa:review_detail", args=[published.pk]))
    assert detail.context["can_resolve"]
    assert [e.action for e in detail.context["events"]] == [
        ReviewAction.CREATED,
        ReviewAction.PUBLISHED,
        ReviewAction.DISPUTED,
    ]


@pytest.mark.django_db
def test_pages_keep_a_bounded_number_of_queries(
    client, agent, manager, team, resolved, criteria, django_assert_max_num_queries
):
    reviews = []
    for _ in range(6):
        review = qa_services.qa_review_start(
            interaction=InteractionFactory(
                employee=agent, resolved_at=timezone.now() - dt.timedelta(minutes=5)
            ),
            reviewer=manager,
        )
        reviews.append(
            qa_services.qa_review_save_and_publish(
                review=review,
                actor=manager,
                ratings={criterion.pk: (2, "ok") for criterion in criteria.values()},
            )
        )
    qa_services.qa_review_dispute(
        review=reviews[0],
        agent=agent,
        proposals={criterion.pk: (4, "No") for criterion in criteria.values()},
    )
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    client.force_login(colleague.user)
    pages = [
        reverse("qa:my_reviews"),
        reverse("qa:review_detail", args=[reviews[1].pk]),
        reverse("qa:review_resolve", args=[reviews[0].pk]),
        reverse("qa:calibration_list"),
        reverse("qa:calibration_detail", args=[reviews[2].interaction_id]),
        reverse("qa:consistency"),
    ]
    for url in pages:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    client.force_login(agent.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("qa:my_reviews"))
    assert len(response.context["page"]) == 6


@pytest.mark.django_db
def test_calibration_page_keeps_its_size_and_queries_however_many_candidates(
    client, manager, agent, resolved, criteria, django_assert_max_num_queries
):
    customer = resolved.customer
    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            employee=agent,
            customer=customer,
            channel=resolved.channel,
            subject=f"Case number {n}",
            opened_at=now - dt.timedelta(hours=3, minutes=n),
            first_response_at=now - dt.timedelta(hours=3, minutes=n) + dt.timedelta(minutes=5),
            resolved_at=now - dt.timedelta(hours=1, minutes=n),
        )
        for n in range(2000)
    )
    client.force_login(manager.user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("qa:calibration_list"))

    assert page.status_code == 200
    # One search box, a few matches at most: never a list of every candidate.
    assert len(page.content) < 20_000
    assert "Case number" not in page.content.decode()


@pytest.mark.django_db
def test_calibration_picker_searches_as_you_type_and_without_javascript(
    client, manager, team, resolved, criteria
):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    resolved.subject = "Broken invoice"
    resolved.save()
    client.force_login(manager.user)

    typed = client.get(reverse("qa:calibration_search"), {"interaction_query": "invoice"})
    assert list(typed.context["form"].interaction_choices) == [resolved]
    assert f'value="{resolved.pk}"' in typed.content.decode()
    nothing = client.get(reverse("qa:calibration_search"), {"interaction_query": "zzz"})
    assert 'data-testid="no-match"' in nothing.content.decode()

    found = client.post(
        reverse("qa:calibration_list"),
        {"interaction_query": str(resolved.pk), "find": "1", "reviewers": [manager.pk]},
    )
    assert found.status_code == 200
    assert found.context["form"].interaction_choices == [resolved]
    assert not QAReview.objects.exists()
    assigned = client.post(
        reverse("qa:calibration_list"),
        {"interaction": resolved.pk, "reviewers": [manager.pk, colleague.pk]},
    )
    assert assigned.status_code == 302
    assert QAReview.objects.filter(interaction=resolved).count() == 2


@pytest.mark.django_db
def test_calibration_offers_only_admins_and_managers_of_the_users_teams(
    client, manager, team, outsider
):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    admin = EmployeeFactory(role=Role.ADMIN)
    EmployeeFactory(role=Role.ADMIN, is_active=False)
    client.force_login(manager.user)

    offered = client.get(reverse("qa:calibration_list")).context["form"].fields["reviewers"]

    assert set(offered.queryset) == {manager, colleague, admin}
    assert outsider[0] not in offered.queryset
