"""Counts with a unit in each language's plural forms: 1, 2, 5, 21 and 0 of everything."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from crs_site.lib.quantities import UNITS, quantity

COUNTS = (1, 2, 5, 21, 0)
EXPECTED = {
    "ru": {
        "minutes": ("1 минута", "2 минуты", "5 минут", "21 минута", "0 минут"),
        "hours": ("1 час", "2 часа", "5 часов", "21 час", "0 часов"),
        "points": ("1 балл", "2 балла", "5 баллов", "21 балл", "0 баллов"),
        "interactions": (
            "1 обращение", "2 обращения", "5 обращений", "21 обращение", "0 обращений",
        ),
        "interactions_a_day": (
            "1 обращение в день", "2 обращения в день", "5 обращений в день",
            "21 обращение в день", "0 обращений в день",
        ),
        "days": ("1 день", "2 дня", "5 дней", "21 день", "0 дней"),
        "reviews": ("1 проверка", "2 проверки", "5 проверок", "21 проверка", "0 проверок"),
    },
    "lv": {
        "minutes": ("1 minūte", "2 minūtes", "5 minūtes", "21 minūte", "0 minūtes"),
        "hours": ("1 stunda", "2 stundas", "5 stundas", "21 stunda", "0 stundas"),
        "points": ("1 punkts", "2 punkti", "5 punkti", "21 punkts", "0 punkti"),
        "interactions": ("1 kontakts", "2 kontakti", "5 kontakti", "21 kontakts", "0 kontakti"),
        "interactions_a_day": (
            "1 kontakts dienā", "2 kontakti dienā", "5 kontakti dienā", "21 kontakts dienā",
            "0 kontakti dienā",
        ),
        "days": ("1 diena", "2 dienas", "5 dienas", "21 diena", "0 dienas"),
        "reviews": ("1 pārbaude", "2 pārbaudes", "5 pārbaudes", "21 pārbaude", "0 pārbaudes"),
    },
    "lt": {
        "minutes": ("1 minutė", "2 minutės", "5 minutės", "21 minutė", "0 minučių"),
        "hours": ("1 valanda", "2 valandos", "5 valandos", "21 valanda", "0 valandų"),
        "points": ("1 balas", "2 balai", "5 balai", "21 balas", "0 balų"),
        "interactions": (
            "1 kreipinys", "2 kreipiniai", "5 kreipiniai", "21 kreipinys", "0 kreipinių",
        ),
        "interactions_a_day": (
            "1 kreipinys per dieną", "2 kreipiniai per dieną", "5 kreipiniai per dieną",
            "21 kreipinys per dieną", "0 kreipinių per dieną",
        ),
        "days": ("1 diena", "2 dienos", "5 dienos", "21 diena", "0 dienų"),
        "reviews": ("1 patikra", "2 patikros", "5 patikros", "21 patikra", "0 patikrų"),
    },
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("unit", [unit for unit in UNITS if unit != "percent"])
def test_each_unit_takes_the_plural_form_of_the_language(language, unit):
    with translation.override(language):
        assert tuple(quantity(count, unit) for count in COUNTS) == EXPECTED[language][unit]


def test_the_lithuanian_sixty_minutes_of_the_issue():
    with translation.override("lt"):
        assert quantity(60, "minutes") == "60 minučių"
    with translation.override("ru"):
        assert quantity(48, "hours") == "48 часов"
        assert quantity(85, "points") == "85 баллов"
        assert quantity(25, "interactions") == "25 обращений"
        assert quantity(5, "minutes") == "5 минут"


def test_a_fraction_takes_the_form_of_two_and_the_decimal_comma():
    with translation.override("ru"):
        assert quantity(4.5, "hours") == "4,5 часа"
    with translation.override("lt"):
        assert quantity(4.5, "hours") == "4,5 valandos"
    with translation.override("en"):
        assert quantity(1, "hours") == "1 hour"
        assert quantity(75, "percent") == "75 %"


def _plural_messages(language: str):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return [message for message in catalogue if message.id and message.pluralizable]


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_every_counted_string_renders_for_1_2_5_21_and_0(language):
    """Every ngettext message of the catalogue: each count picks a filled form that keeps the
    message's placeholders, so no count shows English or breaks the formatting."""
    messages = _plural_messages(language)
    assert len(messages) > 20
    with translation.override(language):
        for message in messages:
            singular, plural = message.id
            names = {name for pair in PLACEHOLDER.findall(plural) for name in pair if name}
            for count in COUNTS:
                text = translation.ngettext(singular, plural, count)
                assert text, (message.id, count)
                assert text not in (singular, plural) or singular == text, (message.id, count)
                found = {name for pair in PLACEHOLDER.findall(text) for name in pair if name}
                assert found == names, (language, message.id, count, text)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "4 Aug 2026"), ("ru", "04.08.2026"), ("lv", "04.08.2026"), ("lt", "2026-08-04")],
)
def test_one_date_style_per_language_that_reads_after_a_preposition(language, expected):
    import datetime as dt

    from django.utils import formats

    day = dt.date(2026, 8, 4)
    with translation.override(language):
        assert formats.date_format(day) == expected
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == expected
        # No abbreviation's full stop to double at the end of a sentence.
        assert not formats.date_format(day).endswith(".")


@pytest.mark.django_db
def test_an_erased_customer_is_labelled_in_the_readers_language():
    from django.utils import timezone

    from tests.factories import CustomerFactory

    customer = CustomerFactory(name="Erased customer #1", erased_at=timezone.now())
    with translation.override("ru"):
        assert customer.display_name == f"Удалённый клиент №{customer.pk}"
    with translation.override("en"):
        assert customer.display_name == f"Erased customer #{customer.pk}"
