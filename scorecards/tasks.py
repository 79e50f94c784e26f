"""Celery tasks of the scoring engine (docs/ARCHITECTURE.md): thin, idempotent, JSON arguments only.

Every task acknowledges late and is rejected back to the queue when its worker dies, so a
killed worker loses nothing; the work itself is an upsert, so running it twice is harmless.
Only named transient errors are retried.
"""

import datetime as dt
import logging

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from crs_site.celery import MAIL_TRANSIENT_ERRORS, task_options
from scorecards import alerts
from scorecards.dirty import days_mark_dirty
from scorecards.engine import runs
from scorecards.selectors.stats import day_range
from scorecards.services import digests, goals, onboarding

logger = logging.getLogger(__name__)


@shared_task(**task_options(soft_time_limit=4 * 60, time_limit=5 * 60))
def scores_refresh() -> None:
    """Hand the due work to the workers: past days to finalise, today in chunks, dirty days."""
    now = timezone.now()
    today = timezone.localdate(now)
    # Publishing inside the transaction that claims the dirty rows: if the broker refuses,
    # the claim rolls back and the rows stay for the next run. A chunk published just before
    # a failed commit only computes its days once more.
    with transaction.atomic():
        runs.fill_state_start(days=[today])
        for work in runs.scores_plan(now=now):
            _dispatch(work)


def _dispatch(work: runs.ScoreWork) -> None:
    date_from, date_to = work.date_from.isoformat(), work.date_to.isoformat()
    if work.is_final:
        scores_finalise.apply_async(kwargs={"day": date_from}, retry=False)
        return
    if work.employee_ids is None:
        chunks = runs.employee_chunks(date_from=work.date_from, date_to=work.date_to)
    else:
        chunks = runs.chunked(work.employee_ids)
    for employee_ids in chunks:
        scores_compute_chunk.apply_async(args=[employee_ids, date_from, date_to], retry=False)


@shared_task(**task_options(soft_time_limit=25 * 60, time_limit=30 * 60))
def scores_finalise(day: str | None = None) -> None:
    """Score a past day (yesterday by default) for everyone; once final, judge its alerts."""
    final_day = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    if runs.scores_finalise_day(day=final_day):
        alerts_evaluate.delay(final_day.isoformat())


class ScoresChunkTask(Task):
    """A chunk that fails for good puts its days back on the dirty list for the next run."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        call = {**dict(zip(("employee_ids", "date_from", "date_to"), args, strict=False)), **kwargs}
        days = day_range(
            date_from=dt.date.fromisoformat(call["date_from"]),
            date_to=dt.date.fromisoformat(call["date_to"]),
        )
        days_mark_dirty(pairs=[(pk, day) for pk in call["employee_ids"] for day in days])
        super().on_failure(exc, task_id, args, kwargs, einfo)


@shared_task(**task_options(base=ScoresChunkTask, soft_time_limit=10 * 60, time_limit=12 * 60))
def scores_compute_chunk(employee_ids: list[int], date_from: str, date_to: str) -> None:
    """Score the employees and their teams over the days; judge alerts on final days."""
    final_days = runs.scores_compute_chunk_run(
        employee_ids=employee_ids,
        date_from=dt.date.fromisoformat(date_from),
        date_to=dt.date.fromisoformat(date_to),
    )
    # Today's partial figures raise nothing; a final day rescored from the dirty list may.
    for day in final_days:
        alerts_evaluate.delay(day.isoformat())


@shared_task(**task_options(soft_time_limit=4 * 60, time_limit=5 * 60))
def alerts_evaluate(day: str) -> None:
    """Raise the day's alerts, then queue an e-mail for each one not yet sent."""
    alert_day = dt.date.fromisoformat(day)
    alerts.alerts_evaluate(day=alert_day)
    for alert_id in alerts.alert_ids_to_email(day=alert_day):
        alert_email_send.delay(alert_id)


@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=60, time_limit=90))
def alert_email_send(alert_id: int) -> None:
    """E-mail one alert to its managers, once."""
    alerts.alert_email_send(alert_id=alert_id)


@shared_task(
    **task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=10 * 60, time_limit=12 * 60)
)
def manager_digest_send(week_ending: str | None = None) -> None:
    """E-mail each manager their teams' week (the seven days up to yesterday by default)."""
    day = (
        dt.date.fromisoformat(week_ending)
        if week_ending
        else timezone.localdate() - dt.timedelta(days=1)
    )
    digests.manager_digest_send(week_ending=day)


@shared_task(**task_options(soft_time_limit=4 * 60, time_limit=5 * 60))
def goals_settle() -> None:
    """Judge every goal whose period is over and final met or missed (docs/SCORING.md, Goals)."""
    goals.goals_settle()


@shared_task(
    **task_options(
        # Named as before it moved here, so that reminders queued by an older release still run.
        name="scorecards.onboarding_tasks.onboarding_reminder_send",
        retry_also=MAIL_TRANSIENT_ERRORS,
    )
)
def onboarding_reminder_send(employee_id: int, requested_by_id: int, site_url: str) -> bool:
    """E-mail one onboarding reminder (none if one went today)."""
    return onboarding.onboarding_reminder_send(
        employee_id=employee_id, requested_by_id=requested_by_id, site_url=site_url
    )
