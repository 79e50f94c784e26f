"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

import logging
import os
import smtplib
from functools import partial
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Celery, Task
from django.db import InterfaceError, OperationalError, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crs_site.settings.local")

app = Celery("crs_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Connectors keep their tasks beside their code, one package per helpdesk.
app.autodiscover_tasks(["integrations.zendesk"])

logger = logging.getLogger(__name__)

# What a publish raises when the broker is down, refusing or silent.
BROKER_ERRORS = (kombu.exceptions.KombuError, redis.exceptions.RedisError, OSError)

# The retry policy of every task (docs/ARCHITECTURE.md, Tasks). A lost database or broker
# connection, a deadlock or a serialisation failure is worth another try after a pause; anything
# else is a bug and fails loudly.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
# A mail server that is away or hangs up; a refused address or login is not worth a retry.
MAIL_TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
)
TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def task_options(*, retry_also: tuple[type[BaseException], ...] = (), **options: Any) -> dict:
    """Return the shared task options, retrying `retry_also` too, with the task's own limits.

    `@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=60))`
    """
    return {
        **TASK_OPTIONS,
        "autoretry_for": (*TRANSIENT_ERRORS, *retry_also),
        **options,
    }


def enqueue_on_commit(task: Task, *args) -> None:
    """Publish the task once the current transaction commits, never failing the caller.

    With the broker down or hung the publish gives up within the short broker timeouts
    (settings: one connection attempt, 1 s each to connect and to read) and logs a warning:
    the write that asked for it has committed, and a lost survey e-mail or recomputation is
    caught up from the database by the next beat run.
    """
    transaction.on_commit(partial(_publish_or_warn, task, args), robust=True)


def _publish_or_warn(task: Task, args: tuple) -> None:
    try:
        task.apply_async(args=args, retry=False)
    except BROKER_ERRORS:
        logger.warning("Could not publish %s", task.name, exc_info=True)
