"""Every page each role can reach: 0 serious or critical axe-core violations, no sideways scroll.

The suite sweeps every page of every role at 1366×900 in English with axe, the same pages on a
390×844 phone for width, and a sample in Russian (the longest words of the four languages).
`make screenshots` runs the full sweep: every language, both sizes, a screenshot of each page.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from scorecards import demo
from tests.e2e.sweep import (
    DESKTOP,
    PHONE,
    language_set,
    page_check,
    page_measure,
    page_paths,
    sign_in,
)

ROLES = ("agent", "manager", "admin", "onboarding")
# The pages swept again in Russian: the ones with the widest tables and longest labels.
RUSSIAN_SAMPLE = ("/me/", "/teams/", "/onboarding/", "/follow-ups/", "/rules/", "/customers/")


def demo_small() -> None:
    """A small demo organisation, scored: every page has rows, charts and links to follow."""
    today = timezone.localdate()
    days = 35
    demo.demo_seed(
        seed=2026, today=today, agents=10, days=days, customers=40, report=lambda *_: None
    )
    demo.demo_scores_compute(date_from=today - dt.timedelta(days=days - 1), date_to=today)


@pytest.fixture
def swept_page(live_server, browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, reduced_motion="reduce")
    yield context.new_page(), live_server.url
    context.close()


@pytest.fixture
def swept(swept_page):
    demo_small()
    return swept_page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_passes_axe_and_fits_the_screen(swept, role):
    page, base = swept
    sign_in(page, base, role, settings.CRS_DEMO_PASSWORD)
    problems = []
    paths = page_paths(
        page, base, visit=lambda path: problems.extend(page_measure(page, path).problems())
    )
    assert len(paths) >= (4 if role == "onboarding" else 12), paths
    page.set_viewport_size(PHONE)
    for path in paths:
        problems += page_check(page, base, path, axe=False).problems()
    language_set(page, base, "ru")
    for path in (path for path in paths if path.startswith(RUSSIAN_SAMPLE)):
        problems += page_check(page, base, path).problems()
    page.set_viewport_size(DESKTOP)
    for path in (path for path in paths if path.startswith(RUSSIAN_SAMPLE)):
        problems += page_check(page, base, path, axe=False).problems()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_signed_out_pages_pass_axe_and_fit_the_screen(swept_page):
    page, base = swept_page
    demo_path = "/accounts/login/"
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for path in (demo_path, "/accounts/password/reset/", "/no-such-page/"):
            problems += page_check(page, base, path).problems()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_printed_rules_leave_out_the_language_switcher_and_every_control(swept):
    page, base = swept
    sign_in(page, base, "agent", settings.CRS_DEMO_PASSWORD)
    page.goto(base + "/rules/")
    page.locator("[data-testid=rules-list] a").first.click()
    page.emulate_media(media="print")
    assert page.locator("[data-testid=rules]").is_visible()
    for selector in ("[data-testid=language-switcher]", "nav.navbar", "[data-testid=rules] .btn"):
        assert not any(element.is_visible() for element in page.locator(selector).all()), selector
