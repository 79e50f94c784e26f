"""The engine benchmark's third contestant: a naive ORM loop, one employee and one day at a time.

It scores a sample of employee-days the obvious way (fetch the rows, add them up in Python,
save) and must agree with the engine's rows on every num/den of its sample; its writes are
rolled back. `bench.engine` scales its time to the whole backfill.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.models import Interaction
from feedback.choices import ReviewReason, ReviewStatus
from feedback.models import QAReview, SurveyResponse
from scorecards.choices import MetricCode, VersionStatus
from scorecards.dirty import local_day, organisation_zone
from scorecards.models import EmployeeDailyScore, ScorecardVersion
from scorecards.scoring import quantize, score_stats
from scorecards.selectors.stats import STAT_COLUMNS
from scorecards.selectors.versions import days_final_at, version_rules
from staff.models import TeamMembership

_ZERO = Decimal(0)
_ONE = Decimal(1)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=organisation_zone())


def _minutes(span: dt.timedelta, unit: Decimal) -> Decimal:
    return quantize(Decimal(span // dt.timedelta(microseconds=1)) / unit, 4)


def _figure(result, name: str) -> float | None:
    number = None if result is None else getattr(result, name)
    return None if number is None else float(quantize(number))


def _naive_version(*, employee_id: int, day: dt.date):
    """Return the employee's membership that day and its scorecard's version then, or None."""
    membership = (
        TeamMembership.objects.filter(employee_id=employee_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("team")
        .order_by("-starts_on")
        .first()
    )
    if membership is None:
        return None
    version = (
        ScorecardVersion.objects.filter(
            scorecard_id=membership.team.scorecard_id,
            status=VersionStatus.PUBLISHED,
            effective_from__lte=day,
        )
        .order_by("-effective_from")
        .first()
    )
    return None if version is None else (membership, version)


def _naive_opened(*, stats: dict, employee_id: int, start, end, limit, now) -> bool:
    opened = list(
        Interaction.objects.filter(employee_id=employee_id, opened_at__gte=start, opened_at__lt=end)
    )
    if not opened:
        return False
    answered = [i for i in opened if i.first_response_at is not None]
    in_sla = sum(1 for i in answered if i.first_response_at <= i.opened_at + limit)
    counted = sum(
        1 for i in opened if i.first_response_at is not None or i.opened_at <= now - limit
    )
    stats[MetricCode.RESPONSE_SLA] = (Decimal(in_sla), Decimal(counted))
    waited = sum((i.first_response_at - i.opened_at for i in answered), dt.timedelta())
    stats[MetricCode.FIRST_RESPONSE_MINUTES] = (
        _minutes(waited, Decimal(60_000_000)),
        Decimal(len(answered)),
    )
    return True


def _naive_resolved(*, stats: dict, employee_id: int, start, end) -> bool:
    resolved = list(
        Interaction.objects.filter(
            employee_id=employee_id, resolved_at__gte=start, resolved_at__lt=end
        )
    )
    if not resolved:
        return False
    count = Decimal(len(resolved))
    stats[MetricCode.FCR] = (
        Decimal(sum(i.is_first_contact_resolution for i in resolved)),
        count,
    )
    stats[MetricCode.ESCALATION] = (Decimal(sum(i.is_escalated for i in resolved)), count)
    took = sum((i.resolved_at - i.opened_at for i in resolved), dt.timedelta())
    stats[MetricCode.RESOLUTION_HOURS] = (_minutes(took, Decimal(3_600_000_000)), count)
    stats[MetricCode.VOLUME] = (count, _ZERO)
    return True


def _naive_feedback(*, stats: dict, employee_id: int, day: dt.date, start, end, now) -> None:
    follow_ups = list(Interaction.objects.filter(employee_id=employee_id, follow_up_due=day))
    if follow_ups:
        done = [i for i in follow_ups if i.follow_up_done_at is not None]
        in_time = sum(1 for i in done if local_day(i.follow_up_done_at) <= day)
        due = len(follow_ups) if day < local_day(now) else len(done)
        stats[MetricCode.FOLLOW_UP] = (Decimal(in_time), Decimal(due))
    responses = list(
        SurveyResponse.objects.filter(
            interaction__employee_id=employee_id, submitted_at__gte=start, submitted_at__lt=end
        )
    )
    if responses:
        rated = [r for r in responses if r.nps is not None]
        net = sum(1 for r in rated if r.nps >= 9) - sum(1 for r in rated if r.nps <= 6)
        stats[MetricCode.CSAT] = (
            Decimal(sum(1 for r in responses if r.csat >= 4)),
            Decimal(len(responses)),
        )
        stats[MetricCode.NPS] = (Decimal(net), Decimal(len(rated)))
    reviews = list(
        QAReview.objects.filter(
            interaction__employee_id=employee_id,
            status__in=(ReviewStatus.PUBLISHED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED),
            scored_at__gte=start,
            scored_at__lt=end,
        ).exclude(reason=ReviewReason.CALIBRATION)
    )
    if reviews:
        total = sum((r.total for r in reviews if r.total is not None), _ZERO)
        stats[MetricCode.QA] = (total, Decimal(len(reviews)))


def naive_day(*, employee_id: int, day: dt.date, now: dt.datetime) -> EmployeeDailyScore | None:
    """Score one employee's day the obvious way: fetch its rows, add them up in Python, save."""
    found = _naive_version(employee_id=employee_id, day=day)
    if found is None:
        return None
    membership, version = found
    start, end = _moment(day), _moment(day + dt.timedelta(days=1))
    stats = dict.fromkeys(MetricCode.values, (_ZERO, _ZERO))
    window = {"stats": stats, "employee_id": employee_id, "start": start, "end": end}
    limit = dt.timedelta(minutes=version.sla_minutes)
    opened = _naive_opened(**window, limit=limit, now=now)
    resolved = _naive_resolved(**window)
    worked = opened or resolved
    _naive_feedback(**window, day=day, now=now)
    is_final = now >= days_final_at(date_from=day, date_to=day)[day]
    if worked and is_final:
        stats[MetricCode.VOLUME] = (stats[MetricCode.VOLUME][0], _ONE)
    score = score_stats(
        stats=stats,
        rules=version_rules(version),
        green_from=version.green_from,
        amber_from=version.amber_from,
    )
    columns = {}
    for code, (num, den) in stats.items():
        columns[f"{code}_num"] = num
        columns[f"{code}_den"] = den
    row, _created = EmployeeDailyScore.objects.update_or_create(
        employee_id=employee_id,
        day=day,
        defaults={
            "team_id": membership.team_id,
            "version": version,
            "total": quantize(score.total) if worked else None,
            "band": score.band if worked and is_final else "",
            "is_worked": worked,
            "is_final": is_final,
            "api_metrics": json.dumps(
                {
                    code: {
                        "value": _figure(score.metrics.get(code), "value"),
                        "score": _figure(score.metrics.get(code), "score"),
                        "num": float(num),
                        "den": float(den),
                    }
                    for code, (num, den) in stats.items()
                },
                separators=(",", ":"),
            ),
            "computed_at": now,
            **columns,
        },
    )
    return row


@dataclass(frozen=True)
class NaiveResult:
    seconds: float
    employee_days: int
    mismatches: int


class _Rollback(Exception):
    pass


def naive_sample(
    *, employee_days: list[tuple[int, dt.date]], now: dt.datetime | None = None
) -> NaiveResult:
    """Run the naive loop on the sample, compare its num/den with ours, and undo its writes.

    Our rows for the sample must be stored already; the naive writes are rolled back so the
    score table keeps ours.
    """
    now = now or timezone.now()
    ours = {
        (row.employee_id, row.day): [getattr(row, column) for column in STAT_COLUMNS]
        for row in EmployeeDailyScore.objects.filter(
            employee_id__in={e for e, _d in employee_days},
            day__in={d for _e, d in employee_days},
        )
    }
    mismatches = 0
    seconds = 0.0
    try:
        with transaction.atomic():
            started = time.perf_counter()
            rows = [naive_day(employee_id=e, day=d, now=now) for e, d in employee_days]
            seconds = time.perf_counter() - started
            for (employee_id, day), row in zip(employee_days, rows, strict=True):
                values = None if row is None else [getattr(row, c) for c in STAT_COLUMNS]
                if values != ours.get((employee_id, day)):
                    mismatches += 1
            raise _Rollback
    except _Rollback:
        pass
    return NaiveResult(seconds=seconds, employee_days=len(employee_days), mismatches=mismatches)
