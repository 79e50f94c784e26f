"""Scorecard versions: publishing, and the drafts of the editor."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards.choices import ChangeKind, VersionStatus
from scorecards.dirty import days_mark_dirty
from scorecards.models import (
    ChangeEvent,
    Metric,
    QACriterion,
    QASection,
    Scorecard,
    ScorecardVersion,
)
from scorecards.selectors.versions import version_in_force, version_rescored_days
from scorecards.translations import (
    CRITERION_TEXTS,
    METRIC_TEXTS,
    SECTION_TEXTS,
    VERSION_TEXTS,
    translations_merge,
)
from staff.models import Team


@transaction.atomic
def scorecard_version_publish(
    *,
    version: ScorecardVersion,
    effective_from: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ScorecardVersion:
    """Publish a draft version, freezing its rules, and record the change for its teams."""
    # Locking the scorecard serialises publications of its versions, so two drafts cannot both
    # pass the effective-date check below and then collide on the unique index.
    Scorecard.objects.select_for_update().filter(pk=version.scorecard_id).get()
    version = ScorecardVersion.objects.select_related("scorecard").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Version %(number)s is already published."),
                    code="already_published",
                    params={"number": version.number},
                )
            }
        )
    if effective_from is not None:
        version.effective_from = effective_from
    if not version.metrics.exists():
        raise ValidationError(
            _("Version %(number)s has no metrics: add at least one before publishing."),
            code="no_metrics",
            params={"number": version.number},
        )
    qa_sections_check(
        section_codes=list(version.qa_sections.values_list("code", flat=True)),
        criterion_sections=[
            code or "" for code in version.qa_criteria.values_list("section__code", flat=True)
        ],
    )
    clash = (
        ScorecardVersion.objects.filter(
            scorecard_id=version.scorecard_id,
            status=VersionStatus.PUBLISHED,
            effective_from=version.effective_from,
        )
        .exclude(pk=version.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "effective_from": ValidationError(
                    _("Version %(number)s of this scorecard already takes effect on %(day)s."),
                    code="effective_date_taken",
                    params={"number": clash.number, "day": version.effective_from.isoformat()},
                )
            }
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = now or timezone.now()
    version.save(update_fields=["status", "effective_from", "published_at"])
    # Days already scored under the version this one replaces are rescored by the next run,
    # whichever path published it (editor, admin, shell).
    days_mark_dirty(
        pairs=version_rescored_days(version=version, today=timezone.localdate(version.published_at))
    )
    title = _("%(scorecard)s v%(number)s takes effect") % {
        "scorecard": version.scorecard.name,
        "number": version.number,
    }
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                day=version.effective_from,
                team=team,
                kind=ChangeKind.SCORECARD,
                title=title,
                notes=version.change_summary,
                is_automatic=True,
            )
            for team in Team.objects.filter(scorecard_id=version.scorecard_id).order_by("pk")
        ]
    )
    return version


# A new draft gets its own number, date, history and change summary; the rules are copied.
_VERSION_FIELDS_NOT_COPIED = {
    "id",
    "number",
    "status",
    "effective_from",
    "change_summary",
    "created_at",
    "published_at",
}


def _copied_fields(row: Model, *, skip: set[str]) -> dict:
    """Return the row's column values except the skipped fields, ready for a new row."""
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in skip
    }


@transaction.atomic
def scorecard_version_draft_from(*, version: ScorecardVersion) -> ScorecardVersion:
    """Copy a version with its metrics and QA criteria into a new draft with the next number."""
    Scorecard.objects.select_for_update().filter(pk=version.scorecard_id).get()
    versions = ScorecardVersion.objects.filter(scorecard_id=version.scorecard_id)
    latest = versions.aggregate(
        number=Max("number"),
        effective_from=Max("effective_from", filter=Q(status=VersionStatus.PUBLISHED)),
    )
    # The copy starts after every published version, so publishing it unchanged cannot clash.
    effective_from = max(
        timezone.localdate() + dt.timedelta(days=1),
        (latest["effective_from"] or dt.date.min) + dt.timedelta(days=1),
    )
    draft = ScorecardVersion.objects.create(
        **_copied_fields(version, skip=_VERSION_FIELDS_NOT_COPIED),
        number=latest["number"] + 1,
        status=VersionStatus.DRAFT,
        effective_from=effective_from,
    )
    _parts_copy(model=Metric, rows=version.metrics.all(), draft=draft)
    sections = _parts_copy(model=QASection, rows=version.qa_sections.all(), draft=draft)
    # The copied criteria point at the draft's copies of their sections, matched by code.
    section_of = {section.code: section for section in sections}
    QACriterion.objects.bulk_create(
        [
            QACriterion(
                **_copied_fields(row, skip={"id", "version", "section"}),
                version=draft,
                section=section_of[row.section.code] if row.section else None,
            )
            for row in version.qa_criteria.select_related("section")
        ]
    )
    return draft


_Part = TypeVar("_Part", Metric, QACriterion, QASection)


def _parts_copy(
    *, model: type[_Part], rows: Iterable[_Part], draft: ScorecardVersion
) -> list[_Part]:
    return model.objects.bulk_create(
        [model(**_copied_fields(row, skip={"id", "version"}), version=draft) for row in rows]
    )


_EDITABLE_VERSION_FIELDS = ("sla_minutes", "green_from", "amber_from", "intro", "change_summary")
# What a draft's metric may change (its code is fixed once added); the editor's form and the
# service share the list.
EDITABLE_METRIC_FIELDS = (
    "label",
    "weight",
    "target",
    "floor",
    "min_sample",
    "rule_what",
    "rule_why",
    "rule_how",
)
_EDITABLE_CRITERION_FIELDS = ("label", "description", "examples", "weight", "is_critical")
_EDITABLE_SECTION_FIELDS = ("label", "weight", "auto_fail")


def scorecard_version_draft_start(*, scorecard: Scorecard, day: dt.date) -> ScorecardVersion:
    """Start a draft from the version in force (else the latest one), or an empty first one."""
    base = (
        version_in_force(scorecard=scorecard, day=day)
        or scorecard.versions.order_by("-number").first()
    )
    if base is not None:
        return scorecard_version_draft_from(version=base)
    with transaction.atomic():
        Scorecard.objects.select_for_update().filter(pk=scorecard.pk).get()
        number = scorecard.versions.aggregate(number=Max("number"))["number"] or 0
        return ScorecardVersion.objects.create(
            scorecard=scorecard, number=number + 1, effective_from=day + dt.timedelta(days=1)
        )


def _parts_replace(
    *,
    model: type[_Part],
    version: ScorecardVersion,
    rows: Sequence[Mapping],
    fields: Sequence[str],
    texts: Sequence[str],
) -> list[_Part]:
    """Make the version's metrics, criteria or QA sections exactly the rows, by code, in order.

    A row may carry `translations` (per language the texts as typed) and
    `translations_confirmed`; without them its stored translations are kept."""
    stored = {row.code: row for row in model.objects.filter(version=version)}
    model.objects.filter(version=version).exclude(code__in=[row["code"] for row in rows]).delete()
    return model.objects.bulk_create(
        [
            model(
                version=version,
                code=row["code"],
                position=position,
                translations=_translations_for(
                    stored=stored.get(row["code"]), row=row, texts=texts
                ),
                **{name: row[name] for name in fields},
            )
            for position, row in enumerate(rows)
        ],
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=[*fields, "position", "translations"],
    )


def _translations_for(
    *,
    stored: ScorecardVersion | Metric | QACriterion | QASection | None,
    row: Mapping,
    texts: Sequence[str],
) -> dict:
    """Return the translations a row is saved with: the typed ones merged into the stored ones."""
    return translations_merge(
        stored=stored.translations if stored is not None else {},
        submitted=row.get("translations"),
        confirmed=row.get("translations_confirmed", ()),
        english_before={
            name: getattr(stored, name) if stored is not None else row[name] for name in texts
        },
        english_after={name: row[name] for name in texts},
    )


@transaction.atomic
def scorecard_version_draft_update(
    *,
    version: ScorecardVersion,
    settings: Mapping,
    metrics: Sequence[Mapping],
    criteria: Sequence[Mapping],
    sections: Sequence[Mapping] | None = None,
) -> ScorecardVersion:
    """Replace a draft's settings, metrics, QA sections and QA criteria, all or nothing.

    Metrics, sections and criteria are matched by code: a listed code is created or updated at
    its place in the list, a code no longer listed is removed. A criterion names its section by
    code (`section`, "" for none); `sections` None keeps the draft's sections as they are. The
    settings and each row may carry `translations` and `translations_confirmed` (see
    `scorecards.translations`). A published version is refused.
    """
    version = ScorecardVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s is published and can no longer be changed."),
            code="already_published",
            params={"number": version.number},
        )
    version.translations = _translations_for(stored=version, row=settings, texts=VERSION_TEXTS)
    for name in _EDITABLE_VERSION_FIELDS:
        setattr(version, name, settings[name])
    version.save(update_fields=[*_EDITABLE_VERSION_FIELDS, "translations"])
    _parts_replace(
        model=Metric,
        version=version,
        rows=metrics,
        fields=EDITABLE_METRIC_FIELDS,
        texts=METRIC_TEXTS,
    )
    if sections is None:
        section_codes = list(version.qa_sections.values_list("code", flat=True))
    else:
        section_codes = [row["code"] for row in sections]
    qa_sections_check(
        section_codes=section_codes,
        criterion_sections=[row.get("section") or "" for row in criteria],
    )
    if sections is not None:
        _parts_replace(
            model=QASection,
            version=version,
            rows=sections,
            fields=_EDITABLE_SECTION_FIELDS,
            texts=SECTION_TEXTS,
        )
    # Upserted rows may come back without their pk: read the codes' ids back.
    section_of = dict(version.qa_sections.values_list("code", "pk"))
    _parts_replace(
        model=QACriterion,
        version=version,
        rows=[{**row, "section_id": section_of.get(row.get("section") or "")} for row in criteria],
        fields=[*_EDITABLE_CRITERION_FIELDS, "section_id"],
        texts=CRITERION_TEXTS,
    )
    return version


def qa_sections_check(*, section_codes: Sequence[str], criterion_sections: Sequence[str]) -> None:
    """Refuse criteria in a section the version does not have, or outside sections it has.

    Either every criterion of a version is in one of its sections or the version has none: the
    QA total (`feedback.qa_scoring`) has no meaning for a mix.
    """
    unknown = sorted({code for code in criterion_sections if code and code not in section_codes})
    if unknown:
        raise ValidationError(
            _("No section %(codes)s in this version: add it or pick another."),
            code="unknown_section",
            params={"codes": ", ".join(unknown)},
        )
    if section_codes and not all(criterion_sections):
        raise ValidationError(
            _("This version has sections: put every QA criterion in one of them."),
            code="criterion_without_section",
        )
