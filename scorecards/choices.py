from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.qa_scoring import AUTO_FAIL_NONE, AUTO_FAIL_REVIEW, AUTO_FAIL_SECTION


class MetricCode(models.TextChoices):
    RESPONSE_SLA = "response_sla", _("Response within SLA")
    FIRST_RESPONSE_MINUTES = "first_response_minutes", _("First response time")
    FCR = "fcr", _("First contact resolution")
    RESOLUTION_HOURS = "resolution_hours", _("Resolution time")
    FOLLOW_UP = "follow_up", _("Follow-ups on time")
    ESCALATION = "escalation", _("Escalation rate")
    CSAT = "csat", _("Customer satisfaction")
    NPS = "nps", _("Net promoter score")
    QA = "qa", _("Quality review")
    VOLUME = "volume", _("Interactions resolved")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Band(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


class ChangeKind(models.TextChoices):
    NEW_HIRE = "new_hire", _("New hire / joined team")
    POLICY = "policy", _("Policy change")
    PROCEDURE = "procedure", _("Procedure change")
    TRAINING = "training", _("Training")
    SCORECARD = "scorecard", _("New scorecard version")
    OTHER = "other", _("Other")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class GoalStanding(models.TextChoices):
    """Where a goal stands now (`GoalProgress.standing`), on its page and in its download alike;
    `GoalStatus` is the outcome stored once the goal is settled."""

    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    WAITING = "waiting", _("Waiting for the last day to be final")
    ON_TRACK = "on_track", _("On track")
    NO_DATA = "no_data", _("No data yet")
    NOT_YET = "not_yet", _("Not there yet")


class AlertKind(models.TextChoices):
    RED_STREAK = "red_streak", _("Red three days running")
    DROP = "drop", _("Dropped 10+ points week on week")


class SectionAutoFail(models.TextChoices):
    """What a critical criterion rated 0 fails in a QA section (`feedback.qa_scoring`)."""

    NONE = AUTO_FAIL_NONE, _("No auto-fail (a critical 0 still fails the review)")
    SECTION = AUTO_FAIL_SECTION, _("Fails the section (it scores 0)")
    REVIEW = AUTO_FAIL_REVIEW, _("Fails the whole review (it scores 0)")
