"""Chatwoot webhook deliveries turned into interactions and survey answers.

Formats, as Chatwoot writes them (app/listeners/webhook_listener.rb,
app/presenters/conversations/event_data_presenter.rb, app/models/message.rb#webhook_data,
lib/webhooks/trigger.rb in chatwoot/chatwoot):

- `conversation_*` events are the conversation's `webhook_data` plus `event` (and
  `changed_attributes`, null for `conversation_status_changed`). `id` is the per-account display
  number; `created_at`, `timestamp`, `last_activity_at` are unix seconds (0 = never),
  `updated_at` unix seconds as a float, `first_reply_created_at` an ISO string; the assignee and
  the contact are under `meta` (`assignee`, `sender`).
- `message_*` events are the message's `webhook_data`: `message_type` a string ("incoming",
  "outgoing", "activity", "template"), `created_at` an ISO string, `sender` with a `type`
  ("user" for an agent, "contact"), and the whole conversation under `conversation`. A message
  inside a conversation's `messages` has an integer `message_type` (0 incoming, 1 outgoing,
  2 activity, 3 template) and unix `created_at`.
- A CSAT answer is `message_updated` on the survey's template message (no sender), carrying
  `content_attributes.submitted_values.csat_survey_response` (`rating` 1-5, `feedback_message`);
  it usually comes twice (the rating, then the text).

Every event carries the conversation's whole state, so each one upserts the interaction from it;
an event whose conversation state is older than one already applied (deliveries race) only adds
what cannot go backwards (an earlier first response, a survey answer).
"""

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from customers.choices import Channel

EVENTS = frozenset(
    {
        "conversation_created",
        "conversation_status_changed",
        "conversation_updated",
        "message_created",
        "message_updated",
    }
)
# How far a signed delivery's timestamp may be from our clock (a replayed capture is refused).
SIGNATURE_WINDOW = dt.timedelta(minutes=5)
OUTGOING = 1

_CHANNELS = {
    "Channel::Email": Channel.EMAIL,
    "Channel::WebWidget": Channel.CHAT,
    "Channel::Api": Channel.CHAT,
    "Channel::Whatsapp": Channel.SOCIAL,
    "Channel::FacebookPage": Channel.SOCIAL,
    "Channel::TwitterProfile": Channel.SOCIAL,
    "Channel::Instagram": Channel.SOCIAL,
    "Channel::Telegram": Channel.SOCIAL,
    "Channel::Line": Channel.SOCIAL,
    "Channel::Sms": Channel.PHONE,
    "Channel::TwilioSms": Channel.PHONE,
    "Channel::Voice": Channel.PHONE,
}


class PayloadInvalid(ValueError):
    """The body is not a Chatwoot event this connector can read; the message says why."""


def signature_valid(
    *, secret: str, timestamp: str, body: bytes, signature: str, now: dt.datetime
) -> bool:
    """Check `X-Chatwoot-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>")`."""
    try:
        sent_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return False
    if abs(now - sent_at) > SIGNATURE_WINDOW:
        return False
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(f"sha256={digest.hexdigest()}", signature.strip())


def unix_time(value: Any) -> dt.datetime | None:
    """Chatwoot's unix seconds (an int, a float for `updated_at`); 0 and null mean never."""
    if value in (None, "", 0) or isinstance(value, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise PayloadInvalid(_("Not a unix time: %(value)r") % {"value": value}) from None


def iso_time(value: Any) -> dt.datetime | None:
    """Chatwoot's ISO times (`first_reply_created_at`, a top-level message's `created_at`)."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return unix_time(value)
    try:
        moment = parse_datetime(str(value))
    except ValueError:
        moment = None
    if moment is None:
        raise PayloadInvalid(_("Not a time: %(value)r") % {"value": value})
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass
class Person:
    external_id: str
    name: str = ""
    email: str = ""


@dataclass
class ChatwootEvent:
    """What one delivery says, read once; the processing decides what to write."""

    event_type: str
    conversation_id: str
    message_id: str = ""
    # The conversation's state.
    version: dt.datetime | None = None
    status: str = ""
    opened_at: dt.datetime | None = None
    first_reply_at: dt.datetime | None = None
    channel: str = Channel.CHAT
    subject: str = ""
    assignee: Person | None = None
    contact: Person | None = None
    contact_identifier: str = ""
    # An outgoing, public agent message: a first-response candidate and who sent it.
    agent_message_at: dt.datetime | None = None
    agent_sender: Person | None = None
    # A CSAT answer.
    csat: int | None = None
    csat_comment: str = ""
    extra: dict = field(default_factory=dict)


def _mapping(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadInvalid(_("%(what)s is not an object.") % {"what": what})
    return value


def _email(value: Any) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]


def _person(data: Any) -> Person | None:
    data = _mapping(data, "A person")
    if data.get("id") in (None, ""):
        return None
    return Person(
        external_id=str(data["id"])[:100],
        name=str(data.get("name") or data.get("available_name") or "")[:200],
        email=_email(data.get("email")),
    )


def _nested_first_reply(messages: Any) -> dt.datetime | None:
    """The earliest outgoing, public agent message among a conversation's `messages`."""
    found = []
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict) or message.get("private"):
            continue
        sender = message.get("sender") if isinstance(message.get("sender"), dict) else {}
        if message.get("message_type") == OUTGOING and sender.get("type") == "user":
            moment = unix_time(message.get("created_at"))
            if moment is not None:
                found.append(moment)
    return min(found, default=None)


def event_read(body: bytes | str) -> ChatwootEvent:
    """Read a delivery's body; raise PayloadInvalid for anything that is not a usable event."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PayloadInvalid(_("The body is not JSON.")) from None
    payload = _mapping(payload, "The body")
    event_type = str(payload.get("event") or "")
    if event_type not in EVENTS:
        return ChatwootEvent(event_type=event_type, conversation_id="")
    is_message = event_type.startswith("message_")
    conversation = _mapping(payload.get("conversation") if is_message else payload, "conversation")
    if conversation.get("id") in (None, ""):
        raise PayloadInvalid(_("The event names no conversation."))
    meta = _mapping(conversation.get("meta"), "meta")
    contact = _mapping(meta.get("sender"), "meta.sender")
    additional = _mapping(conversation.get("additional_attributes"), "additional_attributes")
    event = ChatwootEvent(
        event_type=event_type,
        conversation_id=str(conversation["id"])[:100],
        version=unix_time(conversation.get("updated_at")),
        status=str(conversation.get("status") or ""),
        opened_at=unix_time(conversation.get("created_at")),
        first_reply_at=iso_time(conversation.get("first_reply_created_at")),
        channel=_CHANNELS.get(str(conversation.get("channel") or ""), Channel.CHAT),
        subject=str(additional.get("mail_subject") or "")[:200],
        assignee=_person(meta.get("assignee")),
        contact=_person(contact),
        contact_identifier=str(contact.get("identifier") or "")[:100],
    )
    nested = _nested_first_reply(conversation.get("messages"))
    if is_message:
        _message_read(event=event, payload=payload)
    if nested is not None:
        event.agent_message_at = min(filter(None, (event.agent_message_at, nested)))
    return event


def _message_read(*, event: ChatwootEvent, payload: dict) -> None:
    event.message_id = str(payload.get("id") or "")[:100]
    sender = _mapping(payload.get("sender"), "sender")
    if (
        payload.get("message_type") == "outgoing"
        and not payload.get("private")
        and sender.get("type") == "user"
    ):
        event.agent_message_at = iso_time(payload.get("created_at"))
        event.agent_sender = _person(sender)
    attributes = _mapping(payload.get("content_attributes"), "content_attributes")
    submitted = _mapping(attributes.get("submitted_values"), "submitted_values")
    answer = _mapping(submitted.get("csat_survey_response"), "csat_survey_response")
    if event.event_type == "message_updated" and answer:
        rating = answer.get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int | str):
            raise PayloadInvalid(
                _("The CSAT rating is not a number: %(value)r") % {"value": rating}
            )
        try:
            event.csat = int(rating)
        except ValueError:
            raise PayloadInvalid(
                _("The CSAT rating is not a number: %(value)r") % {"value": rating}
            ) from None
        if not 1 <= event.csat <= 5:
            raise PayloadInvalid(
                _("The CSAT rating is outside 1-5: %(value)d") % {"value": event.csat}
            )
        event.csat_comment = str(answer.get("feedback_message") or "")
