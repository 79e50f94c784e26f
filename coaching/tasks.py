"""Celery tasks of the coaching area: thin, idempotent, JSON arguments only."""

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
)
def coaching_session_email_send(session_id: int) -> int:
    """E-mail the agent a new coaching session."""
    from coaching import services

    return services.coaching_session_email_send(session_id=session_id)
