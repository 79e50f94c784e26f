"""The review form's live section scores and total agree with `qa_review_total` (sections)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from crs_site.lib.numbers import quantize
from feedback import qa_services
from feedback.qa_scoring import qa_review_total, qa_section_scores
from feedback.qa_selectors import criterion_rating
from scorecards.choices import SectionAutoFail, VersionStatus
from scorecards.models import ScorecardVersion
from scorecards.services.versions import scorecard_version_draft_from
from staff.choices import Role
from tests.e2e.sweep import DESKTOP, PHONE, page_check
from tests.e2e.sweep import sign_in as sweep_sign_in
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    QACriterionFactory,
    QASectionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"


@pytest.fixture
def review():
    version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), publish=False)
    opening = QASectionFactory(version=version, code="opening", label="Opening", weight=1)
    resolution = QASectionFactory(
        version=version,
        code="resolution",
        label="Resolution",
        weight=2,
        auto_fail=SectionAutoFail.SECTION,
        position=1,
    )
    compliance = QASectionFactory(
        version=version,
        code="compliance",
        label="Compliance",
        weight=3,
        auto_fail=SectionAutoFail.REVIEW,
        position=2,
    )
    for position, (section, code, weight, critical) in enumerate(
        [
            (opening, "greeting", 1, False),
            (opening, "listening", 2, False),
            (resolution, "solving", 3, True),
            (resolution, "follow-up", 1, False),
            (compliance, "escalation", 2, True),
            (compliance, "courtesy", 1, False),
        ]
    ):
        QACriterionFactory(
            version=version,
            section=section,
            code=code,
            label=code.capitalize(),
            weight=weight,
            is_critical=critical,
            position=position,
        )
    ScorecardVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    team = TeamFactory(scorecard=version.scorecard)
    agent = EmployeeFactory(role=Role.AGENT)
    manager = EmployeeFactory(user=UserFactory(username="maris"), role=Role.MANAGER)
    TeamMembershipFactory(employee=agent, team=team)
    team.managers.add(manager)
    opened = timezone.now() - dt.timedelta(hours=4)
    interaction = InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )
    return qa_services.qa_review_start(interaction=interaction, reviewer=manager)


@pytest.mark.django_db(transaction=True)
def test_live_section_scores_and_total_follow_the_server_rule(page, sign_in, live_server, review):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    criteria = {c.code: c for c in review.version.qa_criteria.select_related("section")}
    given: dict[str, int | None] = {}

    def rate(code: str, value: str):
        page.locator(f'input[name="rating_{criteria[code].pk}"][value="{value}"]').check()
        given[code] = None if value == "na" else int(value)

    def expect_as_server():
        ratings = [criterion_rating(criterion=criteria[c], rating=r) for c, r in given.items()]
        total = qa_review_total(ratings=ratings)
        expect(page.get_by_test_id("live-total")).to_have_text(
            "—" if total is None else str(quantize(total))
        )
        scores = {s.section.code: s.score for s in qa_section_scores(ratings=ratings)}
        for code in ("opening", "resolution", "compliance"):
            score = scores.get(code)
            expect(page.locator(f'[data-qa-section-score="{code}"]')).to_have_text(
                "—" if score is None else str(quantize(score))
            )

    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/qa/reviews/{review.pk}/edit/")
    expect(page.get_by_role("heading", name="Compliance")).to_be_visible()
    expect_as_server()
    rate("greeting", "4")
    rate("listening", "1")
    expect_as_server()
    rate("solving", "3")
    rate("follow-up", "na")
    rate("escalation", "4")
    rate("courtesy", "2")
    expect_as_server()
    # A critical 0 in a section-scoped auto-fail: only Resolution drops to 0.
    rate("solving", "0")
    expect_as_server()
    # A critical 0 in a review-scoped auto-fail: the total is 0.
    rate("escalation", "0")
    expect_as_server()
    expect(page.get_by_text("A critical criterion is rated 0")).to_be_visible()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_sectioned_pages_pass_axe_and_fit_a_desktop_and_a_phone(browser, live_server, review):
    # The manager may edit scorecards, so the editor's sections are swept too.
    review.reviewer.user.user_permissions.add(
        Permission.objects.get(codename="change_scorecardversion")
    )
    scorecard = review.version.scorecard
    draft = scorecard_version_draft_from(version=review.version)
    criteria = list(review.version.qa_criteria.all())
    qa_services.qa_review_save(
        review=review, actor=review.reviewer, ratings={criteria[0].pk: (3, "")}
    )
    opened = timezone.now() - dt.timedelta(hours=2)
    published = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(
            interaction=InteractionFactory(
                employee=review.interaction.employee,
                opened_at=opened,
                resolved_at=opened + dt.timedelta(hours=1),
            ),
            reviewer=review.reviewer,
        ),
        actor=review.reviewer,
        ratings={criterion.pk: (2, "Fine.") for criterion in criteria},
    )
    paths = [
        f"/qa/reviews/{review.pk}/edit/",
        f"/qa/reviews/{published.pk}/",
        reverse("scorecards:rules_detail", args=[scorecard.slug]),
        reverse("scorecards:editor_version", args=[scorecard.slug, review.version.number]),
        reverse("scorecards:editor_version", args=[scorecard.slug, draft.number]),
    ]
    # axe is injected as a script: the page's CSP is bypassed for it, as in the page sweep.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    sweep_sign_in(page, live_server.url, "maris", PASSWORD)

    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for path in paths:
            problems += page_check(page, live_server.url, path).problems()
            # Reached, not turned away to the sign-in page.
            assert page.url == live_server.url + path
    context.close()

    assert problems == []
