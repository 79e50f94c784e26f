"""Celery tasks of the QA area: thin, idempotent, JSON arguments only."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from crs_site.celery import MAIL_TRANSIENT_ERRORS, task_options


@shared_task(**task_options(soft_time_limit=10 * 60))
def qa_sample_weekly(week_start: str | None = None) -> int:
    """Queue each agent's QA sample of a week (last week by default); safe to run again."""
    # Imported on call: the app registry loads this module before every model is importable.
    from feedback import qa_services

    day = (
        dt.date.fromisoformat(week_start)
        if week_start
        else qa_services.week_start_of(timezone.localdate()) - dt.timedelta(days=7)
    )
    return qa_services.qa_sample_week(week_start=day).created


@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=60))
def qa_review_email_send(review_id: int, action: str) -> int:
    """E-mail the people concerned by a review's publication, dispute or resolution."""
    from feedback import qa_services

    return qa_services.qa_review_email_send(review_id=review_id, action=action)
