"""Translations of a scorecard's rule texts, and whether each is out of date.

A version, metric or QA criterion keeps its texts in English in their own columns and their
translations in its `translations` JSON: per language the translated texts, and under
`_source` the hash of the English each translation was written from::

    {"ru": {"intro": "…", "_source": {"intro": "3f2a…"}}, "lv": {…}}

A translation is *stale* when the English text changed after it was written: its recorded
source differs from the hash of the English text now. A translation stored without a source
(written before sources were kept, or by hand) is taken as current until the next save, which
records the English it stood beside. The rule lives here only: `translations_merge` for the
writes (the scorecard editor's service), `translation_is_stale` for the reads.
"""

import hashlib
from collections.abc import Iterable, Mapping

from django.conf import settings

SOURCE_KEY = "_source"

# The texts a reader sees translated, per kind of row, in the editor's order.
VERSION_TEXTS = ("intro", "change_summary")
METRIC_TEXTS = ("label", "rule_what", "rule_why", "rule_how")
CRITERION_TEXTS = ("label", "description", "examples")
SECTION_TEXTS = ("label",)


def translation_languages() -> list[tuple[str, str]]:
    """Return the site's languages other than the one the texts are written in (English)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def source_hash(text: str) -> str:
    """Return the fingerprint of an English text that a translation records as its source."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def translation_text(translations: Mapping, language: str, field: str) -> str:
    """Return the stored translation of the field into the language ('' when there is none)."""
    value = (translations or {}).get(language, {}).get(field)
    return value if isinstance(value, str) else ""


def translation_is_stale(translations: Mapping, language: str, field: str, english: str) -> bool:
    """Tell whether the translation was written from an English text other than `english`."""
    if not translation_text(translations, language, field):
        return False
    source = (translations or {}).get(language, {}).get(SOURCE_KEY, {}).get(field)
    return source is not None and source != source_hash(english)


def translations_stale_any(
    translations: Mapping, language: str, english: Mapping[str, str]
) -> bool:
    """Tell whether any of the given texts (field → English) is stale in the language."""
    return any(
        translation_is_stale(translations, language, field, text) for field, text in english.items()
    )


def translations_merge(
    *,
    stored: Mapping,
    submitted: Mapping[str, Mapping[str, str]] | None,
    confirmed: Iterable[tuple[str, str]] = (),
    english_before: Mapping[str, str],
    english_after: Mapping[str, str],
) -> dict:
    """Return the translations to store after an edit of the texts `english_after` names.

    `submitted` holds per language the translations as typed (an empty one removes it); None
    keeps the stored ones. A translation typed anew, or `confirmed` as still matching (pairs of
    language and field), is recorded as written from the English now; one left as it was keeps
    the source it had (a legacy one without a source: the English before this edit).
    """
    result = {language: dict(texts) for language, texts in (stored or {}).items()}
    if submitted is None:
        return result
    confirmed = set(confirmed)
    for language, texts in submitted.items():
        entry = result.setdefault(language, {})
        sources = dict(entry.get(SOURCE_KEY, {}))
        for field, english in english_after.items():
            if field not in texts:
                continue
            new = (texts[field] or "").strip()
            old = translation_text(stored, language, field)
            if not new:
                entry.pop(field, None)
                sources.pop(field, None)
                continue
            if new != old or (language, field) in confirmed:
                sources[field] = source_hash(english)
            elif field not in sources:
                sources[field] = source_hash(english_before.get(field, english))
            entry[field] = new
        if sources:
            entry[SOURCE_KEY] = sources
        else:
            entry.pop(SOURCE_KEY, None)
        if not entry:
            result.pop(language)
    return result


def translations_for_texts(
    *, texts: Mapping[str, Mapping[str, str]], english: Mapping[str, str]
) -> dict:
    """Return translations written from the English given (for rows created in code: the demo)."""
    return translations_merge(
        stored={}, submitted=texts, english_before=english, english_after=english
    )
