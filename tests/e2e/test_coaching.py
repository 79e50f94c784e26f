import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import CoachingSession
from tests.e2e.conftest import sign_out

PASSWORD = "pass-word-123"


def _fits(page) -> bool:
    """Tell whether the page's content stays within the window; wide tables scroll in their
    own box (`.table-responsive`)."""
    return page.evaluate(
        "[...document.querySelectorAll('#main *')]"
        ".filter(e => !e.closest('.table-responsive'))"
        ".every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)"
    )


@pytest.mark.django_db(transaction=True)
def test_manager_records_a_session_from_a_review_and_the_agent_acknowledges_it(
    page, sign_in, screenshot, live_server, published_review
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/qa/reviews/{published_review.pk}/")
    page.get_by_test_id("coach-from-review").click()
    # Prefilled from the review: the review, its interaction, the QA metric, the weak criterion.
    expect(
        page.get_by_role("checkbox", name=re.compile("Invoice shows the wrong VAT"))
    ).to_be_checked()
    expect(page.get_by_label("Problem solving", exact=True)).to_be_checked()
    expect(page.get_by_label("Greeting", exact=True)).not_to_be_checked()
    page.get_by_label("Notes").fill("We went through the VAT call: check the customer's rate.")
    page.get_by_label("Follow-up on").fill(
        (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    )
    rows = page.get_by_test_id("action-row")
    rows.nth(0).get_by_label("Action", exact=True).fill("Read the VAT rates page")
    rows.nth(0).get_by_label("Due on").fill(
        (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    )
    # An action without a due date is refused at its field; nothing is written.
    rows.nth(1).get_by_label("Action", exact=True).fill("Shadow a colleague")
    page.get_by_role("button", name="Record session").click()
    # At its field, and in the error summary at the top with a link to that field.
    expect(
        page.get_by_test_id("action-row").nth(1).get_by_text("Give the action a due date.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Row 2: Due on")).to_be_visible()
    assert not CoachingSession.objects.exists()
    page.get_by_test_id("action-row").nth(1).get_by_label("Action", exact=True).fill("")
    page.get_by_role("button", name="Record session").click()
    expect(page.get_by_text("Coaching session recorded")).to_be_visible()
    expect(page.get_by_test_id("acknowledgement")).to_contain_text("Not acknowledged yet")
    expect(page.get_by_test_id("impact-table")).to_contain_text("Quality review")
    expect(page.get_by_test_id("actions")).to_contain_text("Read the VAT rates page")
    assert _fits(page)
    screenshot("coaching-session-manager")

    sign_out(page)
    sign_in("anna", PASSWORD)
    page.goto(f"{live_server.url}/follow-ups/")
    expect(page.get_by_test_id("followups-coaching")).to_contain_text("Read the VAT rates page")
    assert _fits(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Read the VAT rates page").click()
    page.get_by_label("Your comment (optional)").fill("Thanks, I bookmarked the rates page.")
    page.get_by_role("button", name="I have read this session").click()
    expect(page.get_by_text("the session is acknowledged")).to_be_visible()
    expect(page.get_by_test_id("acknowledgement")).to_contain_text("Acknowledged")
    expect(page.get_by_test_id("agent-comment")).to_have_text(
        "Thanks, I bookmarked the rates page."
    )
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()
    assert _fits(page)
    screenshot("coaching-session-agent-phone")
    session = CoachingSession.objects.get()
    assert session.acknowledged_at is not None
    assert session.actions.get().done_at is not None
    assert [error for error in errors if "Refused" in error or "Uncaught" in error] == []
