import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scorecards.choices import (
    AlertKind,
    Band,
    ChangeKind,
    GoalStatus,
    MetricCode,
    SectionAutoFail,
    VersionStatus,
)
from scorecards.translations import (
    CRITERION_TEXTS,
    METRIC_TEXTS,
    SECTION_TEXTS,
    VERSION_TEXTS,
    translations_stale_any,
)


class Scorecard(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ScorecardVersion(models.Model):
    """One set of rules. Drafts are edited; a published version never changes again.

    The rule is held twice: `save()` refuses here, and on PostgreSQL the trigger
    `scorecard_version_immutable` refuses any other writer (raw SQL, bulk updates).
    """

    TRANSLATED_TEXTS = VERSION_TEXTS

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"))
    intro = models.TextField(_("introduction"), blank=True)
    change_summary = models.TextField(_("what changed"), blank=True)
    sla_minutes = models.PositiveIntegerField(_("response SLA (minutes)"), default=60)
    green_from = models.DecimalField(_("green from"), max_digits=5, decimal_places=2, default=80)
    amber_from = models.DecimalField(_("amber from"), max_digits=5, decimal_places=2, default=60)
    # Per language the translated texts and the English they were written from: see
    # scorecards/translations.py. Edited in the scorecard editor.
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, help_text=_('{"ru": {"intro": "…"}, …}')
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        ordering = ["scorecard", "-number"]
        get_latest_by = "effective_from"
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "number"], name="uniq_scorecard_version_number"
            ),
            models.UniqueConstraint(
                fields=["scorecard", "effective_from"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="uniq_scorecard_version_published_effective",
            ),
            models.CheckConstraint(
                condition=Q(amber_from__lt=F("green_from"))
                & Q(amber_from__gte=0)
                & Q(green_from__lte=100),
                name="scorecard_version_bands_ordered",
            ),
            models.CheckConstraint(
                condition=Q(sla_minutes__gt=0), name="scorecard_version_sla_positive"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(published_at__isnull=False),
                name="scorecard_version_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.scorecard} v{self.number}"

    def save(self, *args, **kwargs):
        if (
            self.pk
            and ScorecardVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()
        ):
            raise ValidationError(_("A published scorecard version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if (
            self.pk
            and ScorecardVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()
        ):
            raise ValidationError(_("A published scorecard version cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def localized(self, field: str, language: str) -> str:
        return self.translations.get(language, {}).get(field) or getattr(self, field)

    def translation_outdated(self, fields: tuple[str, ...] | None, language: str) -> bool:
        """Tell whether any of the fields' translations (all its rule texts when None) predates
        a change of its English."""
        fields = self.TRANSLATED_TEXTS if fields is None else fields
        return translations_stale_any(
            self.translations, language, {name: getattr(self, name) for name in fields}
        )


class _VersionPart(models.Model):
    """A row that belongs to a version and is frozen with it."""

    # The rule texts its `translations` hold (scorecards/translations.py), set per model.
    TRANSLATED_TEXTS: tuple[str, ...] = ()

    translations = models.JSONField(_("translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self):
        if ScorecardVersion.objects.filter(
            pk=self.version_id, status=VersionStatus.PUBLISHED
        ).exists():
            raise ValidationError(_("A published scorecard version cannot be changed."))

    def localized(self, field: str, language: str) -> str:
        return self.translations.get(language, {}).get(field) or getattr(self, field)

    def translation_outdated(self, fields: tuple[str, ...] | None, language: str) -> bool:
        """Tell whether any of the fields' translations (all its rule texts when None) predates
        a change of its English."""
        fields = self.TRANSLATED_TEXTS if fields is None else fields
        return translations_stale_any(
            self.translations, language, {name: getattr(self, name) for name in fields}
        )


class Metric(_VersionPart):
    TRANSLATED_TEXTS = METRIC_TEXTS
    version = models.ForeignKey(
        ScorecardVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    code = models.CharField(_("metric"), max_length=40, choices=MetricCode.choices)
    label = models.CharField(_("label"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    floor = models.DecimalField(
        _("floor"), max_digits=10, decimal_places=2, help_text=_("The value that scores 0.")
    )
    min_sample = models.PositiveIntegerField(
        _("minimum sample"), default=1, help_text=_("Below this count the metric is N/A that day.")
    )
    rule_what = models.TextField(_("what it measures"), blank=True)
    rule_why = models.TextField(_("why it matters"), blank=True)
    rule_how = models.TextField(_("how to do well"), blank=True)

    history = HistoricalRecords()

    class Meta(_VersionPart.Meta):
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_metric_version_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="metric_weight_positive"),
            models.CheckConstraint(
                condition=~Q(target=F("floor")), name="metric_target_differs_from_floor"
            ),
            models.CheckConstraint(
                condition=Q(min_sample__gte=1), name="metric_min_sample_positive"
            ),
        ]

    def __str__(self):
        return self.label


class QASection(_VersionPart):
    """A group of QA criteria with its own weight among the sections (docs/SCORING.md)."""

    TRANSLATED_TEXTS = SECTION_TEXTS

    version = models.ForeignKey(
        ScorecardVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="qa_sections",
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    auto_fail = models.CharField(
        _("auto-fail"),
        max_length=10,
        choices=SectionAutoFail.choices,
        default=SectionAutoFail.NONE,
        help_text=_("What a critical criterion of this section rated 0 fails."),
    )

    history = HistoricalRecords()

    class Meta(_VersionPart.Meta):
        verbose_name = _("QA section")
        verbose_name_plural = _("QA sections")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="uniq_qa_section_version_code"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="qa_section_weight_positive"),
            models.CheckConstraint(
                condition=Q(auto_fail__in=SectionAutoFail.values),
                name="qa_section_auto_fail_valid",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_auto_fail(self) -> bool:
        return self.auto_fail != SectionAutoFail.NONE


class QACriterion(_VersionPart):
    TRANSLATED_TEXTS = CRITERION_TEXTS

    version = models.ForeignKey(
        ScorecardVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="qa_criteria",
    )
    section = models.ForeignKey(
        QASection,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criteria",
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(_("what a reviewer looks for"), blank=True)
    examples = models.TextField(_("examples"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_(
            "Rated 0, it makes the whole review 0, or only its section 0 when the section's "
            "auto-fail says so."
        ),
    )

    history = HistoricalRecords()

    class Meta(_VersionPart.Meta):
        verbose_name = _("QA criterion")
        verbose_name_plural = _("QA criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="uniq_qa_criterion_version_code"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="qa_criterion_weight_positive"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.section_id is not None and self.section.version_id != self.version_id:
            raise ValidationError(
                {"section": _("Pick a section of this criterion's own scorecard version.")}
            )


class DailyScoreBase(models.Model):
    """A subject's score for one day: per metric the sufficient statistics `<code>_num` and
    `<code>_den` (columns, so periods and teams pool with one SQL SUM), the derived value and
    score per metric in `api_metrics` (the JSON text the API sends), and the weighted total and
    band.

    A team's day is worked when any member's is, and final when the day is."""

    day = models.DateField(_("day"))
    version = models.ForeignKey(
        ScorecardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    band = models.CharField(_("band"), max_length=10, choices=Band.choices, blank=True)
    # Every metric's value, score, num and den as the JSON object the API sends for the row,
    # written by the engine when it computes the row (`engine.rows.metric_figures_json`) and
    # served as it is: a text column, so every database returns the engine's bytes unchanged.
    api_metrics = models.TextField(_("metric figures (JSON)"), default="{}", blank=True)
    # A worked day (an interaction opened or resolved on it) alone carries a total; a final
    # day (every SLA deadline of its interactions passed) alone carries a band and alerts.
    is_worked = models.BooleanField(_("worked day"), default=False)
    is_final = models.BooleanField(_("final"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True

    @property
    def metrics(self) -> dict:
        """Return `api_metrics` decoded: each metric's value, score, num and den."""
        return json.loads(self.api_metrics)


for _code in MetricCode.values:
    DailyScoreBase.add_to_class(
        f"{_code}_num", models.DecimalField(max_digits=18, decimal_places=4, default=0)
    )
    DailyScoreBase.add_to_class(
        f"{_code}_den", models.DecimalField(max_digits=18, decimal_places=4, default=0)
    )


class EmployeeDailyScore(DailyScoreBase):
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="daily_scores",
    )
    # The team the employee was a member of that day (effective-dated membership).
    team = models.ForeignKey(
        "staff.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="member_daily_scores",
    )

    class Meta:
        verbose_name = _("employee daily score")
        verbose_name_plural = _("employee daily scores")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="uniq_employee_daily_score"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="employee_daily_score_total_range",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "day"], name="emp_score_team_day_idx"),
            # The API pages through rows in (day, id) order (cursor pagination).
            models.Index(fields=["day", "id"], name="emp_score_day_id_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.day}: {self.total}"


class TeamDailyScore(DailyScoreBase):
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="daily_scores"
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)

    class Meta:
        verbose_name = _("team daily score")
        verbose_name_plural = _("team daily scores")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["team", "day"], name="uniq_team_daily_score"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="team_daily_score_total_range",
            ),
        ]

    def __str__(self):
        return f"{self.team_id} {self.day}: {self.total}"


class DirtyDay(models.Model):
    """An (employee, day) whose inputs changed since it was last scored; drained by each run."""

    employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("day to rescore")
        verbose_name_plural = _("days to rescore")
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="uniq_dirty_day"),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.day}"


class ScoreFillState(models.Model):
    """Which days have been computed, and which are final (Zulip's fill state, per day)."""

    day = models.DateField(_("day"), unique=True)
    is_final = models.BooleanField(_("final"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score fill state")
        verbose_name_plural = _("score fill states")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {'final' if self.is_final else 'partial'}"


class Goal(models.Model):
    employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="goals"
    )
    metric = models.CharField(_("metric"), max_length=40, choices=MetricCode.choices)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    why = models.TextField(_("why this matters to me"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    set_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="goal_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.employee}: {self.get_metric_display()} {self.target}"


class ChangeEvent(models.Model):
    """Something that changed inside the business (a hire, a policy, training) on a day."""

    day = models.DateField(_("day"))
    # No team: the change applies to everyone.
    team = models.ForeignKey(
        "staff.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="change_events",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    is_automatic = models.BooleanField(_("recorded automatically"), default=False)
    created_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["-day", "-pk"]

    def __str__(self):
        return f"{self.day}: {self.title}"


class RuleAcknowledgement(models.Model):
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="rule_acknowledgements",
    )
    version = models.ForeignKey(
        ScorecardVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule acknowledgement")
        verbose_name_plural = _("rule acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "version"], name="uniq_rule_acknowledgement"
            ),
        ]

    def __str__(self):
        return f"{self.employee} ✓ {self.version}"


class Alert(models.Model):
    """A subject (an employee or a team) that needs attention, raised once per kind and day."""

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "staff.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    day = models.DateField(_("day"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(employee__isnull=False) & Q(team__isnull=True))
                | (Q(employee__isnull=True) & Q(team__isnull=False)),
                name="alert_has_one_subject",
            ),
            models.UniqueConstraint(
                fields=["employee", "kind", "day"],
                condition=Q(employee__isnull=False),
                name="uniq_alert_employee_kind_day",
            ),
            models.UniqueConstraint(
                fields=["team", "kind", "day"],
                condition=Q(team__isnull=False),
                name="uniq_alert_team_kind_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.employee or self.team} ({self.day})"
