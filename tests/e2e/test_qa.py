import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crs_site.lib.numbers import quantize
from feedback import qa_services
from feedback.choices import ReviewStatus
from feedback.models import QAReview
from feedback.qa_scoring import CriterionRating, qa_review_total
from staff.choices import Role
from tests.e2e.conftest import nav_open, sign_out
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"
CRITERIA = [
    {
        "code": "greeting",
        "label": "Greeting and first impression",
        "description": "Greets the customer by name and introduces themselves.",
        "examples": "“Good morning Ms Kalniņa, this is Anna from support.”",
        "weight": 1,
        "position": 1,
    },
    {
        "code": "listening",
        "label": "Listening",
        "description": "Lets the customer finish and repeats the problem back.",
        "weight": 2,
        "position": 2,
    },
    {
        "code": "solving",
        "label": "Problem solving",
        "description": "Finds the cause, not only the symptom.",
        "weight": 3,
        "position": 3,
    },
    {
        "code": "courtesy",
        "label": "Courtesy and teamwork",
        "description": "Polite throughout; a rude remark fails the whole review.",
        "weight": 1,
        "position": 4,
        "is_critical": True,
    },
]


@pytest.fixture
def review():
    version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), criteria=CRITERIA)
    team = TeamFactory(name="Riga Support", slug="riga-support", scorecard=version.scorecard)
    agent = EmployeeFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Ozola"), role=Role.AGENT
    )
    manager = EmployeeFactory(
        user=UserFactory(username="maris", first_name="Māris", last_name="Bērziņš"),
        role=Role.MANAGER,
    )
    TeamMembershipFactory(employee=agent, team=team)
    team.managers.add(manager)
    opened = timezone.now() - dt.timedelta(hours=4)
    interaction = InteractionFactory(
        employee=agent,
        customer=CustomerFactory(name="Ilze Kalniņa"),
        subject="Invoice shows the wrong VAT",
        notes="Customer was charged 21% instead of 12%.",
        opened_at=opened,
        resolved_at=opened + dt.timedelta(hours=1),
    )
    return qa_services.qa_review_start(interaction=interaction, reviewer=manager)


def expected_total(ratings: dict[str, int | None]) -> str:
    weights = {c["code"]: (c["weight"], c.get("is_critical", False)) for c in CRITERIA}
    total = qa_review_total(
        ratings=[
            CriterionRating(
                weight=Decimal(weights[code][0]), rating=value, is_critical=weights[code][1]
            )
            for code, value in ratings.items()
        ]
    )
    return str(quantize(total))


@pytest.mark.django_db(transaction=True)
def test_reviewer_rates_with_a_live_total_publishes_and_the_agent_disputes(
    page, sign_in, screenshot, live_server, review
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    criteria = {c.code: c for c in review.version.qa_criteria.all()}

    def rate(code: str, value: str):
        page.locator(f'input[name="rating_{criteria[code].pk}"][value="{value}"]').check()

    sign_in("maris", PASSWORD)
    nav_open(page, "reviews")
    expect(page.get_by_test_id("queue")).to_contain_text("Invoice shows the wrong VAT")
    page.get_by_role("link", name="Review", exact=True).click()

    live = page.get_by_test_id("live-total")
    expect(live).to_have_text("—")
    expect(page.get_by_text("Greets the customer by name")).to_be_visible()
    rate("greeting", "4")
    expect(live).to_have_text(expected_total({"greeting": 4}))
    rate("listening", "3")
    rate("solving", "na")
    rate("courtesy", "0")
    expect(live).to_have_text("0.00")
    expect(page.get_by_text("A critical criterion is rated 0")).to_be_visible()
    rate("courtesy", "4")
    shown = expected_total({"greeting": 4, "listening": 3, "solving": None, "courtesy": 4})
    expect(live).to_have_text(shown)
    page.get_by_label("Comment on “Listening”").fill("Repeated the problem back clearly.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    review.refresh_from_db()
    # What the page showed is what the server computed and stored.
    assert str(review.total) == shown
    expect(page.get_by_test_id("live-total")).to_have_text(shown)
    screenshot("qa-review-form")

    page.get_by_role("button", name="Publish to the agent").click()
    expect(page.get_by_role("alert").filter(has_text="Review published")).to_be_visible()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED

    sign_out(page)
    sign_in("anna", PASSWORD)
    nav_open(page, "reviews")
    page.get_by_role("link", name="Invoice shows the wrong VAT").click()
    expect(page.get_by_test_id("review-total")).to_contain_text(shown)
    listening = page.get_by_role("group", name=re.compile("Dispute “Listening”"))
    listening.get_by_role("checkbox").check()
    listening.get_by_label("Rating you propose").select_option("4")
    listening.get_by_label("Why").fill("I solved it: the invoice was reissued the same day.")
    page.get_by_role("button", name="Send dispute").click()
    expect(page.get_by_text("Your dispute has been sent")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("Disputed")
    screenshot("qa-review-disputed")
    assert QAReview.objects.get(pk=review.pk).status == ReviewStatus.DISPUTED
    # The script runs under the site's Content Security Policy: nothing was refused.
    assert [error for error in errors if "Refused" in error or "Uncaught" in error] == []
