"""Alerts (SPEC §5): raise them on scored days, and mail them to the subject's managers.

A subject (an employee or a team) gets an alert on a day when it was red that day and the two
days before, or when its total pooled over the seven days up to that day is ten points or more
below the seven days before. Each (subject, kind, day) is raised once: the unique constraints
on `Alert` make evaluating a day twice harmless.
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
from scorecards.selectors import (
    STAT_COLUMNS,
    memberships_overlapping,
    version_score,
    version_timeline,
)
from staff.models import Employee, Team, TeamMembership

RED_STREAK_DAYS = 3
DROP_WINDOW_DAYS = 7
DROP_POINTS = Decimal(10)

SUBJECT_TEMPLATE = "scorecards/email/alert_subject.txt"
BODY_TEMPLATE = "scorecards/email/alert_body.txt"


def alerts_evaluate(*, day: dt.date) -> int:
    """Raise the day's red-streak and drop alerts for employees and teams; return how many."""
    employee_ids, team_ids = _scored_on(day=day)
    alerts = [
        *_red_streaks(model=EmployeeDailyScore, subject="employee", day=day),
        *_red_streaks(model=TeamDailyScore, subject="team", day=day),
        *_drops(
            model=EmployeeDailyScore,
            subject="employee",
            day=day,
            scorecard_of={
                span.employee_id: span.scorecard_id
                for span in memberships_overlapping(
                    date_from=day, date_to=day, employee_ids=employee_ids
                )
            },
        ),
        *_drops(
            model=TeamDailyScore,
            subject="team",
            day=day,
            scorecard_of=dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "scorecard")),
        ),
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def _scored_on(*, day: dt.date) -> tuple[list[int], list[int]]:
    """Return the ids of the employees and of the teams with a score row on the day."""
    return (
        list(EmployeeDailyScore.objects.filter(day=day).values_list("employee_id", flat=True)),
        list(TeamDailyScore.objects.filter(day=day).values_list("team_id", flat=True)),
    )


def _red_streaks(*, model, subject: str, day: dt.date) -> list[Alert]:
    """Return an alert for each subject whose total was red on the day and the days before."""
    first = day - dt.timedelta(days=RED_STREAK_DAYS - 1)
    red_rows = model.objects.filter(day__range=(first, day), band=Band.RED, total__isnull=False)
    streaks = (
        red_rows.values(subject)
        .annotate(red_days=Count("pk"))
        .filter(red_days=RED_STREAK_DAYS)
        .values(subject)
    )
    totals: dict[int, dict[str, str]] = defaultdict(dict)
    for subject_id, row_day, total in (
        red_rows.filter(**{f"{subject}__in": streaks})
        .order_by(subject, "day")
        .values_list(subject, "day", "total")
    ):
        totals[subject_id][row_day.isoformat()] = str(total)
    return [
        Alert(
            **{f"{subject}_id": subject_id},
            kind=AlertKind.RED_STREAK,
            day=day,
            details={"totals": by_day},
        )
        for subject_id, by_day in totals.items()
    ]


def _drops(
    *, model, subject: str, day: dt.date, scorecard_of: Mapping[int, int | None]
) -> list[Alert]:
    """Return an alert for each subject whose pooled week fell ten points below the week before.

    Both weeks are pooled with one grouped SUM over the stored rows and scored with the
    version in force on the day, so a version change cannot itself look like a drop.
    """
    current_from = day - dt.timedelta(days=DROP_WINDOW_DAYS - 1)
    previous_from = current_from - dt.timedelta(days=DROP_WINDOW_DAYS)
    in_current = Q(day__gte=current_from)
    in_previous = Q(day__lt=current_from)
    sums = {}
    for column in STAT_COLUMNS:
        sums[f"cur_{column}"] = Sum(column, filter=in_current)
        sums[f"prev_{column}"] = Sum(column, filter=in_previous)
    rows = (
        model.objects.filter(
            day__range=(previous_from, day), **{f"{subject}__in": list(scorecard_of)}
        )
        .values(subject)
        .annotate(
            scored_today=Count("pk", filter=Q(day=day)),
            previous_days=Count("pk", filter=in_previous),
            **sums,
        )
        .filter(scored_today=1, previous_days__gt=0)
        .order_by(subject)
    )
    timeline = version_timeline(scorecard_ids={pk for pk in scorecard_of.values() if pk}, until=day)
    alerts = []
    for row in rows:
        version = timeline.in_force(scorecard_id=scorecard_of[row[subject]], day=day)
        if version is None:
            continue
        current = _pooled_total(version=version, row=row, prefix="cur_")
        previous = _pooled_total(version=version, row=row, prefix="prev_")
        if current is None or previous is None or previous - current < DROP_POINTS:
            continue
        alerts.append(
            Alert(
                **{f"{subject}_id": row[subject]},
                kind=AlertKind.DROP,
                day=day,
                details={
                    "current_from": current_from.isoformat(),
                    "previous_from": previous_from.isoformat(),
                    "current_total": str(current),
                    "previous_total": str(previous),
                    "version": version.pk,
                },
            )
        )
    return alerts


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
            TeamMembership.objects.filter(employee_id=alert.employee_id, starts_on__lte=alert.day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=alert.day))
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
