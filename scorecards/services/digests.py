"""The managers' weekly digest e-mails."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import urlencode

from scorecards.selectors.digests import ManagerDigest, manager_digests

DIGEST_SUBJECT_TEMPLATE = "scorecards/email/digest_subject.txt"
DIGEST_BODY_TEMPLATE = "scorecards/email/digest_body.txt"
# Long enough to cover the retries and duplicate deliveries of one weekly run.
_DIGEST_SENT_SECONDS = 8 * 24 * 60 * 60


def manager_digest_send(*, week_ending: dt.date) -> int:
    """E-mail each manager their teams' week, in their language; return how many mails went.

    The week is the seven days up to `week_ending`. Each manager's digest is marked as sent in
    the cache before it goes, so a retried or duplicated task sends it once; a failed send
    removes the mark again so the retry can send it.
    """
    sent = 0
    for digest in manager_digests(week_ending=week_ending):
        key = f"crs:digest:{week_ending.isoformat()}:{digest.manager.pk}"
        if not cache.add(key, True, timeout=_DIGEST_SENT_SECONDS):
            continue
        try:
            _digest_message(digest=digest).send()
        except Exception:
            cache.delete(key)
            raise
        sent += 1
    return sent


def digest_render(*, digest: ManagerDigest) -> tuple[str, str]:
    """Return the digest's subject and body in the manager's language, as the e-mail has them.

    The body links to each team's dashboard for the week and to each person who needs a look.
    """
    manager = digest.manager
    with translation.override(manager.language):
        context = {
            "manager_name": manager.full_name,
            "date_from": date_format(digest.week.date_from, "DATE_FORMAT"),
            "date_to": date_format(digest.week.date_to, "DATE_FORMAT"),
            "teams": digest.teams,
            "site_url": settings.CRS_SITE_URL.rstrip("/"),
            "week_query": urlencode(
                {
                    "date_from": digest.week.date_from.isoformat(),
                    "date_to": digest.week.date_to.isoformat(),
                }
            ),
        }
        subject = " ".join(render_to_string(DIGEST_SUBJECT_TEMPLATE, context).split())
        body = render_to_string(DIGEST_BODY_TEMPLATE, context)
    return subject, body


def _digest_message(*, digest: ManagerDigest) -> EmailMessage:
    subject, body = digest_render(digest=digest)
    return EmailMessage(subject=subject, body=body, to=[digest.manager.user.email])
