"""Chatwoot webhook bodies, written from Chatwoot's source (chatwoot/chatwoot):

- app/listeners/webhook_listener.rb: `conversation_*` bodies are `conversation.webhook_data`
  merged with `event` and `changed_attributes` (null for conversation_status_changed);
  `message_*` bodies are `message.webhook_data` merged with `event`.
- app/presenters/conversations/event_data_presenter.rb (`push_data`): the conversation: `id`
  the display id, `meta.sender` (contact), `meta.assignee` (user), `status`,
  `first_reply_created_at` (ISO), `created_at` / `timestamp` / `last_activity_at` /
  `waiting_since` unix seconds (0 = never), `updated_at` unix seconds as a float, `messages`:
  the last message's push data (integer `message_type`, unix `created_at`).
- app/models/message.rb (`webhook_data`): `message_type` a string, `created_at` ISO, `sender`
  with `type` "user" or "contact", `conversation` the conversation's webhook data, and for a
  CSAT answer `content_type` "input_csat", `content_attributes.submitted_values
  .csat_survey_response` with `rating` and `feedback_message`, on a template message without a
  sender.
- lib/webhooks/trigger.rb: the body is POSTed as JSON (`payload.to_json`); newer installs sign it
  with `X-Chatwoot-Signature: sha256=<HMAC-SHA256(secret, "<timestamp>.<body>")>` and
  `X-Chatwoot-Timestamp`.
"""

import datetime as dt
import hashlib
import hmac
import json

AGENT = {
    "id": 7,
    "name": "Ilze Agent",
    "available_name": "Ilze",
    "avatar_url": "",
    "type": "user",
    "availability_status": "online",
    "thumbnail": "",
}
CONTACT = {
    "id": 41,
    "name": "Marta Customer",
    "email": "marta@example.com",
    "phone_number": "+37120000000",
    "identifier": None,
    "thumbnail": "",
    "additional_attributes": {},
    "custom_attributes": {},
    "type": "contact",
}


def unix(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def conversation(
    *,
    display_id: int = 12,
    created: dt.datetime,
    updated: dt.datetime,
    status: str = "open",
    assignee: dict | None = AGENT,
    first_reply: dt.datetime | None = None,
    messages: list | None = None,
    channel: str = "Channel::WebWidget",
) -> dict:
    return {
        "additional_attributes": {"browser": {"browser_name": "Firefox"}},
        "can_reply": True,
        "channel": channel,
        "contact_inbox": {"id": 3, "contact_id": CONTACT["id"], "inbox_id": 1, "source_id": "x"},
        "id": display_id,
        "inbox_id": 1,
        "messages": messages or [],
        "labels": [],
        "meta": {
            "sender": CONTACT,
            "assignee": assignee,
            "assignee_type": "User" if assignee else None,
            "team": None,
            "hmac_verified": False,
        },
        "status": status,
        "custom_attributes": {},
        "snoozed_until": None,
        "unread_count": 0,
        "first_reply_created_at": first_reply.isoformat().replace("+00:00", "Z")
        if first_reply
        else None,
        "priority": None,
        "waiting_since": 0,
        "agent_last_seen_at": 0,
        "contact_last_seen_at": 0,
        "last_activity_at": unix(updated),
        "timestamp": unix(updated),
        "created_at": unix(created),
        "updated_at": updated.timestamp(),
    }


def conversation_event(event: str, changed_attributes=None, **kwargs) -> dict:
    return {**conversation(**kwargs), "event": event, "changed_attributes": changed_attributes}


def nested_message(*, message_id: int, at: dt.datetime, outgoing: bool = True) -> dict:
    """A message as it sits in a conversation's `messages` (push_event_data)."""
    return {
        "id": message_id,
        "content": "Hello",
        "account_id": 1,
        "inbox_id": 1,
        "conversation_id": 12,
        "message_type": 1 if outgoing else 0,
        "created_at": unix(at),
        "private": False,
        "sender": {**AGENT} if outgoing else {**CONTACT},
    }


def message_event(
    event: str,
    *,
    message_id: int,
    at: dt.datetime,
    conversation_data: dict,
    message_type: str = "outgoing",
    private: bool = False,
    sender: dict | None = AGENT,
    content_type: str = "text",
    content_attributes: dict | None = None,
) -> dict:
    return {
        "account": {"id": 1, "name": "Acme"},
        "additional_attributes": {},
        "content_attributes": content_attributes or {},
        "content_type": content_type,
        "content": "Thanks for writing",
        "conversation": conversation_data,
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "id": message_id,
        "inbox": {"id": 1, "name": "Website"},
        "message_type": message_type,
        "private": private,
        "sender": sender,
        "source_id": None,
        "event": event,
    }


def csat_event(
    *, message_id: int, at: dt.datetime, conversation_data: dict, rating, feedback: str = ""
) -> dict:
    return message_event(
        "message_updated",
        message_id=message_id,
        at=at,
        conversation_data=conversation_data,
        message_type="template",
        sender=None,
        content_type="input_csat",
        content_attributes={
            "submitted_values": {
                "csat_survey_response": {"rating": rating, "feedback_message": feedback}
            }
        },
    )


def body(payload: dict) -> bytes:
    return json.dumps(payload).encode()


def signed_headers(*, secret: str, raw: bytes, timestamp: int) -> dict:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return {
        "HTTP_X_CHATWOOT_SIGNATURE": f"sha256={digest.hexdigest()}",
        "HTTP_X_CHATWOOT_TIMESTAMP": str(timestamp),
    }
