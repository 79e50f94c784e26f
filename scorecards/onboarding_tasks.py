"""Celery task of the onboarding reminders: thin, idempotent, ids as arguments."""

import smtplib

from celery import shared_task

from scorecards import onboarding_services
from scorecards.tasks import TRANSIENT_ERRORS


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(*TRANSIENT_ERRORS, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected),
    retry_backoff=5,
    max_retries=5,
)
def onboarding_reminder_send(employee_id: int, requested_by_id: int, site_url: str) -> bool:
    """E-mail one onboarding reminder (none if one went today)."""
    return onboarding_services.onboarding_reminder_send(
        employee_id=employee_id, requested_by_id=requested_by_id, site_url=site_url
    )
