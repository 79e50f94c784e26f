"""Everything that writes scorecard data: versions, computed scores, goals, change events."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scorecards.choices import ChangeKind, GoalStatus, MetricCode, VersionStatus
from scorecards.dirty import days_mark_dirty
from scorecards.models import (
    Alert,
    ChangeEvent,
    Goal,
    Metric,
    QACriterion,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
)
from scorecards.selectors.agent import METRIC_VALUE_RANGES
from scorecards.selectors.digests import manager_digests
from scorecards.selectors.goals import goals_progress
from scorecards.selectors.stats import day_range
from scorecards.selectors.versions import last_final_day, version_in_force, version_rescored_days
from staff.models import Employee, Team, TeamMembership
from staff.services import membership_start


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


def _copied_fields(row, *, skip: set[str]) -> dict:
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
    for model, related in ((Metric, version.metrics), (QACriterion, version.qa_criteria)):
        model.objects.bulk_create(
            [
                model(**_copied_fields(row, skip={"id", "version"}), version=draft)
                for row in related.all()
            ]
        )
    return draft


def goal_validate(
    *, metric: str, target: Decimal, starts_on: dt.date, ends_on: dt.date, why: str
) -> None:
    """Refuse an unknown metric, a target out of its range, a reversed period or an empty why."""
    errors: dict[str, ValidationError] = {}
    if metric not in MetricCode.values:
        errors["metric"] = ValidationError(_("Choose a metric from the list."), code="invalid")
    else:
        low, high = METRIC_VALUE_RANGES[metric]
        label = MetricCode(metric).label
        if (low is not None and target < low) or (high is not None and target > high):
            if high is None:
                message = _("A target for %(metric)s must be %(low)s or more.")
            else:
                message = _("A target for %(metric)s must be between %(low)s and %(high)s.")
            errors["target"] = ValidationError(
                message,
                code="out_of_range",
                params={"metric": label, "low": low, "high": high},
            )
    if ends_on < starts_on:
        errors["ends_on"] = ValidationError(
            _("The goal cannot end before it starts."), code="ends_before_start"
        )
    if not why.strip():
        errors["why"] = ValidationError(
            _("Say in a few words why this goal matters."), code="required"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_create(
    *,
    employee: Employee,
    set_by: Employee | None,
    metric: str,
    target: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    why: str,
) -> Goal:
    """Create an employee's goal, set by themselves or by their manager."""
    goal_validate(metric=metric, target=target, starts_on=starts_on, ends_on=ends_on, why=why)
    return Goal.objects.create(
        employee=employee,
        set_by=set_by,
        metric=metric,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        why=why.strip(),
    )


@transaction.atomic
def goal_update(
    *, goal: Goal, metric: str, target: Decimal, starts_on: dt.date, ends_on: dt.date, why: str
) -> Goal:
    """Change a goal; it is open again until `goals_settle` judges its (new) period."""
    goal_validate(metric=metric, target=target, starts_on=starts_on, ends_on=ends_on, why=why)
    goal.metric = metric
    goal.target = target
    goal.starts_on = starts_on
    goal.ends_on = ends_on
    goal.why = why.strip()
    goal.status = GoalStatus.OPEN
    goal.save(update_fields=["metric", "target", "starts_on", "ends_on", "why", "status"])
    return goal


def goal_delete(*, goal: Goal) -> None:
    """Delete a goal."""
    goal.delete()


@transaction.atomic
def goals_settle(*, now: dt.datetime | None = None) -> int:
    """Judge every goal whose period is over and final met or missed; return how many changed.

    The goal's metric is pooled over its days (one query for all goals), so a goal with no
    scored day at all is missed. Settled goals are judged again: a late survey answer or an
    adjusted review can move a pooled value across the target, and the status must always
    agree with the value shown beside it. Safe to run again.
    """
    now = now or timezone.now()
    ended = Goal.objects.filter(ends_on__lte=last_final_day(now=now))
    # Locked apart from the pooling query: PostgreSQL refuses FOR UPDATE with GROUP BY.
    list(ended.select_for_update().order_by("pk").values_list("pk", flat=True))
    changed = 0
    for progress in goals_progress(goals=ended, now=now):
        status = GoalStatus.MET if progress.is_met else GoalStatus.MISSED
        if progress.goal.status != status:
            changed += Goal.objects.filter(pk=progress.goal.pk).update(status=status)
    return changed


@transaction.atomic
def change_event_record(
    *,
    day: dt.date,
    team: Team | None,
    kind: str,
    title: str,
    notes: str = "",
    created_by: Employee | None = None,
    is_automatic: bool = False,
    today: dt.date | None = None,
) -> ChangeEvent:
    """Record a change inside the business on a day, for one team or (no team) for everyone.

    A change recorded by hand has happened already; automatic ones (a planned team move, a
    version published ahead) may lie in the future.
    """
    today = today or timezone.localdate()
    if not is_automatic and day > today:
        raise ValidationError(
            {
                "day": ValidationError(
                    _("A change is recorded once it has happened: choose today or a past day."),
                    code="future_day",
                )
            }
        )
    event = ChangeEvent(
        day=day,
        team=team,
        kind=kind,
        title=title.strip(),
        notes=notes.strip(),
        is_automatic=is_automatic,
        created_by=created_by,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def team_member_join(
    *,
    employee: Employee,
    team: Team,
    starts_on: dt.date,
    recorded_by: Employee | None = None,
    today: dt.date | None = None,
) -> TeamMembership:
    """Move the employee into the team, record the "joined team" event and rescore past days.

    Lives here rather than in staff.services because staff may not import scorecards: the
    membership change and its change event commit together or not at all.
    """
    today = today or timezone.localdate()
    membership = membership_start(employee=employee, team=team, starts_on=starts_on)
    change_event_record(
        day=starts_on,
        team=team,
        kind=ChangeKind.NEW_HIRE,
        title=_("%(name)s joined %(team)s") % {"name": employee.full_name, "team": team.name},
        created_by=recorded_by,
        is_automatic=True,
        today=today,
    )
    if starts_on <= today:
        # Days already scored with the old team are scored again with the new one.
        days_mark_dirty(
            pairs=[(employee.pk, day) for day in day_range(date_from=starts_on, date_to=today)]
        )
    return membership


def alert_acknowledge(*, alert: Alert, user, now: dt.datetime | None = None) -> Alert:
    """Record who acknowledged the alert and when; a second acknowledgement changes nothing."""
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now or timezone.now(), acknowledged_by=user
    )
    alert.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return alert


DIGEST_SUBJECT_TEMPLATE = "scorecards/email/digest_subject.txt"
DIGEST_BODY_TEMPLATE = "scorecards/email/digest_body.txt"
# Long enough to cover the retries and duplicate deliveries of one weekly run.
_DIGEST_SENT_SECONDS = 8 * 24 * 60 * 60


def manager_digest_send(*, week_ending: dt.date) -> int:
    """E-mail each manager their teams' week, in their language; return how many mails went.

    The week is the seven days up to `week_ending`. Each manager's digest is marked as sent in
    the cache before it goes, so a retried or duplicated task sends it once; a failed send
    removes the mark again so the retry can send it.
    """
    sent = 0
    for digest in manager_digests(week_ending=week_ending):
        key = f"crs:digest:{week_ending.isoformat()}:{digest.manager.pk}"
        if not cache.add(key, True, timeout=_DIGEST_SENT_SECONDS):
            continue
        try:
            _digest_message(digest=digest).send()
        except Exception:
            cache.delete(key)
            raise
        sent += 1
    return sent


def _digest_message(*, digest) -> EmailMessage:
    manager = digest.manager
    with translation.override(manager.language):
        context = {
            "manager_name": manager.full_name,
            "date_from": date_format(digest.week.date_from, "DATE_FORMAT"),
            "date_to": date_format(digest.week.date_to, "DATE_FORMAT"),
            "teams": digest.teams,
        }
        subject = " ".join(render_to_string(DIGEST_SUBJECT_TEMPLATE, context).split())
        body = render_to_string(DIGEST_BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, to=[manager.user.email])


_EDITABLE_VERSION_FIELDS = ("sla_minutes", "green_from", "amber_from", "intro", "change_summary")
_EDITABLE_METRIC_FIELDS = (
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


@transaction.atomic
def rule_acknowledge(*, employee: Employee, version: ScorecardVersion) -> RuleAcknowledgement:
    """Record that the employee has read a published version; a repeat keeps the first date."""
    if not version.is_published:
        raise ValidationError(
            _("Only published rules can be acknowledged."), code="version_not_published"
        )
    acknowledgement, _created = RuleAcknowledgement.objects.get_or_create(
        employee=employee, version=version
    )
    return acknowledgement


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
    *, model, version: ScorecardVersion, rows: Sequence[Mapping], fields: Sequence[str]
) -> None:
    """Make the version's metrics or criteria exactly the rows, matched by code, in order."""
    model.objects.filter(version=version).exclude(code__in=[row["code"] for row in rows]).delete()
    model.objects.bulk_create(
        [
            model(
                version=version,
                code=row["code"],
                position=position,
                **{name: row[name] for name in fields},
            )
            for position, row in enumerate(rows)
        ],
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=[*fields, "position"],
    )


@transaction.atomic
def scorecard_version_draft_update(
    *,
    version: ScorecardVersion,
    settings: Mapping,
    metrics: Sequence[Mapping],
    criteria: Sequence[Mapping],
) -> ScorecardVersion:
    """Replace a draft's settings, metrics and QA criteria, all or nothing.

    Metrics and criteria are matched by code: a listed code is created or updated at its place
    in the list, a code no longer listed is removed. A published version is refused.
    """
    version = ScorecardVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s is published and can no longer be changed."),
            code="already_published",
            params={"number": version.number},
        )
    for name in _EDITABLE_VERSION_FIELDS:
        setattr(version, name, settings[name])
    version.save(update_fields=list(_EDITABLE_VERSION_FIELDS))
    _parts_replace(model=Metric, version=version, rows=metrics, fields=_EDITABLE_METRIC_FIELDS)
    _parts_replace(
        model=QACriterion, version=version, rows=criteria, fields=_EDITABLE_CRITERION_FIELDS
    )
    return version
