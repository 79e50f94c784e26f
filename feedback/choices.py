from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DISPUTED = "disputed", _("Disputed")
    RESOLVED = "resolved", _("Resolved")


class ReviewReason(models.TextChoices):
    SAMPLE = "sample", _("Weekly sample")
    FLAGGED = "flagged", _("Flagged for review")
    CALIBRATION = "calibration", _("Calibration")


class DisputeOutcome(models.TextChoices):
    UPHELD = "upheld", _("Review upheld")
    ADJUSTED = "adjusted", _("Review adjusted")


class Rating(models.IntegerChoices):
    POOR = 0, _("Poor")
    BELOW = 1, _("Below expectations")
    MEETS = 2, _("Meets expectations")
    GOOD = 3, _("Good")
    EXCELLENT = 4, _("Excellent")


class ReviewAction(models.TextChoices):
    CREATED = "created", _("Created")
    SAVED = "saved", _("Draft saved")
    PUBLISHED = "published", _("Published")
    DISPUTED = "disputed", _("Disputed")
    RESOLVED = "resolved", _("Dispute resolved")
    SEEN = "seen", _("Read by the agent")


class SamplingRuleKind(models.TextChoices):
    """Why the weekly sampling put an interaction in a review queue (docs/QA.md)."""

    LOW_CSAT = "low_csat", _("CSAT ≤ 2")
    ESCALATED = "escalated", _("Escalated")
    NEW_HIRE = "new_hire", _("New hire")
    RANDOM = "random", _("Weekly random sample")


# The order the weekly sampling applies a team's rules in: an interaction two rules would pick
# is labelled by the first, so the targeted rules come before the random draw.
SAMPLING_ORDER = (
    SamplingRuleKind.LOW_CSAT,
    SamplingRuleKind.ESCALATED,
    SamplingRuleKind.NEW_HIRE,
    SamplingRuleKind.RANDOM,
)
