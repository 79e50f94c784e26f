"""`make screenshots`: every page of every role, at 1366×900 and 390×844, in every language.

Each page is saved as var/screenshots/<language>/<size>/<role><path>.png, checked for sideways
scroll and run through axe-core; the signed-out pages (signing in, the password reset, the
customer's survey and the 404 page) are saved as "signed-out-<path>.png" beside them. The suite
skips this module (tests/e2e/test_pages.py sweeps one language and a Russian sample);
`make screenshots` sets CRS_SCREENSHOTS=1 to run it.
CRS_SCREENSHOT_LANGUAGES (e.g. "ru,lt") narrows the languages.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from feedback.survey_selectors import survey_token
from tests.e2e.sweep import DESKTOP, PHONE, language_set, page_measure, page_paths, sign_in
from tests.e2e.test_pages import ROLES, demo_small
from tests.factories import SurveyInvitationFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LANGUAGES = [
    code for code in os.environ.get("CRS_SCREENSHOT_LANGUAGES", "en,ru,lv,lt").split(",") if code
]
SIZES = {"1366x900": DESKTOP, "390x844": PHONE}
# The pages a signed-out person sees. The survey speaks its invitation's language, not the
# language switcher's.
SIGNED_OUT = ("/accounts/login/", "/accounts/password/reset/", "/no-such-page/")

pytestmark = [
    pytest.mark.screenshots,
    pytest.mark.skipif(
        os.environ.get("CRS_SCREENSHOTS") != "1", reason="run by `make screenshots`"
    ),
]


def _file_name(role: str, path: str) -> str:
    return role + (path.strip("/").replace("/", "_") or "_home").join("--") + ".png"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_screenshots_of_every_page(live_server, browser, role):
    demo_small()
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    sign_in(page, base, role, settings.CRS_DEMO_PASSWORD)
    language_set(page, base, "en")
    paths = page_paths(page, base)
    problems = []
    for language in LANGUAGES:
        language_set(page, base, language)
        for size_name, size in SIZES.items():
            folder = SCREENSHOTS / language / size_name
            folder.mkdir(parents=True, exist_ok=True)
            page.set_viewport_size(size)
            for path in paths:
                page.goto(base + path)
                page.screenshot(path=str(folder / _file_name(role, path)), full_page=True)
                problems += [
                    f"{language} {size_name} {problem}"
                    for problem in page_measure(page, path).problems()
                ]
    context.close()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_signed_out_pages(live_server, browser):
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    problems = []
    for language in LANGUAGES:
        language_set(page, base, language)
        survey = "/s/" + survey_token(invitation=SurveyInvitationFactory(language=language)) + "/"
        for size_name, size in SIZES.items():
            folder = SCREENSHOTS / language / size_name
            folder.mkdir(parents=True, exist_ok=True)
            page.set_viewport_size(size)
            for path in (*SIGNED_OUT, survey):
                page.goto(base + path)
                name = "s_survey" if path == survey else path
                page.screenshot(path=str(folder / _file_name("signed-out", name)), full_page=True)
                problems += [
                    f"{language} {size_name} {problem}"
                    for problem in page_measure(page, name).problems()
                ]
    context.close()
    assert problems == []
