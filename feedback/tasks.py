"""Celery tasks of the feedback app: thin, idempotent, ids as arguments."""

import logging
import smtplib

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError

from feedback import services

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
    # A mail server that is away or hangs up; a refused address or login is not worth a retry.
    smtplib.SMTPConnectError,
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
    time_limit=90,
)
def survey_invitation_send(invitation_id: int) -> None:
    """E-mail one survey invitation to its customer, once."""
    services.survey_invitation_send(invitation_id=invitation_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, max_retries=3, retry_backoff=30)
def survey_invitations_send_pending() -> int:
    """Queue the e-mail of every invitation whose own task was lost; return how many."""
    invitation_ids = services.survey_invitations_unsent()
    for invitation_id in invitation_ids:
        survey_invitation_send.apply_async(args=[invitation_id], retry=False)
    return len(invitation_ids)
