"""The demo's "Customer service" scorecard: version 1 in force, version 2 a draft.

Its QA criteria are grouped in three sections (Opening, Resolution, Compliance).
"""

import datetime as dt
from decimal import Decimal

from scorecards.choices import VersionStatus
from scorecards.demo.criteria_content import CRITERIA, SECTIONS
from scorecards.demo.organisation import (
    SCORECARD_SLUG,
    SLA_MINUTES,
    VERSION_AGE_DAYS,
    demo_organisation_zone,
)
from scorecards.demo.rules_content import (
    DRAFT_CHANGE_SUMMARY,
    INTRO,
    METRICS,
    TRANSLATED_LANGUAGES,
)
from scorecards.models import (
    Metric,
    QACriterion,
    QASection,
    Scorecard,
    ScorecardVersion,
)
from scorecards.translations import CRITERION_TEXTS, METRIC_TEXTS, translations_for_texts


def demo_scorecard_create(*, today: dt.date) -> ScorecardVersion:
    """Create the "Customer service" scorecard: version 1 in force, version 2 a draft."""
    scorecard = Scorecard.objects.create(
        name="Customer service",
        slug=SCORECARD_SLUG,
        description="What we expect from everyone who serves customers, and how it is measured.",
    )
    effective = today - dt.timedelta(days=VERSION_AGE_DAYS)
    published = _version_create(
        scorecard=scorecard, number=1, effective_from=effective, draft=False
    )
    # Built as a draft with its rules, then published in one UPDATE: the model refuses to save
    # a published version, and on PostgreSQL a trigger refuses any change to its rules.
    published_at = dt.datetime.combine(
        effective - dt.timedelta(days=7), dt.time(10), tzinfo=demo_organisation_zone()
    )
    ScorecardVersion.objects.filter(pk=published.pk).update(
        status=VersionStatus.PUBLISHED, published_at=published_at
    )
    _version_create(
        scorecard=scorecard, number=2, effective_from=today + dt.timedelta(days=14), draft=True
    )
    published.refresh_from_db()
    return published


def _version_create(
    *, scorecard: Scorecard, number: int, effective_from: dt.date, draft: bool
) -> ScorecardVersion:
    texts = {language: {"intro": INTRO[language]} for language in TRANSLATED_LANGUAGES}
    if draft:
        for language in TRANSLATED_LANGUAGES:
            texts[language]["change_summary"] = DRAFT_CHANGE_SUMMARY[language]
    # Each translation records the English it was written from (scorecards/translations.py).
    translations = translations_for_texts(
        texts=texts,
        english={
            "intro": INTRO["en"],
            "change_summary": DRAFT_CHANGE_SUMMARY["en"] if draft else "",
        },
    )
    version = ScorecardVersion.objects.create(
        scorecard=scorecard,
        number=number,
        effective_from=effective_from,
        intro=INTRO["en"],
        change_summary=DRAFT_CHANGE_SUMMARY["en"] if draft else "",
        sla_minutes=SLA_MINUTES,
        green_from=Decimal(80),
        amber_from=Decimal(60),
        translations=translations,
    )
    _metrics_create(version=version, draft=draft)
    _qa_criteria_create(version=version)
    return version


def _metrics_create(*, version: ScorecardVersion, draft: bool) -> None:
    Metric.objects.bulk_create(
        [
            Metric(
                version=version,
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                weight=Decimal(spec.draft_weight if draft else spec.weight),
                target=Decimal(spec.target),
                floor=Decimal(spec.floor),
                min_sample=spec.min_sample,
                rule_what=spec.text["en"][1],
                rule_why=spec.text["en"][2],
                rule_how=spec.text["en"][3],
                translations=translations_for_texts(
                    texts={
                        language: dict(zip(METRIC_TEXTS, spec.text[language], strict=True))
                        for language in TRANSLATED_LANGUAGES
                    },
                    english=dict(zip(METRIC_TEXTS, spec.text["en"], strict=True)),
                ),
            )
            for position, spec in enumerate(METRICS, start=1)
        ]
    )


def _qa_criteria_create(*, version: ScorecardVersion) -> None:
    """The QA criteria in their sections, every text in the four languages."""
    sections = QASection.objects.bulk_create(
        [
            QASection(
                version=version,
                position=position,
                code=spec.code,
                label=spec.label["en"],
                weight=Decimal(spec.weight),
                auto_fail=spec.auto_fail,
                translations={
                    language: {"label": spec.label[language]} for language in TRANSLATED_LANGUAGES
                },
            )
            for position, spec in enumerate(SECTIONS, start=1)
        ]
    )
    section_of = {
        code: section
        for section, spec in zip(sections, SECTIONS, strict=True)
        for code in spec.criteria
    }
    QACriterion.objects.bulk_create(
        [
            QACriterion(
                version=version,
                section=section_of[spec.code],
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                description=spec.text["en"][1],
                examples=spec.text["en"][2],
                weight=Decimal(spec.weight),
                is_critical=spec.is_critical,
                translations=translations_for_texts(
                    texts={
                        language: dict(zip(CRITERION_TEXTS, spec.text[language], strict=True))
                        for language in TRANSLATED_LANGUAGES
                    },
                    english=dict(zip(CRITERION_TEXTS, spec.text["en"], strict=True)),
                ),
            )
            for position, spec in enumerate(CRITERIA, start=1)
        ]
    )
