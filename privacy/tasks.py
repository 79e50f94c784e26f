"""Celery beat task for data retention: thin, safe to repeat."""

import logging

from celery import shared_task
from django.conf import settings

from privacy.services import personal_data_retention_purge

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def personal_data_retention_run() -> None:
    """Anonymise interactions older than CRS_RETENTION_MONTHS (nightly, from beat)."""
    result = personal_data_retention_purge(months=settings.CRS_RETENTION_MONTHS)
    # Counts only: no names, subjects or ids of customers in the log.
    logger.info(
        "Retention: %d interactions, %d survey comments, %d customers anonymised, %d helpdesk "
        "deliveries deleted (before %s)",
        result.interactions,
        result.survey_comments,
        result.customers,
        result.helpdesk_events,
        result.cutoff,
    )
