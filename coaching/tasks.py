"""Celery tasks of the coaching area: thin, idempotent, JSON arguments only."""

from celery import shared_task

from crs_site.celery import MAIL_TRANSIENT_ERRORS, task_options


@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=60))
def coaching_session_email_send(session_id: int) -> int:
    """E-mail the agent a new coaching session."""
    from coaching import services

    return services.coaching_session_email_send(session_id=session_id)
