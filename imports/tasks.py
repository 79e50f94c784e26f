"""Thin Celery tasks over imports.services: the check and the import of one file.

Both are idempotent: a redelivered check starts the check again, a redelivered import (its
worker died, its transaction rolled back) imports the whole file again.
"""

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": 25 * 60,
    "time_limit": 30 * 60,
}


@shared_task(**_TASK_OPTIONS)
def import_check(job_id: int) -> None:
    # services imports this module to enqueue these tasks.
    from imports import services

    services.import_check(job_id=job_id)


@shared_task(**_TASK_OPTIONS)
def import_write(job_id: int) -> None:
    from imports import services

    services.import_write(job_id=job_id)
