"""One Chatwoot event applied: the conversation's interaction upserted, a CSAT answer recorded.

The interaction goes through the batch service every pusher uses
(`customers.batch.interactions_push`, source "chatwoot:<connection id>", external id the
conversation's display id), so references, customers, the reopen rule and the rescoring are the
API's. Chatwoot owns the conversation's times, status, agent and customer; what people add in CRS
(notes, follow-ups, flags, escalation) is kept.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from customers.batch import interactions_push
from customers.models import Interaction
from feedback.services import survey_response_upsert
from integrations.chatwoot import EVENTS, ChatwootEvent, PayloadInvalid, event_read
from integrations.choices import EventStatus
from integrations.models import InboundEvent
from integrations.services import Held, agent_for, events_requeue
from staff.permissions import principal_for_system

__all__ = ["PayloadInvalid", "chatwoot_event_apply"]

_KEPT = ("notes", "is_escalated", "follow_up_due", "follow_up_done_at", "is_flagged_for_review")


def _conversation_events(
    *, event: InboundEvent, conversation_id: str, version: dt.datetime | None
) -> tuple[bool, list[int]]:
    """Whether an event already applied carried a newer state of the same conversation, and
    the conversation's events held until it is written (a message that came without the
    conversation's state, a survey answer before an agent): queued again once it is.

    One read for both, before the write: no other event of the conversation is processed
    meanwhile (the conversation's lock) and only its processing holds one that way.
    """
    wanted = Q(status=EventStatus.HELD, agent__isnull=True)
    if version is not None:
        wanted |= Q(status=EventStatus.ACCEPTED, occurred_at__gt=version)
    found = (
        InboundEvent.objects.filter(wanted, connection_id=event.connection_id)
        .filter(external_id=conversation_id)
        .exclude(pk=event.pk)
        .values_list("pk", "status")
    )
    stale, held = False, []
    for pk, status in found:
        if status == EventStatus.HELD:
            held.append(pk)
        else:
            stale = True
    return stale, held


def _employee_id(*, event: InboundEvent, parsed: ChatwootEvent, stored, stale: bool) -> int | None:
    person = parsed.assignee or parsed.agent_sender
    if person is None or (stale and stored is not None):
        return stored.employee_id if stored is not None else None
    agent = agent_for(
        connection=event.connection,
        external_id=person.external_id,
        name=person.name,
        email=person.email,
    )
    if agent.employee_id is None:
        raise Held(
            _("Waiting for the helpdesk agent %(agent)s to be mapped to an employee.")
            % {"agent": str(agent)},
            agent=agent,
        )
    return agent.employee_id


def _customer_fields(*, event: InboundEvent, parsed: ChatwootEvent, stored) -> dict:
    if stored is not None:
        return {"customer": stored.customer_id}
    contact = parsed.contact
    if contact is None:
        raise PayloadInvalid(_("The conversation names no contact."))
    fields = {
        "customer_external_id": parsed.contact_identifier
        or f"chatwoot-{event.connection_id}-{contact.external_id}",
        "customer_name": contact.name
        or contact.email
        or _("Chatwoot contact %(id)s") % {"id": contact.external_id},
    }
    if contact.email:
        fields["customer_email"] = contact.email
    return fields


def _first_response(*moments: dt.datetime | None) -> dt.datetime | None:
    return min((m for m in moments if m is not None), default=None)


def _row(*, event: InboundEvent, parsed: ChatwootEvent, stored, stale: bool, employee_id: int):
    first_response_at = _first_response(
        parsed.first_reply_at,
        parsed.agent_message_at,
        stored.first_response_at if stored is not None else None,
    )
    row = {
        "employee": employee_id,
        "source": event.connection.source,
        "external_id": parsed.conversation_id,
        "first_response_at": first_response_at,
        **_customer_fields(event=event, parsed=parsed, stored=stored),
    }
    if (stale or not parsed.status) and stored is not None:
        # An older state, or a message whose conversation comes without its state (some
        # Chatwoot versions send only its id): only the earlier first response is news.
        fields = ("channel", "subject", "opened_at", "resolved_at", "is_first_contact_resolution")
        row.update({name: getattr(stored, name) for name in fields})
    else:
        opened_at = parsed.opened_at or (stored.opened_at if stored is not None else None)
        if opened_at is None:
            raise PayloadInvalid(_("The conversation has no creation time."))
        resolved_at = None
        if parsed.status == "resolved":
            # The first resolution time stays: a repeated or later event is not a new one.
            resolved_at = (stored.resolved_at if stored is not None else None) or (
                parsed.version or event.received_at
            )
        row.update(
            channel=parsed.channel,
            subject=parsed.subject
            or _("Chatwoot conversation %(id)s") % {"id": parsed.conversation_id},
            opened_at=opened_at,
            resolved_at=resolved_at,
            # First contact until reopened (the reopen rule in customers.services clears it).
            is_first_contact_resolution=resolved_at is not None,
        )
    if stored is not None:
        row.update({name: getattr(stored, name) for name in _KEPT})
    return row


def chatwoot_event_apply(*, event: InboundEvent) -> str:
    """Apply one stored delivery; return a note for the pages ("" when nothing to say).

    Raises PayloadInvalid or a ValidationError (refused), or Held (waiting for a mapping).
    """
    parsed = event_read(event.body)
    event.event_type = parsed.event_type[:60]
    if parsed.event_type not in EVENTS:
        return _("Not an event CRS uses; nothing to do.")
    event.external_id, event.message_id = parsed.conversation_id, parsed.message_id
    event.occurred_at = parsed.version
    source = event.connection.source
    stored = Interaction.objects.filter(source=source, external_id=parsed.conversation_id).first()
    stale, held = _conversation_events(
        event=event, conversation_id=parsed.conversation_id, version=parsed.version
    )
    employee_id = _employee_id(event=event, parsed=parsed, stored=stored, stale=stale)
    if employee_id is None:
        if parsed.csat is not None:
            # Processed again when an event of the conversation names its agent.
            raise Held(_("A survey answer for a conversation no agent has answered yet."))
        return _("No agent assigned yet: the interaction is written once one is.")
    if stored is None and not parsed.status:
        # Some Chatwoot versions send a message's conversation as its id alone: processed
        # again once the conversation's own event has written it.
        raise Held(_("Waiting for the conversation's own event: this one has no state."))
    row = _row(event=event, parsed=parsed, stored=stored, stale=stale, employee_id=employee_id)
    [interaction] = interactions_push(principal=principal_for_system(name=source), rows={0: row})
    event.interaction = interaction
    if held:
        events_requeue(InboundEvent.objects.filter(pk__in=held))
    if parsed.csat is not None:
        survey_response_upsert(
            interaction=interaction,
            source=source,
            external_id=f"{parsed.conversation_id}:{parsed.message_id}",
            csat=parsed.csat,
            comment=parsed.csat_comment,
            # Chatwoot sends no answer time: the conversation's last update the delivery
            # carries is the closest, and the same on every redelivery.
            submitted_at=max(parsed.version or event.received_at, interaction.opened_at),
        )
    return (
        _("An older state than one already applied: only its first response was used.")
        if stale
        else ""
    )
