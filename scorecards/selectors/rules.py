"""The rules pages, acknowledgements, version history and the scorecard editor."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Model, OuterRef, QuerySet, Subquery

from crs_site.lib.users import SiteUser
from scorecards.choices import VersionStatus
from scorecards.metrics import metric as metric_spec
from scorecards.models import (
    Metric,
    QACriterion,
    QASection,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
)
from scorecards.scoring import quantize
from scorecards.translations import (
    CRITERION_TEXTS,
    METRIC_TEXTS,
    SECTION_TEXTS,
    translation_is_stale,
    translation_languages,
    translation_text,
)
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership
from staff.selectors import (
    employee_for_user,
    employees_visible_to,
    is_admin,
    role_for_user,
    teams_visible_to,
)

if TYPE_CHECKING:
    from scorecards.engine.simulate import SimulationResult

# Who reads every scorecard's rules (anyone else: their own team's).
RULE_READERS = (Role.MANAGER, Role.ONBOARDING, Role.ADMIN)


def scorecards_visible_to(*, user: SiteUser, day: dt.date) -> QuerySet[Scorecard]:
    """Return the scorecards whose rules the user may read.

    Managers, onboarding staff and admins read every scorecard; anyone else the scorecard of
    the team they are in on the day.
    """
    if not user.is_authenticated:
        return Scorecard.objects.none()
    if role_for_user(user=user) in RULE_READERS:
        return Scorecard.objects.all()
    employee = employee_for_user(user=user)
    if employee is None:
        return Scorecard.objects.none()
    return Scorecard.objects.filter(
        pk__in=TeamMembership.objects.on_day(day)
        .filter(employee=employee)
        .values("team__scorecard_id")
    )


def versions_in_force_on(day: dt.date) -> QuerySet[ScorecardVersion]:
    """Return the published versions effective by the day, latest first, per outer scorecard."""
    return ScorecardVersion.objects.filter(
        scorecard_id=OuterRef("scorecard_pk"),
        status=VersionStatus.PUBLISHED,
        effective_from__lte=day,
    ).order_by("-effective_from")


def rules_index(*, user: SiteUser, day: dt.date) -> QuerySet[Scorecard]:
    """Return the visible scorecards with the version in force and the user's acknowledgement.

    Each scorecard carries `version_number`, `version_effective_from`, `team_count` and
    `acknowledged_at` (None when the user has not acknowledged the version in force).
    """
    employee = employee_for_user(user=user)
    in_force = versions_in_force_on(day)
    scorecards = scorecards_visible_to(user=user, day=day).annotate(
        scorecard_pk=F("pk"),
        version_id=Subquery(in_force.values("pk")[:1]),
        version_number=Subquery(in_force.values("number")[:1]),
        version_effective_from=Subquery(in_force.values("effective_from")[:1]),
        team_count=Subquery(
            Team.objects.filter(scorecard_id=OuterRef("pk"))
            .order_by()
            .values("scorecard_id")
            .annotate(count=Count("pk"))
            .values("count")
        ),
    )
    acknowledged = RuleAcknowledgement.objects.filter(
        employee_id__in=[employee.pk] if employee else [], version_id=OuterRef("version_id")
    )
    return scorecards.annotate(
        acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1])
    ).order_by("name")


def scorecard_editors_allowed(*, user: SiteUser) -> bool:
    """Tell whether the user may draft and publish versions: admins, and managers with the
    `scorecards.change_scorecardversion` permission."""
    if is_admin(user=user):
        return True
    return role_for_user(user=user) == Role.MANAGER and user.has_perm(
        "scorecards.change_scorecardversion"
    )


@dataclass(frozen=True)
class RuleMetric:
    """A metric of the version in force, in the reader's language, as the rules page shows it."""

    code: str
    label: str
    what: str
    why: str
    how: str
    computation: str
    higher_is_better: bool
    # Target and floor with the unit: a symbol for the summary table, words for sentences.
    target_shown: str
    floor_shown: str
    target_words: str
    floor_words: str
    weight: Decimal
    weight_share: Decimal
    target: Decimal
    floor: Decimal
    min_sample: int
    # The reader's language has a translation written before the English last changed.
    translation_outdated: bool = False


@dataclass(frozen=True)
class RuleCriterion:
    """A QA criterion of the version in force, in the reader's language."""

    code: str
    label: str
    description: str
    examples: str
    weight: Decimal
    is_critical: bool
    translation_outdated: bool = False


@dataclass(frozen=True)
class RuleSection:
    """A QA section of the version in force: its weight, auto-fail and criteria."""

    code: str
    label: str
    weight: Decimal
    weight_share: Decimal
    auto_fail: str
    auto_fail_label: str
    criteria: list[RuleCriterion]
    translation_outdated: bool = False


@dataclass(frozen=True)
class VersionChange:
    """One difference between a version and the one before it.

    `kind` is "added", "removed", "changed" (a number, flag or named choice, with before and
    after) or "reworded" (a rule text); `part` is "version", "metric", "section" or "criterion".
    """

    part: str
    subject: str
    kind: str
    field: str = ""
    before: Decimal | int | bool | str | None = None
    after: Decimal | int | bool | str | None = None

    @property
    def is_flag(self) -> bool:
        """Tell whether before and after are yes/no values."""
        return isinstance(self.after, bool)

    @property
    def is_text(self) -> bool:
        """Tell whether before and after are words (a choice's name, a section's label)."""
        return isinstance(self.after, str)


@dataclass(frozen=True)
class VersionHistoryEntry:
    """A published version with what changed since the one before it."""

    version: ScorecardVersion
    change_summary: str
    changes: list[VersionChange]
    is_in_force: bool
    is_upcoming: bool


@dataclass(frozen=True)
class ScorecardRules:
    """Everything the rules page shows: the version in force, its history, the reader's
    acknowledgement."""

    scorecard: Scorecard
    version: ScorecardVersion | None
    intro: str
    metrics: list[RuleMetric]
    criteria: list[RuleCriterion]
    history: list[VersionHistoryEntry]
    acknowledged_at: dt.datetime | None
    intro_outdated: bool = False
    # The criteria again, grouped; empty when the version has no QA sections.
    sections: list[RuleSection] = field(default_factory=list)


_VERSION_COMPARED = ("sla_minutes", "green_from", "amber_from")
_METRIC_COMPARED = ("weight", "target", "floor", "min_sample")
_METRIC_WORDING = ("label", "rule_what", "rule_why", "rule_how")
_CRITERION_COMPARED = ("weight", "is_critical")
_CRITERION_WORDING = ("label", "description", "examples")
_SECTION_COMPARED = ("weight",)
_SECTION_WORDING = ("label",)


def _field_label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _parts_changes(
    *,
    part: str,
    before: Iterable[Any],
    after: Iterable[Any],
    compared: Sequence[str],
    wording: Sequence[str],
    language: str,
) -> list[VersionChange]:
    """Compare two versions' metrics or criteria, matched by code."""
    old = {row.code: row for row in before}
    new = {row.code: row for row in after}
    changes = []
    for code, row in new.items():
        subject = row.localized("label", language)
        if code not in old:
            changes.append(VersionChange(part=part, subject=subject, kind="added"))
            continue
        previous = old[code]
        changes.extend(
            VersionChange(
                part=part,
                subject=subject,
                kind="changed",
                field=_field_label(type(row), name),
                before=getattr(previous, name),
                after=getattr(row, name),
            )
            for name in compared
            if getattr(previous, name) != getattr(row, name)
        )
        reworded = [
            _field_label(type(row), name)
            for name in wording
            if previous.localized(name, language) != row.localized(name, language)
        ]
        if reworded:
            changes.append(
                VersionChange(
                    part=part, subject=subject, kind="reworded", field=", ".join(reworded)
                )
            )
    changes.extend(
        VersionChange(part=part, subject=row.localized("label", language), kind="removed")
        for code, row in old.items()
        if code not in new
    )
    return changes


def version_changes(
    *, before: ScorecardVersion, after: ScorecardVersion, language: str
) -> list[VersionChange]:
    """Return what changed from one version to another: settings, metrics, QA sections, criteria.

    Uses the versions' prefetched metrics and criteria, so a history costs no query per version.
    """
    changes = [
        VersionChange(
            part="version",
            subject=str(after),
            kind="changed",
            field=_field_label(ScorecardVersion, name),
            before=getattr(before, name),
            after=getattr(after, name),
        )
        for name in _VERSION_COMPARED
        if getattr(before, name) != getattr(after, name)
    ]
    changes += _parts_changes(
        part="metric",
        before=before.metrics.all(),
        after=after.metrics.all(),
        compared=_METRIC_COMPARED,
        wording=_METRIC_WORDING,
        language=language,
    )
    changes += _parts_changes(
        part="section",
        before=before.qa_sections.all(),
        after=after.qa_sections.all(),
        compared=_SECTION_COMPARED,
        wording=_SECTION_WORDING,
        language=language,
    )
    changes += _auto_fail_changes(before=before, after=after, language=language)
    changes += _parts_changes(
        part="criterion",
        before=before.qa_criteria.all(),
        after=after.qa_criteria.all(),
        compared=_CRITERION_COMPARED,
        wording=_CRITERION_WORDING,
        language=language,
    )
    changes += _criterion_moves(before=before, after=after, language=language)
    return changes


def _auto_fail_changes(
    *, before: ScorecardVersion, after: ScorecardVersion, language: str
) -> list[VersionChange]:
    old = {section.code: section for section in before.qa_sections.all()}
    return [
        VersionChange(
            part="section",
            subject=section.localized("label", language),
            kind="changed",
            field=_field_label(QASection, "auto_fail"),
            before=old[section.code].get_auto_fail_display(),
            after=section.get_auto_fail_display(),
        )
        for section in after.qa_sections.all()
        if section.code in old and old[section.code].auto_fail != section.auto_fail
    ]


def _criterion_moves(
    *, before: ScorecardVersion, after: ScorecardVersion, language: str
) -> list[VersionChange]:
    """Return the criteria now in another section (by code), read from the prefetched rows."""

    def placed(version: ScorecardVersion) -> dict[str, tuple[str, str]]:
        """Return each criterion's section as (code, label); ("", "—") outside sections."""
        by_id: dict[int | None, tuple[str, str]] = {None: ("", "—")}
        by_id.update(
            (section.pk, (section.code, section.localized("label", language)))
            for section in version.qa_sections.all()
        )
        return {
            criterion.code: by_id[criterion.section_id] for criterion in version.qa_criteria.all()
        }

    old = placed(before)
    new = placed(after)
    labels = {criterion.code: criterion for criterion in after.qa_criteria.all()}
    return [
        VersionChange(
            part="criterion",
            subject=labels[code].localized("label", language),
            kind="changed",
            field=_field_label(QACriterion, "section"),
            before=old[code][1],
            after=section[1],
        )
        for code, section in new.items()
        if code in old and old[code][0] != section[0]
    ]


def _rule_metrics(*, version: ScorecardVersion, language: str) -> list[RuleMetric]:
    metrics = list(version.metrics.all())
    total_weight = sum((metric.weight for metric in metrics), Decimal(0))
    specs = {metric.code: metric_spec(metric.code) for metric in metrics}
    return [
        RuleMetric(
            code=metric.code,
            label=metric.localized("label", language),
            what=metric.localized("rule_what", language),
            why=metric.localized("rule_why", language),
            how=metric.localized("rule_how", language),
            computation=str(specs[metric.code].computation),
            higher_is_better=specs[metric.code].higher_is_better,
            target_shown=specs[metric.code].format(metric.target, "-2"),
            floor_shown=specs[metric.code].format(metric.floor, "-2"),
            target_words=specs[metric.code].quantity(metric.target, "-2"),
            floor_words=specs[metric.code].quantity(metric.floor, "-2"),
            weight=metric.weight,
            weight_share=quantize(metric.weight / total_weight * 100, 0) or Decimal(0),
            target=metric.target,
            floor=metric.floor,
            min_sample=metric.min_sample,
            translation_outdated=metric.translation_outdated(METRIC_TEXTS, language),
        )
        for metric in metrics
    ]


def _rule_criterion(criterion: QACriterion, language: str) -> RuleCriterion:
    return RuleCriterion(
        code=criterion.code,
        label=criterion.localized("label", language),
        description=criterion.localized("description", language),
        examples=criterion.localized("examples", language),
        weight=criterion.weight,
        is_critical=criterion.is_critical,
        translation_outdated=criterion.translation_outdated(CRITERION_TEXTS, language),
    )


def _rule_criteria(*, version: ScorecardVersion, language: str) -> list[RuleCriterion]:
    return [_rule_criterion(criterion, language) for criterion in version.qa_criteria.all()]


def _rule_sections(*, version: ScorecardVersion, language: str) -> list[RuleSection]:
    sections = list(version.qa_sections.all())
    total_weight = sum((section.weight for section in sections), Decimal(0))
    return [
        RuleSection(
            code=section.code,
            label=section.localized("label", language),
            weight=section.weight,
            weight_share=quantize(section.weight / total_weight * 100, 0) or Decimal(0),
            auto_fail=section.auto_fail,
            auto_fail_label=section.get_auto_fail_display(),
            criteria=[
                _rule_criterion(criterion, language)
                for criterion in version.qa_criteria.all()
                if criterion.section_id == section.pk
            ],
            translation_outdated=section.translation_outdated(SECTION_TEXTS, language),
        )
        for section in sections
    ]


def scorecard_rules(
    *, scorecard: Scorecard, employee: Employee | None, day: dt.date, language: str
) -> ScorecardRules:
    """Return the scorecard's rules in force on the day, in the language, with their history.

    Five queries whatever the number of versions: the published versions, their metrics, their
    criteria, their QA sections, and the reader's acknowledgement of the version in force.
    """
    versions = list(
        scorecard.versions.filter(status=VersionStatus.PUBLISHED)
        .prefetch_related("metrics", "qa_criteria", "qa_sections")
        .order_by("effective_from", "number")
    )
    in_force = None
    for version in versions:
        if version.effective_from <= day:
            in_force = version
    history = [
        VersionHistoryEntry(
            version=version,
            change_summary=version.localized("change_summary", language),
            changes=(
                version_changes(before=versions[index - 1], after=version, language=language)
                if index
                else []
            ),
            is_in_force=version == in_force,
            is_upcoming=version.effective_from > day,
        )
        for index, version in enumerate(versions)
    ]
    acknowledged_at = None
    if in_force is not None and employee is not None:
        acknowledged_at = (
            RuleAcknowledgement.objects.filter(employee=employee, version=in_force)
            .values_list("acknowledged_at", flat=True)
            .first()
        )
    return ScorecardRules(
        scorecard=scorecard,
        version=in_force,
        intro=in_force.localized("intro", language) if in_force else "",
        intro_outdated=in_force is not None and in_force.translation_outdated(("intro",), language),
        metrics=_rule_metrics(version=in_force, language=language) if in_force else [],
        criteria=_rule_criteria(version=in_force, language=language) if in_force else [],
        history=history[::-1],
        acknowledged_at=acknowledged_at,
        sections=_rule_sections(version=in_force, language=language) if in_force else [],
    )


def editor_versions(*, scorecard: Scorecard, day: dt.date) -> list[ScorecardVersion]:
    """Return every version of the scorecard, newest first, for the editor (one query).

    Each carries `metric_count`, `criterion_count` and `is_in_force` (on the day).
    """
    versions: list[ScorecardVersion] = list(
        scorecard.versions.annotate(
            metric_count=Count("metrics", distinct=True),
            criterion_count=Count("qa_criteria", distinct=True),
        ).order_by("-number")
    )
    published = [
        version for version in versions if version.is_published and version.effective_from <= day
    ]
    in_force = max(published, key=lambda version: version.effective_from, default=None)
    for version in versions:
        # Read by the template; not a model field.
        version.is_in_force = version == in_force  # type: ignore[attr-defined]
    return versions


@dataclass(frozen=True)
class SimulatedRow:
    """A simulated subject the reader may see, with its name."""

    name: str
    totals: object


def simulation_rows(
    *, result: "SimulationResult", user: SiteUser
) -> tuple[list[SimulatedRow], list[SimulatedRow]]:
    """Return a simulation's team and employee totals the user may see, named and by name.

    `result` is an `engine.simulate.SimulationResult`; subjects outside `teams_visible_to` and
    `employees_visible_to` are left out. Two queries.
    """
    teams = teams_visible_to(user=user).in_bulk([row.subject_id for row in result.teams])
    employees = (
        employees_visible_to(user=user)
        .select_related("user")
        .in_bulk([row.subject_id for row in result.employees])
    )
    team_rows = [
        SimulatedRow(name=teams[row.subject_id].name, totals=row)
        for row in result.teams
        if row.subject_id in teams
    ]
    employee_rows = [
        SimulatedRow(name=employees[row.subject_id].full_name, totals=row)
        for row in result.employees
        if row.subject_id in employees
    ]
    return (
        sorted(team_rows, key=lambda row: row.name.casefold()),
        sorted(employee_rows, key=lambda row: row.name.casefold()),
    )


@dataclass(frozen=True)
class TranslatedText:
    """One rule text's translation into one language, as a published version keeps it."""

    field: str
    text: str
    stale: bool


@dataclass(frozen=True)
class LanguageTranslations:
    code: str
    name: str
    texts: list[TranslatedText]


@dataclass(frozen=True)
class RowTranslations:
    """The stored translations of one row of a version (its settings, a metric, a QA section or
    criterion), per language that has any, for the editor's read-only page."""

    part: str
    name: str
    languages: list[LanguageTranslations]

    @property
    def stale_count(self) -> int:
        return sum(text.stale for language in self.languages for text in language.texts)


def version_translations(
    *,
    version: ScorecardVersion,
    metrics: Sequence[Metric],
    sections: Sequence[QASection],
    criteria: Sequence[QACriterion],
) -> list[RowTranslations]:
    """Return the translations of the version's rule texts, row by row in the editor's order
    (its metrics, sections and criteria as the page already read them: no query here); rows
    without any translation are left out. Staleness is `translation_is_stale`'s rule."""
    rows: list[tuple[str, str, ScorecardVersion | Metric | QASection | QACriterion]] = [
        ("version", "", version)
    ]
    rows += [("metric", str(metric), metric) for metric in metrics]
    rows += [("section", str(section), section) for section in sections]
    rows += [("criterion", str(criterion), criterion) for criterion in criteria]
    result = []
    for part, name, row in rows:
        model = type(row)
        languages = []
        for code, language_name in translation_languages():
            texts = [
                TranslatedText(
                    field=_field_label(model, field_name),
                    text=translation_text(row.translations, code, field_name),
                    stale=translation_is_stale(
                        row.translations, code, field_name, getattr(row, field_name)
                    ),
                )
                for field_name in row.TRANSLATED_TEXTS
                if translation_text(row.translations, code, field_name)
            ]
            if texts:
                languages.append(
                    LanguageTranslations(code=code, name=str(language_name), texts=texts)
                )
        if languages:
            result.append(RowTranslations(part=part, name=name, languages=languages))
    return result
