"""Reminders to read the rules in force: queued from the onboarding page, e-mailed by the
worker, at most one a day per person.

Sending inside the request mailed everyone listed at each click (40 e-mails a click, as often
as it was clicked) and held the page for the mail server.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from crs_site.celery import enqueue_on_commit
from crs_site.lib.users import SiteUser
from scorecards import tasks
from scorecards.selectors.onboarding import onboarding_employees
from staff.models import Employee

REMINDER_SUBJECT_TEMPLATE = "scorecards/email/onboarding_reminder_subject.txt"
REMINDER_BODY_TEMPLATE = "scorecards/email/onboarding_reminder_body.txt"


@dataclass(frozen=True)
class RemindersQueued:
    queued: int
    reminded_today: int
    without_address: int


def reminded_on(*, employee: Employee, day: dt.date) -> bool:
    """Tell whether the employee was sent a reminder on the day (or later)."""
    sent = employee.rules_reminded_at
    return sent is not None and timezone.localdate(sent) >= day


def onboarding_reminders_queue(
    *,
    employees: Iterable[Employee],
    requested_by: SiteUser,
    site_url: str,
    now: dt.datetime | None = None,
) -> RemindersQueued:
    """Queue a reminder for each pending employee not reminded today and with an address.

    `employees` come from `selectors.onboarding_employees`; the worker sends each reminder once
    this transaction commits, and checks again then, so two clicks send one e-mail.
    """
    today = timezone.localdate(now or timezone.now())
    queued = reminded_today = without_address = 0
    with transaction.atomic():
        for employee in employees:
            # Annotated by selectors.onboarding_employees.
            if not cast(Any, employee).is_pending:
                continue
            if not employee.user.email:
                without_address += 1
            elif reminded_on(employee=employee, day=today):
                reminded_today += 1
            else:
                enqueue_on_commit(
                    tasks.onboarding_reminder_send,
                    employee.pk,
                    requested_by.pk,
                    site_url,
                )
                queued += 1
    return RemindersQueued(
        queued=queued, reminded_today=reminded_today, without_address=without_address
    )


def _reminder_message(*, employee: Employee, site_url: str) -> EmailMessage:
    # The fields below are annotated by selectors.onboarding_employees.
    annotated = cast(Any, employee)
    with translation.override(employee.language):
        context = {
            "name": employee.full_name,
            "scorecard": annotated.scorecard_name,
            "number": annotated.version_number,
            "effective_from": date_format(annotated.version_effective_from, "DATE_FORMAT"),
            "url": site_url.rstrip("/")
            + reverse("scorecards:rules_detail", kwargs={"slug": annotated.scorecard_slug}),
        }
        subject = " ".join(render_to_string(REMINDER_SUBJECT_TEMPLATE, context).split())
        body = render_to_string(REMINDER_BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, to=[employee.user.email])


def onboarding_reminder_send(
    *, employee_id: int, requested_by_id: int, site_url: str, now: dt.datetime | None = None
) -> bool:
    """E-mail one reminder, in the employee's language, unless one went today; return if sent.

    The employee row stays locked while mailing and is stamped in the same transaction, so a
    repeated or duplicate task sends nothing. Whoever asked must still have the person on their
    list, and the person must still be waiting to acknowledge.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    requester = get_user_model().objects.filter(pk=requested_by_id, is_active=True).first()
    if requester is None:
        return False
    with transaction.atomic():
        locked = Employee.objects.select_for_update().filter(pk=employee_id).first()
        if locked is None or reminded_on(employee=locked, day=today):
            return False
        employee = onboarding_employees(
            user=requester, day=today, show="pending", employee_ids=[employee_id]
        ).first()
        if employee is None or not employee.user.email:
            return False
        _reminder_message(employee=employee, site_url=site_url).send()
        Employee.objects.filter(pk=employee_id).update(rules_reminded_at=now)
    return True
