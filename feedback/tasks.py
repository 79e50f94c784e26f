"""Celery tasks of the feedback app: thin, idempotent, ids as arguments."""

import logging

from celery import shared_task

from crs_site.celery import MAIL_TRANSIENT_ERRORS, task_options
from feedback import services

logger = logging.getLogger(__name__)


@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, soft_time_limit=60, time_limit=90))
def survey_invitation_send(invitation_id: int) -> None:
    """E-mail one survey invitation to its customer, once."""
    services.survey_invitation_send(invitation_id=invitation_id)


@shared_task(**task_options(retry_also=MAIL_TRANSIENT_ERRORS, max_retries=3, retry_backoff=30))
def survey_invitations_send_pending() -> int:
    """Queue the e-mail of every invitation whose own task was lost; return how many."""
    invitation_ids = services.survey_invitations_unsent()
    for invitation_id in invitation_ids:
        survey_invitation_send.apply_async(args=[invitation_id], retry=False)
    return len(invitation_ids)
