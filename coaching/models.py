from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CoachingSession(models.Model):
    """A conversation between a manager and an agent about their work, and what they agreed."""

    agent = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="coaching_sessions",
    )
    coach = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        related_name="coaching_sessions_given",
    )
    held_on = models.DateField(_("held on"))
    # Topics: metric codes of the scorecard and QA criteria of its versions.
    # A list of metric codes (JSON: the demo runs on SQLite too); the service checks them.
    metrics = models.JSONField(_("metrics"), default=list, blank=True)
    criteria = models.ManyToManyField(
        "scorecards.QACriterion", verbose_name=_("QA criteria"), related_name="+", blank=True
    )
    reviews = models.ManyToManyField(
        "feedback.QAReview", verbose_name=_("reviews"), related_name="coaching_sessions", blank=True
    )
    interactions = models.ManyToManyField(
        "customers.Interaction",
        verbose_name=_("interactions"),
        related_name="coaching_sessions",
        blank=True,
    )
    goals = models.ManyToManyField(
        "scorecards.Goal", verbose_name=_("goals"), related_name="coaching_sessions", blank=True
    )
    notes = models.TextField(_("notes"))
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    agent_comment = models.TextField(_("agent's comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agent=F("coach")), name="coaching_session_coach_not_agent"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("held_on")),
                name="coaching_session_follow_up_after_session",
            ),
        ]
        indexes = [models.Index(fields=["agent", "held_on"], name="coaching_agent_held_idx")]

    def __str__(self):
        return f"{self.agent} — {self.held_on:%Y-%m-%d}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class CoachingAction(models.Model):
    """Something agreed in a session, with who does it and by when."""

    session = models.ForeignKey(
        CoachingSession,
        verbose_name=_("coaching session"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="coaching_actions",
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching action")
        verbose_name_plural = _("coaching actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "due_on"], name="coaching_action_owner_due_idx")]

    def __str__(self):
        return self.description
