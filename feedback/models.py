from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from feedback.choices import (
    DisputeOutcome,
    Rating,
    ReviewAction,
    ReviewReason,
    ReviewStatus,
    SamplingRuleKind,
)
from staff.bounds import stored_in_range, validate_day_in_range
from staff.choices import Language


class SurveyInvitation(models.Model):
    """A survey sent to a customer about one interaction; its link is signed and single use."""

    interaction = models.OneToOneField(
        "customers.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="survey_invitation",
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    # Random per invitation and part of the signed token, so a token cannot be guessed from an id.
    nonce = models.CharField(_("nonce"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{_('Survey')} #{self.pk}"


class SurveyResponse(models.Model):
    interaction = models.ForeignKey(
        "customers.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        related_name="response",
        null=True,
        blank=True,
    )
    csat = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    nps = models.PositiveSmallIntegerField(
        _("likelihood to recommend (0–10)"), null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default="en")
    submitted_at = models.DateTimeField(_("submitted at"), validators=[validate_day_in_range])
    source = models.CharField(_("source"), max_length=40, default="crs")
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat__gte=1) & Q(csat__lte=5), name="survey_response_csat_range"
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | (Q(nps__gte=0) & Q(nps__lte=10)),
                name="survey_response_nps_range",
            ),
            models.CheckConstraint(
                condition=stored_in_range("submitted_at"), name="survey_response_submitted_in_range"
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"], name="uniq_survey_response_source_external_id"
            ),
        ]
        indexes = [models.Index(fields=["submitted_at"], name="survey_response_submitted_idx")]

    def __str__(self):
        return f"CSAT {self.csat} — {self.interaction_id}"


class CalibrationSessionQuerySet(models.QuerySet):
    def revealed(self, *, now) -> "CalibrationSessionQuerySet":
        """Return the sessions whose ratings everyone in them may read (docs/QA.md): closed,
        past their deadline, or every review of them published."""
        return self.filter(
            Q(closed_at__isnull=False)
            | Q(deadline__lte=now)
            | ~models.Exists(
                QAReview.objects.filter(
                    calibration_session=models.OuterRef("pk"), status=ReviewStatus.DRAFT
                )
            )
        )


class CalibrationSession(models.Model):
    """Several interactions rated blind by several reviewers until a deadline, then compared."""

    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="calibration_sessions_led",
    )
    deadline = models.DateTimeField(_("deadline"))
    interactions = models.ManyToManyField(
        "customers.Interaction", verbose_name=_("interactions"), related_name="calibration_sessions"
    )
    reviewers = models.ManyToManyField(
        "staff.Employee", verbose_name=_("reviewers"), related_name="calibration_sessions"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CalibrationSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class QAReviewQuerySet(models.QuerySet):
    def blind_to(self, *, employee_id: int | None, now) -> "QAReviewQuerySet":
        """Leave out the reviews of calibration sessions not revealed yet, except the
        employee's own: reviewers rate blind (docs/QA.md)."""
        hidden = Q(
            calibration_session__in=CalibrationSession.objects.exclude(
                pk__in=CalibrationSession.objects.revealed(now=now).values("pk")
            ).values("pk")
        )
        if employee_id is not None:
            hidden &= ~Q(reviewer_id=employee_id)
        return self.exclude(hidden)

    def scored(self) -> "QAReviewQuerySet":
        """Return the reviews that count for the agent's `qa` metric (docs/SCORING.md).

        A review counts from its first publication at its current total, whether or not it is
        disputed; calibration reviews compare reviewers and never count.
        """
        return self.filter(
            status__in=(ReviewStatus.PUBLISHED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED)
        ).exclude(reason=ReviewReason.CALIBRATION)


class QAReview(models.Model):
    interaction = models.ForeignKey(
        "customers.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="qa_reviews",
    )
    reviewer = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="qa_reviews_given",
    )
    # The version whose criteria this review rates (a string reference: no import of scorecards).
    version = models.ForeignKey(
        "scorecards.ScorecardVersion",
        verbose_name=_("scorecard version"),
        on_delete=models.PROTECT,
        related_name="qa_reviews",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=ReviewReason.choices, default=ReviewReason.SAMPLE
    )
    # The sampling rule that put a weekly-sample draft in the queue; blank for other reasons.
    sampled_by = models.CharField(
        _("picked by"), max_length=20, choices=SamplingRuleKind.choices, blank=True
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The moment the review's total last took effect (publication, or a dispute's resolution):
    # the `qa` metric counts a review on this day.
    scored_at = models.DateTimeField(_("counts from"), null=True, blank=True)
    dispute_reason = models.TextField(_("dispute reason"), blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    dispute_outcome = models.CharField(
        _("dispute outcome"), max_length=20, choices=DisputeOutcome.choices, blank=True
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        related_name="qa_disputes_resolved",
        null=True,
        blank=True,
    )
    # When the reviewed agent marked the published review read (once).
    seen_at = models.DateTimeField(_("read by the agent at"), null=True, blank=True)
    # Set on the calibration reviews a session made; its ratings stay blind until it reveals.
    calibration_session = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        on_delete=models.SET_NULL,
        related_name="reviews",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    objects = QAReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("QA review")
        verbose_name_plural = _("QA reviews")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "reviewer"], name="uniq_qa_review_interaction_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="qa_review_total_range",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT) | Q(published_at__isnull=False),
                name="qa_review_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(sampled_by="") | Q(reason=ReviewReason.SAMPLE),
                name="qa_review_sampled_by_only_for_samples",
            ),
        ]
        indexes = [models.Index(fields=["status", "scored_at"], name="qa_review_status_scored_idx")]

    def __str__(self):
        return f"{_('QA review')} #{self.pk}"


class QARating(models.Model):
    review = models.ForeignKey(
        QAReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.ForeignKey(
        "scorecards.QACriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    # Null means "not applicable": the criterion leaves the total's denominator.
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("QA rating")
        verbose_name_plural = _("QA ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="uniq_qa_rating_criterion"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=4), name="qa_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.rating}"


class QAReviewEvent(models.Model):
    """The review's history: who did what, when, with what total — readable by agent and manager."""

    review = models.ForeignKey(
        QAReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        "staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    note = models.TextField(_("note"), blank=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("QA review event")
        verbose_name_plural = _("QA review events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.at:%Y-%m-%d %H:%M}"


class QADisputeItem(models.Model):
    """One criterion of a disputed review: what the agent proposes and why, and the decision."""

    review = models.ForeignKey(
        QAReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="dispute_items"
    )
    criterion = models.ForeignKey(
        "scorecards.QACriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Ratings 0..4; null means "not applicable", as on QARating.
    original_rating = models.PositiveSmallIntegerField(
        _("rating disputed"), choices=Rating.choices, null=True, blank=True
    )
    proposed_rating = models.PositiveSmallIntegerField(
        _("rating proposed"), choices=Rating.choices, null=True, blank=True
    )
    reason = models.TextField(_("reason"))
    outcome = models.CharField(
        _("decision"), max_length=20, choices=DisputeOutcome.choices, blank=True
    )
    resolved_rating = models.PositiveSmallIntegerField(
        _("rating decided"), choices=Rating.choices, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disputed criterion")
        verbose_name_plural = _("disputed criteria")
        ordering = ["criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="uniq_qa_dispute_item_criterion"
            ),
            models.CheckConstraint(
                condition=(Q(original_rating__isnull=True) | Q(original_rating__lte=4))
                & (Q(proposed_rating__isnull=True) | Q(proposed_rating__lte=4))
                & (Q(resolved_rating__isnull=True) | Q(resolved_rating__lte=4)),
                name="qa_dispute_item_ratings_range",
            ),
        ]

    def __str__(self):
        return f"{self.review_id}/{self.criterion_id}"


class SamplingRule(models.Model):
    """One of a team's weekly sampling rules, switched on or off by its managers.

    A team without a row for a kind uses `sampling_rules_for_teams`' default: the random sample
    on at three per agent, the other rules off. The random rule's `per_agent` is the one place a
    team's weekly sample size lives (migration 0009 moved the old team field's values here).
    """

    team = models.ForeignKey(
        "staff.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="sampling_rules",
    )
    kind = models.CharField(_("rule"), max_length=20, choices=SamplingRuleKind.choices)
    is_enabled = models.BooleanField(_("on"), default=False)
    # The random and new-hire rules draw this many interactions per agent and week.
    per_agent = models.PositiveSmallIntegerField(_("interactions per agent per week"), default=3)
    new_hire_weeks = models.PositiveSmallIntegerField(_("new hire for (weeks)"), default=4)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")
        ordering = ["team", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="uniq_sampling_rule_team_kind"),
            models.CheckConstraint(
                condition=Q(per_agent__lte=50), name="sampling_rule_per_agent_range"
            ),
            models.CheckConstraint(
                condition=Q(new_hire_weeks__gte=1) & Q(new_hire_weeks__lte=52),
                name="sampling_rule_new_hire_weeks_range",
            ),
        ]

    def __str__(self):
        return f"{self.team_id}: {self.get_kind_display()}"


class ReviewerQuota(models.Model):
    """How many reviews a reviewer is expected to publish each week (shown on their queue)."""

    reviewer = models.OneToOneField(
        "staff.Employee",
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="review_quota",
    )
    reviews_per_week = models.PositiveSmallIntegerField(_("reviews per week"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reviewer quota")
        verbose_name_plural = _("reviewer quotas")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_per_week__gte=1) & Q(reviews_per_week__lte=200),
                name="reviewer_quota_range",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer_id}: {self.reviews_per_week}"


class CalibrationReference(models.Model):
    """The rating a session's lead agreed on for one criterion of one interaction."""

    session = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        on_delete=models.CASCADE,
        related_name="references",
    )
    interaction = models.ForeignKey(
        "customers.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    criterion = models.ForeignKey(
        "scorecards.QACriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Null means "not applicable", as on QARating.
    rating = models.PositiveSmallIntegerField(
        _("reference rating"), choices=Rating.choices, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("calibration reference")
        verbose_name_plural = _("calibration references")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "interaction", "criterion"],
                name="uniq_calibration_reference_criterion",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=4),
                name="calibration_reference_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.interaction_id}/{self.criterion_id}: {self.rating}"
