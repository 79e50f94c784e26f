"""Reads for customer surveys: signed links, and the survey comments staff may see."""

import datetime as dt

from django.core import signing
from django.db.models import Q, QuerySet

from feedback.models import SurveyInvitation, SurveyResponse
from staff.selectors import rows_visible_to

# A salt of its own, so no other signed value of the site can pass for a survey link.
_TOKEN_SALT = "feedback.survey-link"
# "." is outside the signature's alphabet and keeps the link free of characters mail clients
# like to break lines on.
_TOKEN_SEPARATOR = "."

COMMENT_SORTS = {
    "newest": ("-submitted_at", "-pk"),
    "oldest": ("submitted_at", "pk"),
    "lowest": ("csat", "-submitted_at", "-pk"),
    "highest": ("-csat", "-submitted_at", "-pk"),
}


class SurveyLinkInvalid(Exception):
    """The link was altered, truncated or belongs to no survey."""


class SurveyLinkExpired(Exception):
    """The survey can no longer be answered: its time ran out."""


class SurveyAlreadyAnswered(Exception):
    """The survey was answered already: a link is good for one answer."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=_TOKEN_SALT, sep=_TOKEN_SEPARATOR)


def survey_token(*, invitation: SurveyInvitation) -> str:
    """Return the signed token of the invitation's link: its random nonce and a signature."""
    return _signer().sign(invitation.nonce)


def survey_invitation_for_token(*, token: str) -> SurveyInvitation:
    """Return the invitation a link names, or raise SurveyLinkInvalid.

    The signature is checked before the database is asked, so made-up tokens cost no query.
    """
    try:
        nonce = _signer().unsign(token)
    except signing.BadSignature as exc:
        raise SurveyLinkInvalid from exc
    invitation = (
        SurveyInvitation.objects.select_related("interaction__customer").filter(nonce=nonce).first()
    )
    if invitation is None:
        raise SurveyLinkInvalid
    return invitation


def survey_invitation_check_open(*, invitation: SurveyInvitation, now: dt.datetime) -> None:
    """Raise SurveyAlreadyAnswered or SurveyLinkExpired unless the survey can be answered now."""
    if invitation.used_at is not None:
        raise SurveyAlreadyAnswered
    if invitation.expires_at <= now:
        raise SurveyLinkExpired


def survey_comments(
    *,
    user,
    employee_id: int | None = None,
    csat: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
    with_comment: bool = False,
    sort: str = "newest",
) -> QuerySet[SurveyResponse]:
    """Return the survey responses about the interactions of the people the user may see."""
    responses = rows_visible_to(
        user=user,
        queryset=SurveyResponse.objects.all(),
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
    )
    if employee_id is not None:
        responses = responses.filter(interaction__employee_id=employee_id)
    if csat is not None:
        responses = responses.filter(csat=csat)
    if date_from is not None:
        responses = responses.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        responses = responses.filter(submitted_at__date__lte=date_to)
    if with_comment:
        responses = responses.exclude(comment="")
    if search:
        responses = responses.filter(
            Q(comment__icontains=search)
            | Q(interaction__subject__icontains=search)
            | Q(interaction__customer__name__icontains=search)
        )
    return responses.select_related(
        "interaction__employee__user", "interaction__customer"
    ).order_by(*COMMENT_SORTS.get(sort, COMMENT_SORTS["newest"]))
