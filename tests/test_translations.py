"""The catalogs ship complete, compile everywhere, and reach the pages in each user's language."""

import gettext
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from crs_site.catalogs import catalogs_problems
from tests.factories import EmployeeFactory, TeamMembershipFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
ALL_LANGUAGES = ["en", "ru", "lv", "lt"]
TRANSLATED_LANGUAGES = ["ru", "lv", "lt"]
PASSWORD = "pass-word-123"

# printf-style conversions as Python's % operator reads them, "%%" included.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
NAMED_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def po_path(language):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalog(language):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def compiled(language):
    buffer = io.BytesIO()
    write_mo(buffer, catalog(language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def messages(language):
    return [message for message in catalog(language) if message.id]


def label(message):
    return message.id[0] if isinstance(message.id, tuple) else message.id


def forms(value):
    return list(value) if isinstance(value, (tuple, list)) else [value]


def placeholders(text, flags):
    """The tokens a translation must carry over unchanged, as a multiset."""
    tokens = Counter(NAMED_PLACEHOLDER.findall(text))
    if "python-format" in flags:
        tokens = Counter(PERCENT_PLACEHOLDER.findall(text))
    if "python-brace-format" in flags:
        tokens += Counter(BRACE_PLACEHOLDER.findall(text))
    tokens += Counter(HTML_TAG.findall(text))
    return tokens


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_catalog_compiles_with_babel_and_loads_as_gettext(language):
    translations = compiled(language)
    if language in TRANSLATED_LANGUAGES:
        assert translations.gettext("Sign out") != "Sign out"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_catalog_passes_msgfmt_check(language):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(po_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogs_hold_every_msgid_of_the_source_translated():
    # makemessages runs on a temporary copy: `make messages-update` then translate fixes it.
    assert catalogs_problems() == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_headings_start_with_a_capital_in_every_language(language):
    # A word shared with a model's name ("QA reviews", lower case in Russian as a model name)
    # takes the context "heading" where it heads a page, a table or a list.
    headings = [message for message in catalog(language) if message.context == "heading"]
    assert headings
    lower = [label(m) for m in headings if not forms(m.string)[0][:1].isupper()]
    assert lower == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_no_entry_is_left_untranslated_or_fuzzy(language):
    po = catalog(language)
    assert not po.fuzzy, f"the {language} catalog header is marked fuzzy"
    untranslated = [
        label(message)
        for message in po
        if message.id and not all(form.strip() for form in forms(message.string))
    ]
    fuzzy = [label(message) for message in po if message.id and message.fuzzy]
    assert untranslated == [], f"{language}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_plural_entries_have_every_form_of_the_language(language):
    po = catalog(language)
    wrong = [
        label(message)
        for message in po
        if message.id and message.pluralizable and len(forms(message.string)) != po.num_plurals
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # one (1, 21), few (2–4, 22–24), many (0, 5–20, 25–30, 111–114)
        ("ru", {1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 21: 0, 22: 1, 25: 2, 111: 2, 0: 2}),
        # one (1, 21 but not 11), the other counts, and zero
        ("lv", {1: 0, 2: 1, 10: 1, 11: 1, 21: 0, 22: 1, 111: 1, 0: 2}),
        # one (1, 21 but not 11), few (2–9, 22–29), many (0, 10–20, 30)
        ("lt", {1: 0, 2: 1, 9: 1, 10: 2, 11: 2, 19: 2, 21: 0, 22: 1, 30: 2, 111: 2, 0: 2}),
    ],
)
def test_plural_forms_follow_the_grammar_of_the_language(language, expected):
    assert catalog(language).num_plurals == 3
    plural = compiled(language).plural
    assert {count: plural(count) for count in expected} == expected


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_placeholders_and_markup_survive_translation(language):
    mismatches = []
    for message in messages(language):
        # A plural form carries the placeholders of msgid_plural, or of msgid ("one" may
        # spell the count out); everything else carries exactly those of its msgid.
        accepted = [placeholders(source, message.flags) for source in forms(message.id)]
        for translated in forms(message.string):
            if placeholders(translated, message.flags) not in accepted:
                mismatches.append((label(message), translated))
    assert mismatches == []


@pytest.mark.django_db
def test_a_latvian_speaking_agent_gets_latvian_pages(client, team):
    employee = EmployeeFactory(language="lv")
    TeamMembershipFactory(employee=employee, team=team)

    response = client.post(
        reverse("login"),
        {"username": employee.user.username, "password": PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="lv">' in page
    # From base.html: the navigation and the sign-out button, in Latvian (run `make messages`).
    assert "Iziet" in page, "the lv catalog is not compiled or not loaded"
    assert "Mana rādītāju karte" in page
    assert "Sign out" not in page
    assert "My scorecard" not in page
