from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectionKind(models.TextChoices):
    CHATWOOT = "chatwoot", "Chatwoot"
    ZENDESK = "zendesk", "Zendesk Support"


class EventStatus(models.TextChoices):
    # Stored, not yet processed (or its task was lost: the beat sweep queues it again).
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    # Processed and refused for good (bad data): kept with the reason, re-processable.
    REFUSED = "refused", _("refused")
    # Waiting for something else: an agent to be mapped, or the conversation it belongs to.
    HELD = "held", _("held")
