import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback import calibration_services, qa_services
from feedback.models import CalibrationReference, QAReview
from staff.choices import Role
from tests.e2e.conftest import nav_open, sign_out
from tests.e2e.sweep import page_measure
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
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 3, "position": 2},
]


def _person(username, first, last, role):
    user = UserFactory(username=username, first_name=first, last_name=last)
    user.set_password(PASSWORD)
    user.save()
    return EmployeeFactory(user=user, role=role)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script tag, which the site's CSP refuses otherwise.
    return {**browser_context_args, "bypass_csp": True, "reduced_motion": "reduce"}


@pytest.fixture
def calibration():
    version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), criteria=CRITERIA)
    team = TeamFactory(name="Riga Support", slug="riga-support", scorecard=version.scorecard)
    agent = _person("anna", "Anna", "Ozola", Role.AGENT)
    TeamMembershipFactory(employee=agent, team=team)
    people = {
        username: _person(username, first, last, Role.MANAGER)
        for username, first, last in (
            ("laura", "Laura", "Liepa"),
            ("maris", "Māris", "Bērziņš"),
            ("ilze", "Ilze", "Kalniņa"),
        )
    }
    for person in people.values():
        team.managers.add(person)
    opened = timezone.now() - dt.timedelta(hours=4)
    interactions = [
        InteractionFactory(
            employee=agent,
            customer=CustomerFactory(),
            subject=subject,
            opened_at=opened,
            resolved_at=opened + dt.timedelta(hours=1),
        )
        for subject in ("Invoice shows the wrong VAT", "Card declined twice")
    ]
    session = calibration_services.calibration_session_create(
        title="Riga calibration",
        deadline=timezone.now() + dt.timedelta(days=2),
        interactions=interactions,
        reviewers=[people["maris"], people["ilze"]],
        actor=people["laura"],
    )
    return {"session": session, "people": people, "version": version}


@pytest.mark.django_db(transaction=True)
def test_reviewers_rate_blind_then_the_lead_agrees_the_references(
    page, sign_in, screenshot, live_server, calibration
):
    session, people = calibration["session"], calibration["people"]
    criteria = list(calibration["version"].qa_criteria.order_by("position"))
    for review in QAReview.objects.filter(reviewer=people["maris"]):
        qa_services.qa_review_save_and_publish(
            review=review,
            actor=people["maris"],
            ratings={criteria[0].pk: (4, ""), criteria[1].pk: (1, "")},
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("ilze", PASSWORD)
    nav_open(page, "calibration")
    page.get_by_role("link", name="Riga calibration").click()
    # Blind: Ilze sees that Māris has rated, not how.
    expect(page.get_by_test_id("blind-notice")).to_be_visible()
    expect(page.get_by_test_id("calibration-progress")).to_contain_text("Māris Bērziņš")
    expect(page.get_by_test_id("calibration-spread").first).not_to_contain_text("Māris")
    for review in QAReview.objects.filter(reviewer=people["ilze"]):
        qa_services.qa_review_save_and_publish(
            review=review,
            actor=people["ilze"],
            ratings={criteria[0].pk: (2, ""), criteria[1].pk: (1, "")},
        )
    sign_out(page)

    sign_in("laura", PASSWORD)
    page.goto(f"{live_server.url}/qa/calibration/sessions/{session.pk}/")
    spread = page.get_by_test_id("calibration-spread").first
    expect(spread).to_contain_text("Māris Bērziņš")
    expect(spread.get_by_test_id("spread-low-high").first).to_have_text("2–4")
    expect(spread.get_by_test_id("spread-agree").first).to_have_text("No")
    form = page.get_by_test_id("reference-form").first
    form.get_by_role("button", name="Save references").click()
    expect(page.get_by_text("Set the reference rating of at least one criterion.")).to_be_visible()
    form = page.get_by_test_id("reference-form").first
    form.get_by_label("Reference for “Greeting”").select_option("3")
    form.get_by_label("Note on “Greeting”").fill("Name and offer of help")
    form.get_by_role("button", name="Save references").click()
    expect(page.get_by_text("Reference ratings saved.")).to_be_visible()
    expect(page.get_by_test_id("calibration-distances")).to_contain_text("1.00")
    report = page_measure(page, "calibration-session")
    assert report.problems() == []
    screenshot("calibration-session-lead")
    page.set_viewport_size({"width": 390, "height": 844})
    report = page_measure(page, "calibration-session-phone", axe=False)
    assert report.problems() == []
    screenshot("calibration-session-lead-phone")
    assert CalibrationReference.objects.get().rating == 3


@pytest.mark.django_db(transaction=True)
def test_the_new_session_form_shows_its_errors_and_both_pages_pass_axe(
    page, sign_in, live_server, calibration
):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("laura", PASSWORD)
    page.goto(f"{live_server.url}/qa/calibration/sessions/")
    assert page_measure(page, "calibration-sessions").problems() == []
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title").fill("Too few")
    page.get_by_label("Māris Bērziņš").check()
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_text("Choose at least two reviewers to compare.")).to_be_visible()
    assert page_measure(page, "calibration-session-new").problems() == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page_measure(page, "calibration-session-new-phone", axe=False).problems() == []
