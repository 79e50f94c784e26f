"""Browser tests: Playwright drives Debian's headless Chromium against the live test server."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from feedback import qa_services
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI as an artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def sign_in(page, live_server):
    def sign_in_as(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in_as


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Charts skip their growing animation, so screenshots show the final figures.
    return {**browser_context_args, "reduced_motion": "reduce"}


def nav_open(page, key: str) -> None:
    """Follow a navbar entry (data-nav key), opening the menu it sits in when it is hidden."""
    link = page.locator(f"[data-nav={key}]")
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')][1]/button").click()
    link.click()


def sign_out(page) -> None:
    page.locator("[data-nav-menu=user]").click()
    page.get_by_role("button", name="Sign out").click()


REVIEW_CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 3, "position": 2},
]


@pytest.fixture
def published_review():
    """A review by Māris of Anna's call, weak on problem solving; Līga manages the team too."""
    version = PublishedVersionFactory(
        effective_from=dt.date(2020, 1, 1),
        metrics=[{"code": "fcr"}, {"code": "qa", "target": 90, "floor": 50}],
        criteria=REVIEW_CRITERIA,
    )
    team = TeamFactory(name="Riga Support", slug="riga-support", scorecard=version.scorecard)
    agent = EmployeeFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Ozola"), role=Role.AGENT
    )
    author = EmployeeFactory(
        user=UserFactory(username="maris", first_name="Māris", last_name="Bērziņš"),
        role=Role.MANAGER,
    )
    second = EmployeeFactory(
        user=UserFactory(username="liga", first_name="Līga"), role=Role.MANAGER
    )
    TeamMembershipFactory(employee=agent, team=team)
    team.managers.add(author, second)
    opened = timezone.now() - dt.timedelta(hours=4)
    interaction = InteractionFactory(
        employee=agent,
        customer=CustomerFactory(name="Ilze Kalniņa"),
        subject="Invoice shows the wrong VAT",
        opened_at=opened,
        resolved_at=opened + dt.timedelta(hours=1),
    )
    draft = qa_services.qa_review_start(interaction=interaction, reviewer=author)
    criteria = {c.code: c for c in version.qa_criteria.all()}
    ratings = {criteria["greeting"].pk: (4, ""), criteria["solving"].pk: (1, "Guessed the cause")}
    return qa_services.qa_review_save_and_publish(review=draft, actor=author, ratings=ratings)
