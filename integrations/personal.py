"""Which customers a stored helpdesk event names, so that erasing a customer erases them all.

A raw event carries the customer's name and address whether or not it ever wrote an
interaction (refused, pending, held for an unmapped agent, a survey answer, a ticket that was
never written). Each event keeps, from the moment it is stored, the keys of the customers it
names, in the form a customer has them in CRS:

- `id:<external id>`: the customer external id the event's processing gives its customer
  (Chatwoot: the contact's `identifier`, else `chatwoot-<connection>-<contact id>`; Zendesk:
  `zendesk:<subdomain>:<requester id>`);
- `email:<address, lower case>`: every e-mail address in the raw body, whatever its place (a
  body too broken to be read as JSON is searched as text and still gives its addresses).

`customer_erase` (privacy.services) deletes the events holding any key of the customer.
"""

import json
import re
from typing import Any

from django.db import connection as db
from django.db.models import Q, QuerySet

from integrations.choices import ConnectionKind

# Wide on purpose: an address missed here stays after its customer is erased.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def email_key(email: str) -> str:
    return f"email:{email.strip().lower()}"


def id_key(external_id: str) -> str:
    return f"id:{external_id}"


def _texts_with_at(value: Any) -> list[str]:
    """Every text (value or key) in a decoded JSON document that holds an "@"."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "@" in item:
                found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _present(value: Any) -> bool:
    return value not in (None, "") and not isinstance(value, dict | list | bool)


def _chatwoot_ids(*, connection_id: int, payload: dict) -> set[str]:
    """The contacts a Chatwoot delivery names, as chatwoot_apply keys their customers."""
    contacts = []
    event = str(payload.get("event") or "")
    conversation = _dict(payload.get("conversation")) if event.startswith("message_") else payload
    contacts.append(_dict(_dict(conversation.get("meta")).get("sender")))
    sender = _dict(payload.get("sender"))
    if sender.get("type") == "contact":
        contacts.append(sender)
    if event.startswith("contact_"):
        contacts.append(payload)
    contacts.append(_dict(payload.get("contact")))
    ids = set()
    for contact in contacts:
        if _present(contact.get("identifier")):
            ids.add(str(contact["identifier"])[:100])
        if _present(contact.get("id")):
            ids.add(f"chatwoot-{connection_id}-{str(contact['id'])[:100]}")
    return ids


def _zendesk_ids(*, subdomain: str, payload: dict) -> set[str]:
    """The requester of a stored Zendesk ticket, as the Zendesk processor keys its customer."""
    ticket = _dict(payload.get("ticket"))
    requester = ticket.get("requester_id")
    if not _present(requester):
        return set()
    return {f"zendesk:{subdomain}:{requester}"[:100]}


def event_customer_keys(
    *, kind: str, connection_id: int, settings: dict, body: str, payload: Any = None
) -> list[str]:
    """The keys of the customers a raw event names (sorted, no repeats).

    `payload`: the body already decoded, if at hand (it is not decoded twice).
    """
    if payload is None:
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
    # In a JSON body only the texts holding an "@" are searched (a page of a thousand tickets
    # is read in a few milliseconds); any other body is searched whole.
    texts = _texts_with_at(payload) if isinstance(payload, dict | list) else [body]
    keys = {email_key(found) for text in texts for found in _EMAIL.findall(text)}
    if isinstance(payload, dict):
        if kind == ConnectionKind.CHATWOOT:
            ids = _chatwoot_ids(connection_id=connection_id, payload=payload)
        elif kind == ConnectionKind.ZENDESK:
            ids = _zendesk_ids(subdomain=str(settings.get("subdomain", "")), payload=payload)
        else:
            ids = set()
        keys |= {id_key(i) for i in ids}
    return sorted(keys)


def customer_keys(*, external_id: str | None, email: str) -> list[str]:
    """The keys an event naming this customer holds."""
    keys = []
    if external_id:
        keys.append(id_key(external_id))
    if email:
        keys.append(email_key(email))
    return keys


def events_naming(events: QuerySet, keys: list[str]) -> QuerySet:
    """The events of `events` holding any of the keys.

    PostgreSQL answers with jsonb containment; elsewhere (SQLite, the local `make run`) the
    stored text narrows the rows and the list decides.
    """
    if not keys:
        return events.none()
    if db.vendor == "postgresql":
        match = Q()
        for key in keys:
            match |= Q(customer_keys__contains=[key])
        return events.filter(match)
    narrowed = Q()
    for key in keys:
        narrowed |= Q(customer_keys__icontains=json.dumps(key)[1:-1])
    wanted = set(keys)
    found = [
        pk
        for pk, held in events.filter(narrowed).values_list("pk", "customer_keys")
        if wanted.intersection(held or [])
    ]
    return events.filter(pk__in=found)
