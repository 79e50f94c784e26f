"""Celery tasks of the feedback app: thin, idempotent, ids as arguments."""

import logging
import smtplib
from functools import partial

import kombu.exceptions
import redis.exceptions
from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction

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
# What a publish raises when the broker is down, refusing or silent.
BROKER_ERRORS = (kombu.exceptions.KombuError, redis.exceptions.RedisError, OSError)


def enqueue_on_commit(task: Task, *args) -> None:
    """Publish the task once the current transaction commits, never failing the caller.

    With the broker down the invitation stays unsent (`sent_at` empty) and the write that
    made it still succeeds: a lost survey e-mail must never cost an agent their logged work.
    """
    transaction.on_commit(partial(_publish_or_warn, task, args), robust=True)


def _publish_or_warn(task: Task, args: tuple) -> None:
    try:
        task.apply_async(args=args, retry=False)
    except BROKER_ERRORS:
        logger.warning("Could not publish %s", task.name, exc_info=True)


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
