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
