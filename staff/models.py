import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
from simple_history.models import HistoricalRecords

from staff.bounds import stored_in_range, validate_future_day_in_range
from staff.choices import ApiScope, Language, Role


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    managers = models.ManyToManyField(
        "staff.Employee", verbose_name=_("managers"), related_name="managed_teams", blank=True
    )
    # A string reference keeps this app free of imports from `scorecards`.
    scorecard = models.ForeignKey(
        "scorecards.Scorecard",
        verbose_name=_("scorecard"),
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
    )
    # The weekly QA sample per agent is the team's random sampling rule (feedback.SamplingRule),
    # set on the sampling page: one place, so the admin and that page never disagree.
    survey_channels = models.JSONField(_("channels that get surveys"), default=list, blank=True)
    survey_rate_percent = models.PositiveSmallIntegerField(
        _("survey sampling rate (%)"), default=100
    )
    survey_cooldown_days = models.PositiveSmallIntegerField(
        _("days between surveys to one customer"), default=14
    )
    dispute_window_days = models.PositiveSmallIntegerField(
        _("days to dispute a QA review"),
        default=7,
        help_text=_("How long after publication an agent of this team may dispute a review."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(survey_rate_percent__lte=100), name="team_survey_rate_percent_range"
            ),
        ]

    def __str__(self):
        return self.name


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="employee",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    hire_date = models.DateField(_("hire date"), validators=[validate_future_day_in_range])
    is_active = models.BooleanField(_("active"), default=True)
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    # When the worker last e-mailed a reminder to read the rules in force: one a day at most.
    rules_reminded_at = models.DateTimeField(_("rules reminder sent at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["rules_reminded_at"])

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="uniq_employee_external_id"),
            models.CheckConstraint(
                condition=stored_in_range("hire_date", is_date=True),
                name="employee_hire_date_in_range",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)


class TeamMembershipQuerySet(models.QuerySet):
    def on_day(self, day) -> "TeamMembershipQuerySet":
        """Keep the memberships covering `day`: a date, or an expression such as `OuterRef`."""
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class TeamMembership(models.Model):
    """An employee's membership of a team from `starts_on` to `ends_on` (inclusive, open if null).

    An employee is in at most one team on any day: on PostgreSQL an exclusion constraint
    (`excl_membership_overlap`, added in a migration) refuses overlapping periods.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    starts_on = models.DateField(_("starts on"), validators=[validate_future_day_in_range])
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, validators=[validate_future_day_in_range]
    )

    history = HistoricalRecords()

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_start",
            ),
            # Membership periods bound every effective-dated read: no day Python cannot step past.
            models.CheckConstraint(
                condition=stored_in_range("starts_on", is_date=True),
                name="membership_starts_in_range",
            ),
            models.CheckConstraint(
                condition=stored_in_range("ends_on", is_date=True, nullable=True),
                name="membership_ends_in_range",
            ),
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(ends_on__isnull=True),
                name="uniq_membership_one_open_per_employee",
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_on"], name="membership_team_start_idx")]

    def __str__(self):
        return f"{self.employee} @ {self.team} ({self.starts_on}–{self.ends_on or '…'})"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class WorkingCalendar(models.Model):
    """A team's working time: hours per weekday in the organisation's zone, and a country's
    public holidays. With one, response times of the team's interactions count working time
    only (docs/SCORING.md, business hours).

    A day without hours (both empty) is not worked. An end at or before the start runs past
    midnight into the next day (a night shift); equal times are a whole day.
    """

    team = models.OneToOneField(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="working_calendar",
    )
    country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter country code, such as LV; empty for no public holidays."),
    )
    subdivision = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("A region with holidays of its own, where the country has them."),
    )
    monday_start = models.TimeField(_("Monday from"), null=True, blank=True)
    monday_end = models.TimeField(_("Monday to"), null=True, blank=True)
    tuesday_start = models.TimeField(_("Tuesday from"), null=True, blank=True)
    tuesday_end = models.TimeField(_("Tuesday to"), null=True, blank=True)
    wednesday_start = models.TimeField(_("Wednesday from"), null=True, blank=True)
    wednesday_end = models.TimeField(_("Wednesday to"), null=True, blank=True)
    thursday_start = models.TimeField(_("Thursday from"), null=True, blank=True)
    thursday_end = models.TimeField(_("Thursday to"), null=True, blank=True)
    friday_start = models.TimeField(_("Friday from"), null=True, blank=True)
    friday_end = models.TimeField(_("Friday to"), null=True, blank=True)
    saturday_start = models.TimeField(_("Saturday from"), null=True, blank=True)
    saturday_end = models.TimeField(_("Saturday to"), null=True, blank=True)
    sunday_start = models.TimeField(_("Sunday from"), null=True, blank=True)
    sunday_end = models.TimeField(_("Sunday to"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        constraints = [
            models.CheckConstraint(
                condition=functools.reduce(
                    lambda a, b: a & b,
                    (
                        Q(**{f"{day}_start__isnull": True, f"{day}_end__isnull": True})
                        | Q(**{f"{day}_start__isnull": False, f"{day}_end__isnull": False})
                        for day in WEEKDAYS
                    ),
                ),
                name="working_calendar_hours_in_pairs",
            ),
        ]

    def __str__(self):
        return str(self.team)

    @property
    def weekly_hours(self) -> list:
        """[(start, end) or None] from Monday to Sunday."""
        hours = []
        for day in WEEKDAYS:
            start, end = getattr(self, f"{day}_start"), getattr(self, f"{day}_end")
            hours.append((start, end) if start is not None and end is not None else None)
        return hours


def validate_api_scopes(value):
    """Refuse anything but a list of known API scopes."""
    if not isinstance(value, list) or not all(scope in ApiScope.values for scope in value):
        raise ValidationError(
            _("Scopes must be a list of: %(scopes)s."),
            params={"scopes": ", ".join(ApiScope.values)},
        )


class ApiKeyManager(APIKeyManager):
    def assign_key(self, obj: "ApiKey") -> str:
        """Give the key a new secret; return it (only its hash is kept).

        The library makes the row's id "<prefix>.<hash>", which puts the hash in admin URLs (and
        so in access logs) and in the history table. The prefix alone is unique and random, so
        it is the id here.
        """
        key = super().assign_key(obj)
        obj.id = obj.prefix
        return key


class ApiKey(AbstractAPIKey):
    """A key an external tool sends as `Authorization: Api-Key <key>`; only its hash is stored."""

    objects = ApiKeyManager()

    scopes = models.JSONField(
        _("scopes"), default=list, blank=True, validators=[validate_api_scopes]
    )
    # Set through `staff.services.api_key_teams_set`: a key restricted to teams reads and writes
    # only their rows. The flag outlives its teams, so a key whose teams were all deleted sees
    # nothing instead of falling back to every team (fail closed).
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), related_name="api_keys", blank=True
    )
    is_team_restricted = models.BooleanField(_("restricted to teams"), default=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    # Only the hash of a key exists, and even that stays out of the history.
    history = HistoricalRecords(excluded_fields=["hashed_key"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
