import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from feedback.choices import ReviewStatus
from feedback.models import QAReview
from scorecards.dirty import local_day
from scorecards.engine.rows import scores_compute
from scorecards.models import EmployeeDailyScore
from tests.e2e.conftest import sign_out

PASSWORD = "pass-word-123"


def _qa_of_the_day(review: QAReview) -> tuple[Decimal, Decimal]:
    """Score the review's published day as a scheduled run would, and read its QA figures."""
    day = local_day(review.scored_at)
    scores_compute(date_from=day, date_to=day)
    row = EmployeeDailyScore.objects.get(employee_id=review.interaction.employee_id, day=day)
    return row.qa_num, row.qa_den


@pytest.mark.django_db(transaction=True)
def test_a_per_criterion_dispute_resolved_by_a_second_reviewer_changes_the_days_score(
    page, sign_in, screenshot, live_server, published_review
):
    # Greeting 4 (weight 1) and problem solving 1 (weight 3): 7 of 16.
    assert _qa_of_the_day(published_review) == (Decimal("43.75"), 1)

    sign_in("anna", PASSWORD)
    page.goto(f"{live_server.url}/qa/reviews/{published_review.pk}/")
    solving = page.get_by_role("group", name=re.compile("Dispute “Problem solving”"))
    solving.get_by_role("checkbox").check()
    solving.get_by_label("Rating you propose").select_option("3")
    solving.get_by_label("Why").fill("I found the cause: the VAT rate of the product group.")
    page.get_by_role("button", name="Send dispute").click()
    expect(page.get_by_text("Your dispute has been sent")).to_be_visible()
    expect(page.get_by_test_id("dispute-items")).to_contain_text("Problem solving")
    sign_out(page)

    # The author does not decide it; the queue of the second manager lists it.
    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/qa/")
    expect(page.get_by_test_id("disputes")).to_have_count(0)
    sign_out(page)
    sign_in("liga", PASSWORD)
    page.goto(f"{live_server.url}/qa/")
    page.get_by_test_id("disputes").get_by_role("link", name="Resolve").click()
    item = page.get_by_test_id("dispute-item")
    expect(item).to_contain_text("the agent proposes 3")
    item.get_by_label("Review adjusted").check()
    item.get_by_label("Adjusted rating").select_option("3")
    page.get_by_label("Note to the agent").fill("Right: the product group had its own rate.")
    screenshot("qa-dispute-resolve")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Dispute resolved. The agent has been notified.")).to_be_visible()
    # Greeting 4 and problem solving 3: 13 of 16.
    expect(page.get_by_test_id("review-total")).to_contain_text("81.25")
    expect(page.get_by_test_id("dispute-items")).to_contain_text("Review adjusted")

    review = QAReview.objects.get(pk=published_review.pk)
    assert review.status == ReviewStatus.RESOLVED
    assert review.resolved_by.user.username == "liga"
    # The day it was first published now counts the resolved total.
    assert _qa_of_the_day(review) == (Decimal("81.25"), 1)
