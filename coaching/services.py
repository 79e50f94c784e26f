"""Writes of the coaching area, one transaction each: record, acknowledge, complete, e-mail."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coaching.models import CoachingAction, CoachingSession
from crs_site.celery import enqueue_on_commit
from scorecards.choices import MetricCode
from staff.bounds import day_in_range
from staff.models import Employee

EMAIL_SUBJECT_TEMPLATE = "coaching/email/session_subject.txt"
EMAIL_BODY_TEMPLATE = "coaching/email/session_body.txt"


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: Employee
    due_on: dt.date


def _session_errors(
    *,
    coach: Employee,
    agent: Employee,
    held_on: dt.date,
    metrics: Sequence[str],
    reviews: Sequence,
    interactions: Sequence,
    goals: Sequence,
    follow_up_on: dt.date | None,
    actions: Sequence[ActionInput],
    today: dt.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if coach.pk == agent.pk:
        add("agent", _("A session is held with someone else: pick one of your people."))
    if held_on > today or not day_in_range(held_on):
        add("held_on", _("Record a session on the day it was held, today or earlier."))
    unknown = sorted(set(metrics) - set(MetricCode.values))
    if unknown:
        add("metrics", _("Unknown metric: %(codes)s.") % {"codes": ", ".join(unknown)})
    if any(review.interaction.employee_id != agent.pk for review in reviews):
        add("reviews", _("Link only reviews of this agent's interactions."))
    if any(interaction.employee_id != agent.pk for interaction in interactions):
        add("interactions", _("Link only this agent's interactions."))
    if any(goal.employee_id != agent.pk for goal in goals):
        add("goals", _("Link only this agent's goals."))
    if follow_up_on is not None and follow_up_on < held_on:
        add("follow_up_on", _("The follow-up comes after the session."))
    for action in actions:
        if action.owner.pk not in (agent.pk, coach.pk):
            add("actions", _("An action is owned by the agent or by the coach."))
        if action.due_on < held_on:
            add("actions", _("An action falls due on or after the session's day."))
    return errors


@transaction.atomic
def coaching_session_record(
    *,
    coach: Employee,
    agent: Employee,
    held_on: dt.date,
    notes: str,
    metrics: Sequence[str] = (),
    criteria: Sequence = (),
    reviews: Sequence = (),
    interactions: Sequence = (),
    goals: Sequence = (),
    follow_up_on: dt.date | None = None,
    actions: Sequence[ActionInput] = (),
    today: dt.date | None = None,
) -> CoachingSession:
    """Record a session with its topics, links and agreed actions; the agent is e-mailed."""
    errors = _session_errors(
        coach=coach,
        agent=agent,
        held_on=held_on,
        metrics=metrics,
        reviews=reviews,
        interactions=interactions,
        goals=goals,
        follow_up_on=follow_up_on,
        actions=actions,
        today=today or timezone.localdate(),
    )
    if not notes.strip():
        errors.setdefault("notes", []).append(_("Write down what you talked about."))
    if errors:
        raise ValidationError(errors)
    session = CoachingSession.objects.create(
        coach=coach,
        agent=agent,
        held_on=held_on,
        notes=notes.strip(),
        metrics=list(dict.fromkeys(metrics)),
        follow_up_on=follow_up_on,
    )
    session.criteria.set(criteria)
    session.reviews.set(reviews)
    session.interactions.set(interactions)
    session.goals.set(goals)
    CoachingAction.objects.bulk_create(
        CoachingAction(
            session=session,
            description=action.description.strip(),
            owner=action.owner,
            due_on=action.due_on,
        )
        for action in actions
    )
    # Imported here: the task module imports this one.
    from coaching.tasks import coaching_session_email_send

    enqueue_on_commit(coaching_session_email_send, session.pk)
    return session


@transaction.atomic
def coaching_session_acknowledge(
    *, session: CoachingSession, agent: Employee, comment: str = "", now: dt.datetime | None = None
) -> CoachingSession:
    """Record that the agent has read the session (once), and their comment if they give one."""
    stored = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if stored.agent_id != agent.pk:
        raise ValidationError(_("Only the coached agent acknowledges a session."))
    fields = []
    if stored.acknowledged_at is None:
        stored.acknowledged_at = now or timezone.now()
        fields.append("acknowledged_at")
    if comment.strip():
        stored.agent_comment = comment.strip()
        fields.append("agent_comment")
    if fields:
        stored.save(update_fields=fields)
    return stored


@transaction.atomic
def coaching_action_complete(
    *, action: CoachingAction, now: dt.datetime | None = None
) -> CoachingAction:
    """Mark an agreed action done (once)."""
    stored = CoachingAction.objects.select_for_update().get(pk=action.pk)
    if stored.done_at is None:
        stored.done_at = now or timezone.now()
        stored.save(update_fields=["done_at"])
    return stored


def coaching_session_email_send(*, session_id: int) -> int:
    """E-mail the agent a new session, in the agent's language; 0 when there is no address."""
    session = (
        CoachingSession.objects.select_related("agent__user", "coach__user")
        .prefetch_related("actions")
        .filter(pk=session_id)
        .first()
    )
    if session is None or not session.agent.user.email:
        return 0
    with translation.override(session.agent.language):
        context = {
            "name": session.agent.full_name,
            "coach_name": session.coach.full_name,
            "held_on": session.held_on,
            "actions": list(session.actions.all()),
            "follow_up_on": session.follow_up_on,
            "url": settings.CRS_SITE_URL.rstrip("/")
            + reverse("coaching:session_detail", args=[session.pk]),
        }
        subject = " ".join(render_to_string(EMAIL_SUBJECT_TEMPLATE, context).split())
        body = render_to_string(EMAIL_BODY_TEMPLATE, context)
    message = EmailMessage(subject=subject, body=body, to=[session.agent.user.email])
    get_connection().send_messages([message])
    return 1
