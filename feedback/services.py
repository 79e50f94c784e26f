import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crs_site.celery import enqueue_on_commit
from customers.field_checks import FieldChecks
from customers.models import Customer, Interaction
from customers.services import CLOCK_SKEW
from customers.upsert import objects_upsert
from feedback import tasks as survey_tasks
from feedback.choices import ReviewAction, ReviewReason, ReviewStatus
from feedback.models import QAReview, QAReviewEvent, SurveyInvitation, SurveyResponse
from feedback.survey_selectors import survey_invitation_check_open, survey_token
from scorecards.dirty import (
    Pair,
    days_mark_dirty,
    local_day,
    qa_review_days,
    survey_response_days,
)
from staff.models import Employee, Team, TeamMembership


def survey_response_errors(*, response: SurveyResponse, now: dt.datetime) -> dict:
    """Return {field: [messages]} of what is wrong with a survey answer (the bulk upsert reports
    them per row)."""
    errors: dict[str, list[str]] = {}
    if isinstance(response.csat, bool) or response.csat not in range(1, 6):
        errors["csat"] = [_("Rate satisfaction from 1 to 5.")]
    if response.nps is not None and (
        isinstance(response.nps, bool) or response.nps not in range(11)
    ):
        errors["nps"] = [_("Rate the likelihood to recommend from 0 to 10.")]
    if response.submitted_at > now + CLOCK_SKEW:
        errors["submitted_at"] = [_("This time is in the future.")]
    elif response.submitted_at < response.interaction.opened_at:
        errors["submitted_at"] = [_("A survey cannot be answered before the interaction.")]
    return errors


@transaction.atomic
def survey_response_create(
    *,
    interaction: Interaction,
    csat: int,
    nps: int | None = None,
    comment: str = "",
    submitted_at: dt.datetime | None = None,
    invitation: SurveyInvitation | None = None,
    language: str | None = None,
    source: str = "crs",
    external_id: str | None = None,
) -> SurveyResponse:
    """Record a customer's survey answer and mark its day for rescoring.

    An answer with neither an invitation nor an external id cannot be told from a resent one:
    an interaction takes one such answer, so a retried request cannot count a rating twice.
    """
    now = timezone.now()
    if invitation is None and external_id is None:
        # Locked so that two such answers sent at once cannot both find none stored.
        list(Interaction.objects.select_for_update().filter(pk=interaction.pk).values_list("pk"))
        if SurveyResponse.objects.filter(
            interaction=interaction, invitation__isnull=True, external_id__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "interaction": _(
                        "This interaction already has an answer without an external id; "
                        "send an external id with each answer to record more than one."
                    )
                },
                code="unkeyed_answer_exists",
            )
    if language is None:
        language = invitation.language if invitation else interaction.customer.language
    response = SurveyResponse(
        interaction=interaction,
        invitation=invitation,
        csat=csat,
        nps=nps,
        comment=comment,
        language=language,
        submitted_at=submitted_at or now,
        source=source,
        external_id=external_id,
    )
    survey_response_validate(response=response, now=now)
    response.save()
    days_mark_dirty(pairs=survey_response_days(response))
    return response


def survey_response_validate(*, response: SurveyResponse, now: dt.datetime) -> None:
    """Raise a ValidationError naming each wrong field of the survey answer."""
    errors = survey_response_errors(response=response, now=now)
    try:
        response.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# What a correction of a survey answer may change (the administration's change page).
SURVEY_RESPONSE_EDITABLE = frozenset(
    {"interaction", "invitation", "csat", "nps", "comment", "language", "submitted_at"}
    | {"source", "external_id"}
)


@transaction.atomic
def survey_response_update(*, response: SurveyResponse, **fields: Any) -> SurveyResponse:
    """Correct a survey answer and mark the day it counted on and the day it counts on now."""
    unknown = set(fields) - SURVEY_RESPONSE_EDITABLE
    if unknown:
        raise TypeError(f"Unknown survey response fields: {', '.join(sorted(unknown))}")
    # The stored row, locked, is the truth about the old day: the caller's copy may be edited.
    stored = (
        SurveyResponse.objects.select_for_update().select_related("interaction").get(pk=response.pk)
    )
    for name, value in fields.items():
        setattr(response, name, value)
    survey_response_validate(response=response, now=timezone.now())
    response.save()
    days_mark_dirty(pairs=survey_response_days(stored) | survey_response_days(response))
    return response


@transaction.atomic
def survey_response_upsert(
    *,
    interaction: Interaction,
    source: str,
    external_id: str,
    csat: int,
    comment: str | None = None,
    submitted_at: dt.datetime,
) -> SurveyResponse:
    """Record or change one survey answer another tool keys by (source, external_id).

    The batch rule (`survey_responses_upsert`) for one row. Helpdesks send one answer in steps
    (the rating, then the comment) and repeat deliveries: the stored answer takes the latest
    rating, keeps its interaction and first submission time, and keeps its comment when a step
    brings none. Raises a ValidationError naming the wrong fields.
    """
    row: dict[str, Any] = {
        "interaction_id": interaction.pk,
        "csat": csat,
        "comment": comment or "",
        "submitted_at": submitted_at,
        "source": source,
        "external_id": external_id,
    }
    stored = (
        SurveyResponse.objects.select_for_update()
        .filter(source=source, external_id=external_id)
        .first()
    )
    if stored is not None:
        row |= {
            "interaction_id": stored.interaction_id,
            "nps": stored.nps,
            "comment": comment or stored.comment,
            "submitted_at": stored.submitted_at,
            "language": stored.language,
        }
    written = survey_responses_upsert(rows=[row])
    if written.errors:
        raise ValidationError(written.errors[0])
    return written.responses[0]


@dataclass(frozen=True)
class SurveyResponsesWritten:
    """What `survey_responses_upsert` wrote, and the rows it refused by index."""

    responses: list[SurveyResponse]
    created: int
    updated: int
    errors: dict[int, dict[str, list[str]]]


@transaction.atomic
def survey_responses_upsert(*, rows: Sequence[Mapping[str, Any]]) -> SurveyResponsesWritten:
    """Create or update survey answers other tools key by (source, external_id).

    The one rule for keyed answers, whether a helpdesk connector or a file import sends them.
    Each row has `interaction_id`, `csat`, `source`, `external_id` and optionally `nps`,
    `comment`, `submitted_at` (now by default) and `language` (the customer's by default). Each
    row is checked as a single answer is (`survey_response_errors` and the fields' own checks);
    a refused row does not stop the others, and a caller that needs all or none rolls back on
    `errors`. The accepted rows are one INSERT … ON CONFLICT per batch of 500 (the last of two
    rows with one key wins, as a second delivery would), and the days each answer counted on
    before and counts on now are marked for rescoring, in a constant number of queries.
    """
    now = timezone.now()
    interactions = Interaction.objects.select_related("customer").in_bulk(
        {row["interaction_id"] for row in rows}
    )
    errors: dict[int, dict[str, list[str]]] = {}
    accepted: dict[tuple[str, str], SurveyResponse] = {}
    checks = FieldChecks()
    for index, row in enumerate(rows):
        interaction = interactions.get(row["interaction_id"])
        if interaction is None:
            errors[index] = {"interaction": [_("Unknown interaction.")]}
            continue
        response = SurveyResponse(
            interaction=interaction,
            csat=row["csat"],
            nps=row.get("nps"),
            comment=row.get("comment") or "",
            language=row.get("language") or interaction.customer.language,
            submitted_at=row.get("submitted_at") or now,
            source=row["source"],
            external_id=str(row["external_id"]),
        )
        row_errors = _survey_response_row_errors(response=response, now=now, checks=checks)
        if row_errors:
            errors[index] = row_errors
            continue
        accepted[(response.source, str(response.external_id))] = response
    if not accepted:
        return SurveyResponsesWritten(responses=[], created=0, updated=0, errors=errors)

    keys_by_source: dict[str, list[str]] = {}
    for source, external_id in accepted:
        keys_by_source.setdefault(source, []).append(external_id)
    keys = Q()
    for source, external_ids in keys_by_source.items():
        keys |= Q(source=source, external_id__in=external_ids)
    stored = list(
        SurveyResponse.objects.select_for_update()
        .filter(keys)
        .select_related("interaction")
        .order_by("pk")
    )
    pairs: set[Pair] = set()
    for response in stored:
        pairs |= survey_response_days(response)
    responses = sorted(accepted.values(), key=lambda r: (r.source, str(r.external_id)))
    objects_upsert(
        SurveyResponse,
        responses,
        unique_fields=["source", "external_id"],
        update_fields=["interaction", "csat", "nps", "comment", "submitted_at"],
    )
    for response in responses:
        pairs |= survey_response_days(response)
    days_mark_dirty(pairs=pairs)
    return SurveyResponsesWritten(
        responses=responses,
        created=len(responses) - len(stored),
        updated=len(stored),
        errors=errors,
    )


def _survey_response_row_errors(
    *, response: SurveyResponse, now: dt.datetime, checks: FieldChecks
) -> dict:
    # The single answer's checks without its queries: the interaction was read with the batch
    # and the key's uniqueness is the upsert's own. The fields' checks once per value a batch.
    errors = survey_response_errors(response=response, now=now)
    exclude = {"interaction", "invitation", *errors}
    for field, messages in checks.errors(response, exclude=exclude).items():
        errors.setdefault(field, []).extend(messages)
    return errors


@transaction.atomic
def survey_response_delete(*, response: SurveyResponse) -> None:
    """Delete a survey answer and mark the day it counted on."""
    stored = SurveyResponse.objects.select_related("interaction").get(pk=response.pk)
    pairs = survey_response_days(stored)
    stored.delete()
    days_mark_dirty(pairs=pairs)


def qa_review_days_changed(*, review: QAReview, old_pairs: Iterable[Pair] = ()) -> int:
    """Mark the days a QA review counted on before a change and counts on now."""
    return days_mark_dirty(pairs={*old_pairs, *qa_review_days(review)})


def review_counts_from(*, review: QAReview, now: dt.datetime) -> dt.datetime | None:
    """Return when a review starts to count in the agent's score: never for calibration, whose
    ratings compare reviewers with each other (docs/SCORING.md)."""
    return None if review.reason == ReviewReason.CALIBRATION else now


@transaction.atomic
def qa_review_publish(
    *, review: QAReview, actor: Employee, now: dt.datetime | None = None
) -> QAReview:
    """Publish a rated draft review: its total counts for the agent from now on."""
    now = now or timezone.now()
    review = QAReview.objects.select_for_update().select_related("interaction").get(pk=review.pk)
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(
            {"status": _("Only a draft review can be published.")}, code="not_draft"
        )
    if review.total is None:
        raise ValidationError(
            {"total": _("Rate at least one criterion before publishing.")}, code="not_rated"
        )
    review.status = ReviewStatus.PUBLISHED
    review.published_at = now
    review.scored_at = review_counts_from(review=review, now=now)
    review.save(update_fields=["status", "published_at", "scored_at"])
    QAReviewEvent.objects.create(
        review=review, actor=actor, action=ReviewAction.PUBLISHED, total=review.total
    )
    qa_review_days_changed(review=review)
    return review


# What the administration may correct on a review; ratings, status, total and the dispute
# trail change only through the review workflow (feedback.qa_services).
QA_REVIEW_EDITABLE = frozenset({"interaction", "reviewer", "version", "reason", "comment"})


@transaction.atomic
def qa_review_update(*, review: QAReview, **fields: Any) -> QAReview:
    """Correct a review's interaction, reviewer, version, reason or comment; mark the days its
    total counted on and counts on now."""
    unknown = set(fields) - QA_REVIEW_EDITABLE
    if unknown:
        raise TypeError(f"Unknown QA review fields: {', '.join(sorted(unknown))}")
    stored = QAReview.objects.select_for_update().select_related("interaction").get(pk=review.pk)
    for name, value in fields.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()
    qa_review_days_changed(review=review, old_pairs=qa_review_days(stored))
    return review


@transaction.atomic
def qa_review_delete(*, review: QAReview) -> None:
    """Delete a QA review and mark the day its total counted on."""
    stored = QAReview.objects.select_related("interaction").get(pk=review.pk)
    pairs = qa_review_days(stored)
    stored.delete()
    days_mark_dirty(pairs=pairs)


# ---- customer surveys ----------------------------------------------------------------------

# How long a survey link can be answered.
SURVEY_VALID_DAYS = 14
# An interaction resolved longer ago than this (a backfill, a late import) gets no survey:
# nobody remembers a conversation from weeks ago well enough to rate it.
SURVEY_MAX_AGE = dt.timedelta(days=7)
SURVEY_SUBJECT_TEMPLATE = "feedback/email/survey_invitation_subject.txt"
SURVEY_TEXT_TEMPLATE = "feedback/email/survey_invitation_body.txt"
SURVEY_HTML_TEMPLATE = "feedback/email/survey_invitation_body.html"


def survey_is_sampled(*, interaction_id: int, rate_percent: int) -> bool:
    """Return whether the interaction falls in the team's survey sample.

    The same interaction always lands in the same one of 100 buckets, so re-running the
    decision (a retried request, a re-sent bulk row) never changes it.
    """
    digest = hashlib.sha256(f"crs-survey-sample:{interaction_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < rate_percent


def _survey_teams(*, interactions: Sequence[Interaction]) -> dict[int, Team]:
    """Return the team each interaction's employee was in on the day it was resolved."""
    employee_ids = {interaction.employee_id for interaction in interactions}
    memberships = TeamMembership.objects.filter(employee_id__in=employee_ids).select_related("team")
    by_employee: dict[int, list[TeamMembership]] = {}
    for membership in memberships:
        by_employee.setdefault(membership.employee_id, []).append(membership)
    teams = {}
    for interaction in interactions:
        day = local_day(interaction.resolved_at)
        for membership in by_employee.get(interaction.employee_id, []):
            if membership.starts_on <= day and (
                membership.ends_on is None or day <= membership.ends_on
            ):
                teams[interaction.pk] = membership.team
                break
    return teams


@transaction.atomic
def survey_invitations_create(
    *, interactions: Sequence[Interaction], now: dt.datetime | None = None
) -> list[SurveyInvitation]:
    """Invite the customers of just-resolved interactions, as their agents' teams decide.

    A team surveys only its chosen channels, a sample of `survey_rate_percent`, and a customer
    at most once per `survey_cooldown_days`; opted-out, erased and e-mail-less customers never.
    The e-mails go out from a task once the transaction commits. A constant number of queries,
    however many interactions.
    """
    now = now or timezone.now()
    candidates = [
        interaction
        for interaction in interactions
        if interaction.pk is not None
        and interaction.resolved_at is not None
        and interaction.resolved_at >= now - SURVEY_MAX_AGE
    ]
    if not candidates:
        return []
    teams = _survey_teams(interactions=candidates)
    candidates = [
        interaction
        for interaction in candidates
        if (team := teams.get(interaction.pk)) is not None
        and interaction.channel in (team.survey_channels or [])
        and survey_is_sampled(interaction_id=interaction.pk, rate_percent=team.survey_rate_percent)
    ]
    if not candidates:
        return []
    # Locked in one order, so two writers resolving the same customer's interactions at once
    # see each other's invitation and the cooldown holds.
    customers = {
        customer.pk: customer
        for customer in Customer.objects.select_for_update()
        .filter(
            pk__in={interaction.customer_id for interaction in candidates},
            has_opted_out_of_surveys=False,
            erased_at__isnull=True,
        )
        .exclude(email="")
        .order_by("pk")
    }
    longest_cooldown = max(teams[interaction.pk].survey_cooldown_days for interaction in candidates)
    last_invited: dict[int, dt.datetime] = {}
    already_invited: set[int] = set()
    for customer_id, interaction_id, created_at in SurveyInvitation.objects.filter(
        Q(interaction__customer_id__in=customers.keys())
        & Q(created_at__gte=now - dt.timedelta(days=longest_cooldown))
        | Q(interaction_id__in=[interaction.pk for interaction in candidates])
    ).values_list("interaction__customer_id", "interaction_id", "created_at"):
        already_invited.add(interaction_id)
        last_invited[customer_id] = max(created_at, last_invited.get(customer_id, created_at))

    invitations = []
    for interaction in sorted(candidates, key=lambda i: (i.resolved_at, i.pk)):
        customer = customers.get(interaction.customer_id)
        if customer is None or interaction.pk in already_invited:
            continue
        cooldown = dt.timedelta(days=teams[interaction.pk].survey_cooldown_days)
        previous = last_invited.get(customer.pk)
        if previous is not None and previous > now - cooldown:
            continue
        last_invited[customer.pk] = now
        invitations.append(
            SurveyInvitation(
                interaction=interaction,
                language=customer.language,
                nonce=secrets.token_hex(16),
                expires_at=now + dt.timedelta(days=SURVEY_VALID_DAYS),
            )
        )
    created = SurveyInvitation.objects.bulk_create(invitations)
    for invitation in created:
        enqueue_on_commit(survey_tasks.survey_invitation_send, invitation.pk)
    return created


def _site_url() -> str:
    # The worker that mails has no request to take the host from.
    return settings.CRS_SITE_URL.rstrip("/")


def survey_invitation_message(*, invitation: SurveyInvitation) -> EmailMultiAlternatives:
    """Render the invitation e-mail, text and HTML, in the invitation's language."""
    customer = invitation.interaction.customer
    token = survey_token(invitation=invitation)
    with translation.override(invitation.language):
        context = {
            "customer_name": customer.name,
            "subject": invitation.interaction.subject,
            "survey_url": _site_url() + reverse("surveys:survey", args=[token]),
            "opt_out_url": _site_url() + reverse("surveys:opt_out", args=[token]),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
            "language_code": invitation.language,
        }
        subject = " ".join(render_to_string(SURVEY_SUBJECT_TEMPLATE, context).split())
        text = render_to_string(SURVEY_TEXT_TEMPLATE, context)
        html = render_to_string(SURVEY_HTML_TEMPLATE, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[customer.email],
        headers={"Content-Language": invitation.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def survey_invitation_send(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail one survey invitation, once; return whether it was sent.

    The row stays locked while mailing and is marked sent in the same transaction, so a
    duplicate or retried task sends nothing. A customer who opted out or was erased since the
    invitation was made, or a survey already closed, gets no e-mail.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("interaction__customer")
            .filter(pk=invitation_id, sent_at__isnull=True, used_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.expires_at <= now:
            return False
        customer = invitation.interaction.customer
        if customer.has_opted_out_of_surveys or customer.erased_at or not customer.email:
            return False
        survey_invitation_message(invitation=invitation).send()
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return True


# An invitation this old and still unsent lost its task (a broker that was down at commit, a
# worker that died for good); younger ones may still be on their way.
SURVEY_SEND_GRACE = dt.timedelta(minutes=15)


def survey_invitations_unsent(*, now: dt.datetime | None = None) -> list[int]:
    """Return the ids of open invitations whose e-mail should have gone out by now."""
    now = now or timezone.now()
    return list(
        SurveyInvitation.objects.filter(
            sent_at__isnull=True,
            used_at__isnull=True,
            expires_at__gt=now,
            created_at__lte=now - SURVEY_SEND_GRACE,
            interaction__customer__has_opted_out_of_surveys=False,
            interaction__customer__erased_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def survey_response_submit(
    *,
    invitation: SurveyInvitation,
    csat: int,
    nps: int | None = None,
    comment: str = "",
    language: str | None = None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """Store the customer's answer to an invitation, once.

    The invitation row is locked first, so of two submissions at the same moment the second
    waits, then finds it answered and raises SurveyAlreadyAnswered; the one-to-one link from
    response to invitation refuses a second response even without the lock.
    """
    now = now or timezone.now()
    stored = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("interaction__customer")
        .get(pk=invitation.pk)
    )
    survey_invitation_check_open(invitation=stored, now=now)
    response = survey_response_create(
        interaction=stored.interaction,
        invitation=stored,
        csat=csat,
        nps=nps,
        comment=comment.strip(),
        language=language or stored.language,
        submitted_at=now,
    )
    stored.used_at = now
    stored.save(update_fields=["used_at"])
    return response


@transaction.atomic
def survey_opt_out(*, invitation: SurveyInvitation) -> Customer:
    """Stop all future surveys to the invitation's customer; opting out twice is harmless."""
    customer = Customer.objects.select_for_update().get(pk=invitation.interaction.customer_id)
    if not customer.has_opted_out_of_surveys:
        customer.has_opted_out_of_surveys = True
        customer.save(update_fields=["has_opted_out_of_surveys"])
    return customer
