"""Connections to helpdesks, the events they sent or we fetched, and their agents.

An event is stored, raw, before anything is done with it: with the broker or the workers down
nothing is lost, and a refused event can be processed again after its cause is fixed.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.choices import ConnectionKind, EventStatus


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Connection(models.Model):
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ConnectionKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # Kept, not hashed: a Chatwoot connection checks each delivery's HMAC signature with it.
    # The pages show it once, when the connection is added.
    secret = models.CharField(_("secret"), max_length=200, default=new_secret)
    # The key Chatwoot shows for a webhook that signs its deliveries (X-Chatwoot-Signature);
    # when set, an unsigned or wrongly signed delivery is refused. Older installs do not sign.
    signing_secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    # Per kind: e.g. a Zendesk subdomain, the account e-mail, the escalation rule.
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    # Per kind: e.g. a Zendesk export cursor; written by the connector only.
    state = models.JSONField(_("state"), default=dict, blank=True)
    is_paused = models.BooleanField(_("paused"), default=False)
    events_accepted = models.PositiveBigIntegerField(_("events accepted"), default=0)
    events_refused = models.PositiveBigIntegerField(_("events refused"), default=0)
    last_event_at = models.DateTimeField(_("last event at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpdesk connection")
        verbose_name_plural = _("helpdesk connections")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def source(self) -> str:
        """The `source` of the interactions this connection writes (unique with external_id)."""
        return f"{self.kind}:{self.pk}"


class ExternalAgent(models.Model):
    """A helpdesk agent; without an employee it waits in the mapping queue, with its events."""

    connection = models.ForeignKey(
        Connection, verbose_name=_("connection"), on_delete=models.CASCADE, related_name="agents"
    )
    external_id = models.CharField(_("external id"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="external_agents",
    )
    mapped_at = models.DateTimeField(_("mapped at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpdesk agent")
        verbose_name_plural = _("helpdesk agents")
        ordering = ["connection", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "external_id"], name="uniq_external_agent"
            ),
        ]

    def __str__(self):
        return self.name or self.email or self.external_id


class InboundEvent(models.Model):
    connection = models.ForeignKey(
        Connection, verbose_name=_("connection"), on_delete=models.CASCADE, related_name="events"
    )
    # The same delivery twice (a redelivery, a re-fetched page) has the same key: stored once.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    event_type = models.CharField(_("event"), max_length=60, blank=True)
    # The helpdesk's conversation or ticket the event is about, and the message if any.
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    body = models.TextField(_("raw body"))
    # The customers the body names (integrations.personal), written when it is stored: erasing
    # a customer erases every event about it, written into an interaction or not.
    customer_keys = models.JSONField(_("customer keys"), default=list, blank=True, editable=False)
    # The helpdesk's own time of the state the event carries (Chatwoot: the conversation's
    # updated_at): an event older than one already applied does not roll the state back.
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    agent = models.ForeignKey(
        ExternalAgent,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    interaction = models.ForeignKey(
        "customers.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound event")
        verbose_name_plural = _("inbound events")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "dedupe_key"], name="uniq_inbound_event_dedupe"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_event_status_idx"),
            models.Index(
                fields=["connection", "status", "-received_at"], name="inbound_event_conn_idx"
            ),
            models.Index(fields=["connection", "external_id"], name="inbound_event_ext_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.external_id} ({self.get_status_display()})"
