"""Alerts (docs/SCORING.md): raise them on scored days, and mail them to the subject's managers.

On final days only, a subject (an employee or a team) gets an alert when it has been red on three
worked days running, or when its total pooled over the seven days up to that day is ten points or
more below the seven days before. One alert per episode: while the condition persists no new
alert is raised (nor mailed); after a recovery it may be raised again. Each (subject, kind, day)
is raised once: the unique constraints on `Alert` make evaluating a day twice harmless.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from scorecards.choices import AlertKind, Band, MetricCode
from scorecards.models import Alert, EmployeeDailyScore, TeamDailyScore
from scorecards.scoring import quantize
from scorecards.selectors.stats import STAT_COLUMNS
from scorecards.selectors.versions import employees_scorecards_on, period_versions, version_score
from staff.models import Employee, Team, TeamMembership

RED_STREAK_DAYS = 3
# How far back a run of red worked days is followed (someone who works once a month).
STREAK_LOOKBACK_DAYS = 60
DROP_WINDOW_DAYS = 7
DROP_POINTS = Decimal(10)

SUBJECT_TEMPLATE = "scorecards/email/alert_subject.txt"
BODY_TEMPLATE = "scorecards/email/alert_body.txt"


def alerts_evaluate(*, day: dt.date) -> int:
    """Raise the final day's red-streak and drop alerts for employees and teams; return how many.

    Only final rows count: today's "so far" figures have no band and raise nothing.
    """
    employee_ids, team_ids = _scored_on(day=day)
    today = timezone.localdate()
    alerts = [
        *_red_streaks(model=EmployeeDailyScore, subject="employee", day=day),
        *_red_streaks(model=TeamDailyScore, subject="team", day=day),
        *_drops(
            model=EmployeeDailyScore,
            subject="employee",
            day=day,
            versions=period_versions(
                scorecard_of=employees_scorecards_on(employee_ids=employee_ids, day=day),
                date_to=day,
                today=today,
            ),
        ),
        *_drops(
            model=TeamDailyScore,
            subject="team",
            day=day,
            versions=period_versions(
                scorecard_of=dict(
                    Team.objects.filter(pk__in=team_ids).values_list("pk", "scorecard")
                ),
                date_to=day,
                today=today,
            ),
        ),
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def _scored_on(*, day: dt.date) -> tuple[list[int], list[int]]:
    """Return the ids of the employees and of the teams with a final score row on the day."""
    return (
        list(
            EmployeeDailyScore.objects.filter(day=day, is_final=True).values_list(
                "employee_id", flat=True
            )
        ),
        list(
            TeamDailyScore.objects.filter(day=day, is_final=True).values_list("team_id", flat=True)
        ),
    )


def _red_streaks(*, model, subject: str, day: dt.date) -> list[Alert]:
    """Return an alert for each subject whose red run of worked days reaches three on the day.

    Days not worked are skipped, not breaks: they have no band. An alert marks the start of an
    episode: a fourth red day in a row raises nothing, and a run that is broken by a better
    worked day and then reaches three red days again is a new episode. Judged from the stored
    rows alone, so evaluating days again, or out of order, raises the same alerts.
    """
    worked = model.objects.filter(is_worked=True, is_final=True)
    candidates = worked.filter(day=day, band=Band.RED).values(subject)
    runs: dict[int, list[tuple[dt.date, str, Decimal]]] = defaultdict(list)
    for subject_id, row_day, band, total in (
        worked.filter(
            **{f"{subject}__in": candidates},
            day__lte=day,
            day__gte=day - dt.timedelta(days=STREAK_LOOKBACK_DAYS),
        )
        .order_by(subject, "-day")
        .values_list(subject, "day", "band", "total")
    ):
        if len(runs[subject_id]) <= RED_STREAK_DAYS:
            runs[subject_id].append((row_day, band, total))
    alerts = []
    for subject_id, latest in runs.items():
        streak = latest[:RED_STREAK_DAYS]
        before = latest[RED_STREAK_DAYS:]
        if len(streak) < RED_STREAK_DAYS or any(band != Band.RED for _d, band, _t in streak):
            continue
        if before and before[0][1] == Band.RED:
            continue  # the episode started earlier and was alerted then
        alerts.append(
            Alert(
                **{f"{subject}_id": subject_id},
                kind=AlertKind.RED_STREAK,
                day=day,
                details={"totals": {d.isoformat(): str(t) for d, _b, t in reversed(streak)}},
            )
        )
    return alerts


def _drops(*, model, subject: str, day: dt.date, versions: Mapping[int, object]) -> list[Alert]:
    """Return an alert for each subject whose pooled week fell ten points below the week before,
    when that was not already so the day before (one alert per episode).

    The weeks ending on the day and on the day before are pooled with one grouped SUM over the
    final rows, all scored with the period rule's version for the day, so a version change
    cannot itself look like a drop.
    """
    windows = {}
    for name, end in (("now", day), ("before", day - dt.timedelta(days=1))):
        current_from = end - dt.timedelta(days=DROP_WINDOW_DAYS - 1)
        windows[f"{name}_cur"] = Q(day__gte=current_from, day__lte=end)
        windows[f"{name}_prev"] = Q(
            day__gte=current_from - dt.timedelta(days=DROP_WINDOW_DAYS), day__lt=current_from
        )
    sums = {}
    for name, within in windows.items():
        sums[f"{name}_days"] = Count("pk", filter=within)
        for column in STAT_COLUMNS:
            sums[f"{name}_{column}"] = Sum(column, filter=within)
    first = day - dt.timedelta(days=2 * DROP_WINDOW_DAYS)
    rows = (
        model.objects.filter(
            is_final=True, day__range=(first, day), **{f"{subject}__in": list(versions)}
        )
        .values(subject)
        .annotate(scored_today=Count("pk", filter=Q(day=day)), **sums)
        .filter(scored_today=1, now_prev_days__gt=0)
        .order_by(subject)
    )
    current_from = day - dt.timedelta(days=DROP_WINDOW_DAYS - 1)
    alerts = []
    for row in rows:
        version = versions.get(row[subject])
        if version is None:
            continue
        current = _pooled_total(version=version, row=row, prefix="now_cur_")
        previous = _pooled_total(version=version, row=row, prefix="now_prev_")
        if not _is_drop(current=current, previous=previous):
            continue
        if row["before_prev_days"] and _is_drop(
            current=_pooled_total(version=version, row=row, prefix="before_cur_"),
            previous=_pooled_total(version=version, row=row, prefix="before_prev_"),
        ):
            continue  # the same drop was already there the day before
        alerts.append(
            Alert(
                **{f"{subject}_id": row[subject]},
                kind=AlertKind.DROP,
                day=day,
                details={
                    "current_from": current_from.isoformat(),
                    "previous_from": (
                        current_from - dt.timedelta(days=DROP_WINDOW_DAYS)
                    ).isoformat(),
                    "current_total": str(current),
                    "previous_total": str(previous),
                    "version": version.pk,
                },
            )
        )
    return alerts


def _is_drop(*, current: Decimal | None, previous: Decimal | None) -> bool:
    return current is not None and previous is not None and previous - current >= DROP_POINTS


def _pooled_total(*, version, row: Mapping, prefix: str) -> Decimal | None:
    stats = {
        code: (
            Decimal(row[f"{prefix}{code}_num"] or 0),
            Decimal(row[f"{prefix}{code}_den"] or 0),
        )
        for code in MetricCode.values
    }
    return quantize(version_score(version=version, stats=stats).total)


def alert_ids_to_email(*, day: dt.date) -> list[int]:
    """Return the ids of the day's alerts not yet e-mailed."""
    return list(
        Alert.objects.filter(day=day, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def alert_recipients(*, alert: Alert) -> list[Employee]:
    """Return the managers of the alert's team, or of the employee's team on the alert's day."""
    if alert.team_id is not None:
        team_ids = [alert.team_id]
    else:
        team_ids = (
            TeamMembership.objects.on_day(alert.day)
            .filter(employee_id=alert.employee_id)
            .values("team_id")
        )
    return list(
        Employee.objects.filter(managed_teams__in=team_ids)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def alert_email_send(*, alert_id: int, now: dt.datetime | None = None) -> int:
    """E-mail the alert to its managers, each in their language; return how many mails went.

    The alert row stays locked while mailing and is marked e-mailed in the same transaction,
    so a duplicate or retried task finds it marked and sends nothing.
    """
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("employee__user", "team")
            .filter(pk=alert_id, emailed_at__isnull=True)
            .first()
        )
        if alert is None:
            return 0
        messages = [
            _alert_message(alert=alert, manager=manager)
            for manager in alert_recipients(alert=alert)
            if manager.user.email
        ]
        if messages:
            get_connection().send_messages(messages)
        alert.emailed_at = now or timezone.now()
        alert.save(update_fields=["emailed_at"])
    return len(messages)


def _alert_message(*, alert: Alert, manager: Employee) -> EmailMessage:
    details = alert.details
    with translation.override(manager.language):
        context = {
            "kind": alert.kind,
            "manager_name": manager.full_name,
            "subject_name": alert.team.name if alert.team_id else alert.employee.full_name,
            "day": date_format(alert.day, "DATE_FORMAT"),
            "totals": [
                {
                    "day": date_format(dt.date.fromisoformat(day), "DATE_FORMAT"),
                    "total": Decimal(total),
                }
                for day, total in sorted(details.get("totals", {}).items())
            ],
        }
        if alert.kind == AlertKind.DROP:
            current = Decimal(details["current_total"])
            previous = Decimal(details["previous_total"])
            context.update(
                current_total=current, previous_total=previous, points=previous - current
            )
        link = (
            reverse("scorecards:team_dashboard", args=[alert.team.slug])
            if alert.team_id
            else reverse("scorecards:agent_detail", args=[alert.employee_id])
        )
        context["url"] = settings.CRS_SITE_URL.rstrip("/") + link
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, to=[manager.user.email])
