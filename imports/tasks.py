"""Thin Celery tasks over imports.services: the check and the import of one file.

Both are idempotent: a redelivered check starts the check again, a redelivered import (its
worker died, its transaction rolled back) imports the whole file again.
"""

import logging

from celery import Task, shared_task

from crs_site.celery import task_options

logger = logging.getLogger(__name__)


class ImportTask(Task):
    """A check or import that fails for good says so on its job, instead of running forever."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from imports import services

        logger.error("Import %s stopped: %r", args[0] if args else None, exc)
        services.import_failed(job_id=args[0])


_TASK_OPTIONS = task_options(base=ImportTask, soft_time_limit=25 * 60, time_limit=30 * 60)


@shared_task(**_TASK_OPTIONS)
def import_check(job_id: int) -> None:
    # services imports this module to enqueue these tasks.
    from imports import services

    services.import_check(job_id=job_id)


@shared_task(**_TASK_OPTIONS)
def import_write(job_id: int) -> None:
    from imports import services

    services.import_write(job_id=job_id)
