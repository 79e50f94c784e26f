"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

import logging
import os
from functools import partial

import kombu.exceptions
import redis.exceptions
from celery import Celery, Task
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crs_site.settings.local")

app = Celery("crs_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Connectors keep their tasks beside their code, one package per helpdesk.
app.autodiscover_tasks(["integrations.zendesk"])

logger = logging.getLogger(__name__)

# What a publish raises when the broker is down, refusing or silent.
BROKER_ERRORS = (kombu.exceptions.KombuError, redis.exceptions.RedisError, OSError)


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
