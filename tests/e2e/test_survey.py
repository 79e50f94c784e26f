"""The customer's survey on a small phone: one screen, faces as radio buttons, thanks, used link."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import SurveyResponse
from feedback.survey_selectors import survey_token
from staff.choices import Role
from tests.e2e.conftest import nav_open
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


def fits_one_screen(page) -> bool:
    return page.evaluate(
        """() => {
          const button = document.querySelector('button[type=submit]').getBoundingClientRect();
          const root = document.documentElement;
          return button.bottom <= window.innerHeight && root.scrollWidth <= root.clientWidth;
        }"""
    )


@pytest.mark.django_db(transaction=True)
def test_a_customer_answers_the_survey_on_a_phone(page, live_server, screenshot):
    invitation = SurveyInvitationFactory(
        language="en", interaction__subject="Router keeps dropping the connection"
    )
    url = f"{live_server.url}/s/{survey_token(invitation=invitation)}/"

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    assert fits_one_screen(page), "the whole survey, send button included, fits one phone screen"

    expect(page.get_by_role("group", name="How satisfied are you")).to_be_visible()
    satisfied = page.get_by_role("radio", name="4: Satisfied")
    very_satisfied = page.get_by_role("radio", name="5: Very satisfied")
    page.locator("label[for=csat-4]").tap()
    expect(satisfied).to_be_checked()
    # The faces are a real radio group: the keyboard moves the choice.
    satisfied.focus()
    page.keyboard.press("ArrowRight")
    expect(very_satisfied).to_be_checked()

    page.locator("label[for=nps-9]").tap()
    expect(page.get_by_role("radio", name="9", exact=True)).to_be_checked()
    page.get_by_label("Anything you would like to tell us? (optional)").fill(
        "Fixed on the first call, thank you!"
    )
    screenshot("survey-phone")

    page.get_by_role("button", name="Send my feedback").tap()
    expect(page.get_by_test_id("survey-thanks")).to_be_visible()
    expect(page.get_by_role("heading", name="Thank you for your feedback!")).to_be_visible()
    screenshot("survey-phone-thanks")

    response = SurveyResponse.objects.get()
    assert (response.csat, response.nps) == (5, 9)
    assert response.comment == "Fixed on the first call, thank you!"

    page.goto(url)
    expect(page.get_by_test_id("survey-problem")).to_have_attribute("data-problem", "used")
    screenshot("survey-phone-used")


@pytest.mark.django_db(transaction=True)
def test_the_survey_asks_for_a_face_before_sending(page, live_server, screenshot):
    invitation = SurveyInvitationFactory(language="ru")
    page.goto(f"{live_server.url}/s/{survey_token(invitation=invitation)}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("button[type=submit]").tap()
    expect(page.locator("#csat-error")).to_be_visible()
    assert fits_one_screen(page)
    assert not SurveyResponse.objects.exists()
    screenshot("survey-phone-error-ru")


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_teams_survey_comments(page, live_server, sign_in, screenshot):
    team = TeamFactory()
    manager = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="lead"))
    team.managers.add(manager)
    for name, csat, comment in [
        ("Anna", 5, "Anna sorted it out in five minutes."),
        ("Boris", 2, "I had to call three times."),
    ]:
        agent = EmployeeFactory(user=UserFactory(first_name=name, last_name="Agent"))
        TeamMembershipFactory(employee=agent, team=team)
        SurveyResponseFactory(
            interaction=InteractionFactory(employee=agent),
            csat=csat,
            comment=comment,
            submitted_at=timezone.now(),
        )

    page.set_viewport_size({"width": 1280, "height": 900})  # a manager's desk, not a phone
    sign_in("lead", "pass-word-123")
    nav_open(page, "surveys")
    expect(page.get_by_role("heading", name="Survey comments")).to_be_visible()
    expect(page.get_by_test_id("survey-comments").locator("li")).to_have_count(2)
    page.get_by_label("Satisfaction").select_option("2")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("survey-comments").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("survey-comments")).to_contain_text("I had to call three times.")
    screenshot("survey-comments-manager")
