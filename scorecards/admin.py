import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crs_site.lib.admin_services import ServiceDeleteMixin, admin_object_is, service_checked_form
from scorecards.choices import MetricCode, VersionStatus
from scorecards.engine.rows import scores_compute_for_teams
from scorecards.models import (
    Alert,
    ChangeEvent,
    DirtyDay,
    EmployeeDailyScore,
    Goal,
    Metric,
    QACriterion,
    QASection,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    ScoreFillState,
    TeamDailyScore,
)
from scorecards.services.changes import (
    change_event_delete,
    change_event_record,
    change_event_update,
    change_event_validate,
    team_member_join,
    team_membership_delete,
    team_membership_update,
)
from scorecards.services.versions import scorecard_version_draft_from, scorecard_version_publish
from scorecards.translations import (
    CRITERION_TEXTS,
    METRIC_TEXTS,
    SECTION_TEXTS,
    VERSION_TEXTS,
    translation_is_stale,
    translation_languages,
    translation_text,
)
from staff.admin import ReadOnlyAdminMixin, TeamAdmin
from staff.models import TeamMembership
from staff.services import membership_start_validate, membership_validate


def _is_frozen(version: ScorecardVersion | None) -> bool:
    return version is not None and version.is_published


def _translations_shown(row, texts: tuple[str, ...]) -> str:
    """The row's translations, read-only: they are edited in the scorecard editor, which records
    the English each was written from (scorecards/translations.py)."""
    if row is None or row.pk is None:
        return "—"
    items = []
    for language, language_name in translation_languages():
        for name in texts:
            text = translation_text(row.translations, language, name)
            if not text:
                continue
            outdated = (
                _("English changed since this translation")
                if translation_is_stale(row.translations, language, name, getattr(row, name))
                else ""
            )
            items.append(
                format_html(
                    "<li><strong>{} ({})</strong>: {}{}</li>",
                    capfirst(row._meta.get_field(name).verbose_name),
                    language_name,
                    text,
                    format_html(" <em>({})</em>", outdated) if outdated else "",
                )
            )
    version = row if isinstance(row, ScorecardVersion) else row.version
    edit = format_html(
        '<p><a href="{}">{}</a></p>',
        reverse("scorecards:editor_version", args=[version.scorecard.slug, version.number]),
        _("Edit the translations in the scorecard editor"),
    )
    if not items:
        return format_html("<p>{}</p>{}", _("No translations."), edit)
    return format_html("<ul>{}</ul>{}", format_html_join("", "{}", ((i,) for i in items)), edit)


class VersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScorecardVersion
    fields = ["number", "status", "effective_from", "published_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version_count", "created_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(version_count=Count("versions"))

    @admin.display(description=_("versions"), ordering="version_count")
    def version_count(self, scorecard: Scorecard) -> int:
        return scorecard.version_count


class VersionPartInline(admin.StackedInline):
    """A version's metrics or criteria: editable while the version is a draft, frozen after."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


class MetricInline(VersionPartInline):
    model = Metric
    fields = [
        ("code", "label", "position"),
        ("weight", "target", "floor", "min_sample"),
        "rule_what",
        "rule_why",
        "rule_how",
        "translations_shown",
    ]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, metric: Metric) -> str:
        return _translations_shown(metric, METRIC_TEXTS)


class QASectionInline(VersionPartInline):
    model = QASection
    fields = [("code", "label", "position"), ("weight", "auto_fail"), "translations_shown"]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, section: QASection) -> str:
        return _translations_shown(section, SECTION_TEXTS)


def _draft_sections():
    # A criterion's section must be of its own version (`QACriterion.clean` says so at the field).
    return QASection.objects.filter(version__status=VersionStatus.DRAFT).select_related(
        "version__scorecard"
    )


class QACriterionInline(VersionPartInline):
    model = QACriterion

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = _draft_sections()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fields = [
        ("code", "label", "position"),
        ("section", "weight", "is_critical"),
        "description",
        "examples",
        "translations_shown",
    ]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, criterion: QACriterion) -> str:
        return _translations_shown(criterion, CRITERION_TEXTS)


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "effective_from",
        "published_at",
        "metric_count",
        "sla_minutes",
    ]
    list_filter = ["status", "scorecard"]
    list_select_related = ["scorecard"]
    search_fields = ["scorecard__name", "intro", "change_summary"]
    date_hierarchy = "effective_from"
    autocomplete_fields = ["scorecard"]
    fieldsets = [
        (None, {"fields": ["scorecard", "number", "effective_from", "status", "published_at"]}),
        (_("Rules"), {"fields": ["intro", "change_summary", "sla_minutes"]}),
        (_("Bands"), {"fields": ["green_from", "amber_from"]}),
        (_("Translations"), {"fields": ["translations_shown"]}),
    ]
    inlines = [MetricInline, QASectionInline, QACriterionInline]
    actions = ["publish_selected", "new_draft_from_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(metric_count=Count("metrics"))

    # Status and publication date change only through the publish action, which checks the rules.
    def get_readonly_fields(self, request, obj=None):
        if _is_frozen(obj):
            return [
                *(field.name for field in ScorecardVersion._meta.concrete_fields),
                "translations_shown",
            ]
        return ["status", "published_at", "created_at", "translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, version: ScorecardVersion) -> str:
        return _translations_shown(version, VERSION_TEXTS)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("metrics"), ordering="metric_count")
    def metric_count(self, version: ScorecardVersion) -> int:
        return version.metric_count

    @admin.action(description=_("Publish selected drafts"), permissions=["change"])
    def publish_selected(self, request, queryset):
        published = 0
        for version in queryset.select_related("scorecard").order_by("effective_from", "pk"):
            try:
                scorecard_version_publish(version=version)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(reason)s")
                    % {"version": version, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("Published %(count)d version.", "Published %(count)d versions.", published)
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("New draft from selected versions"), permissions=["add"])
    def new_draft_from_selected(self, request, queryset):
        drafts = [
            scorecard_version_draft_from(version=version)
            for version in queryset.select_related("scorecard").order_by("pk")
        ]
        for draft in drafts:
            self.message_user(
                request, _("Created draft %(version)s.") % {"version": draft}, messages.SUCCESS
            )
        if len(drafts) == 1:
            return HttpResponseRedirect(
                reverse("admin:scorecards_scorecardversion_change", args=[drafts[0].pk])
            )
        return None


class VersionPartAdmin(admin.ModelAdmin):
    """A metric or criterion on its own: only a draft's may be added, changed or deleted."""

    list_select_related = ["version__scorecard"]
    list_filter = ["version__status", "version__scorecard"]
    search_fields = ["label", "code", "version__scorecard__name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = ScorecardVersion.objects.filter(
                status=VersionStatus.DRAFT
            ).select_related("scorecard")
        if db_field.name == "section":
            kwargs["queryset"] = _draft_sections()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.version.is_published) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.version.is_published) and super().has_delete_permission(
            request, obj
        )


@admin.register(Metric)
class MetricAdmin(VersionPartAdmin):
    list_display = ["label", "version", "code", "weight", "target", "floor", "min_sample"]
    list_filter = ["code", *VersionPartAdmin.list_filter]
    exclude = ["translations"]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, metric: Metric) -> str:
        return _translations_shown(metric, METRIC_TEXTS)


@admin.register(QASection)
class QASectionAdmin(VersionPartAdmin):
    list_display = ["label", "version", "code", "weight", "auto_fail"]
    list_filter = ["auto_fail", *VersionPartAdmin.list_filter]
    exclude = ["translations"]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, section: QASection) -> str:
        return _translations_shown(section, SECTION_TEXTS)


@admin.register(QACriterion)
class QACriterionAdmin(VersionPartAdmin):
    list_display = ["label", "version", "section", "code", "weight", "is_critical"]
    list_filter = ["is_critical", *VersionPartAdmin.list_filter]
    list_select_related = ["version__scorecard", "section"]
    exclude = ["translations"]
    readonly_fields = ["translations_shown"]

    @admin.display(description=_("translations"))
    def translations_shown(self, criterion: QACriterion) -> str:
        return _translations_shown(criterion, CRITERION_TEXTS)


_STATISTICS = [name for code in MetricCode.values for name in (f"{code}_num", f"{code}_den")]


class DailyScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Computed rows: shown for checking, written only by the scoring run."""

    date_hierarchy = "day"
    list_filter = ["band", "team", "version__scorecard"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": [*self.subject_fields, "day", "version", "total", "band"]}),
            (_("Metrics"), {"fields": ["api_metrics", "computed_at"]}),
            (_("Sufficient statistics"), {"fields": _STATISTICS, "classes": ["collapse"]}),
        ]


@admin.register(EmployeeDailyScore)
class EmployeeDailyScoreAdmin(DailyScoreAdmin):
    subject_fields = ["employee", "team"]
    list_display = ["employee", "team", "day", "total", "band", "version", "computed_at"]
    list_select_related = ["employee__user", "team", "version__scorecard"]
    search_fields = ["employee__user__first_name", "employee__user__last_name", "team__name"]


@admin.register(TeamDailyScore)
class TeamDailyScoreAdmin(DailyScoreAdmin):
    subject_fields = ["team", "member_count"]
    list_display = ["team", "day", "total", "band", "member_count", "version", "computed_at"]
    list_select_related = ["team", "version__scorecard"]
    search_fields = ["team__name"]


@admin.register(DirtyDay)
class DirtyDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "day", "marked_at"]
    list_select_related = ["employee__user"]
    search_fields = ["employee__user__first_name", "employee__user__last_name"]
    date_hierarchy = "day"


@admin.register(ScoreFillState)
class ScoreFillStateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "is_final", "started_at", "computed_at"]
    list_filter = ["is_final"]
    date_hierarchy = "day"


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["employee", "metric", "target", "starts_on", "ends_on", "status", "set_by"]
    list_filter = ["status", "metric"]
    list_select_related = ["employee__user", "set_by__user"]
    search_fields = ["employee__user__first_name", "employee__user__last_name", "why"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["employee", "set_by"]
    readonly_fields = ["created_at"]


@admin.register(ChangeEvent)
class ChangeEventAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["day", "title", "team", "kind", "is_automatic", "created_by"]
    list_filter = ["kind", "is_automatic", "team"]
    list_select_related = ["team", "created_by__user"]
    search_fields = ["title", "notes", "team__name"]
    date_hierarchy = "day"
    autocomplete_fields = ["team", "created_by"]
    readonly_fields = ["is_automatic", "created_at"]
    # The admin records and corrects changes through the services the team page uses.
    form = service_checked_form(lambda event: change_event_validate(event=event))

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in ("day", "team", "kind", "title", "notes")}
        if change:
            change_event_update(event=obj, **fields)
            return
        created_by = obj.created_by or getattr(request.user, "employee", None)
        admin_object_is(obj, change_event_record(**fields, created_by=created_by))

    def service_delete(self, obj):
        change_event_delete(event=obj)


def _membership_validate(membership: TeamMembership) -> None:
    if membership.pk is None:
        membership_start_validate(
            employee=membership.employee, team=membership.team, starts_on=membership.starts_on
        )
    else:
        membership_validate(membership=membership)


@admin.register(TeamMembership)
class TeamMembershipAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    """Memberships: registered here, not in staff, because a move records a change event and
    rescores days (scorecards.services.changes), which staff may not import."""

    list_display = ["employee", "team", "starts_on", "ends_on"]
    list_filter = ["team"]
    list_select_related = ["employee__user", "team"]
    search_fields = [
        "employee__user__first_name",
        "employee__user__last_name",
        "employee__user__username",
        "team__name",
    ]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["employee", "team"]
    form = service_checked_form(_membership_validate)

    def get_fields(self, request, obj=None):
        # A new membership is a move from a day (it ends the open one); its end comes later.
        return ["employee", "team", "starts_on"] + ([] if obj is None else ["ends_on"])

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["employee"]

    def save_model(self, request, obj, form, change):
        if change:
            team_membership_update(
                membership=obj, team=obj.team, starts_on=obj.starts_on, ends_on=obj.ends_on
            )
            return
        joined = team_member_join(
            employee=obj.employee,
            team=obj.team,
            starts_on=obj.starts_on,
            recorded_by=getattr(request.user, "employee", None),
        )
        admin_object_is(obj, joined)

    def service_delete(self, obj):
        team_membership_delete(membership=obj)


@admin.register(RuleAcknowledgement)
class RuleAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["employee", "version", "acknowledged_at"]
    list_filter = ["version__scorecard"]
    list_select_related = ["employee__user", "version__scorecard"]
    search_fields = ["employee__user__first_name", "employee__user__last_name"]
    date_hierarchy = "acknowledged_at"
    autocomplete_fields = ["employee"]
    readonly_fields = ["acknowledged_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only rules in force can be acknowledged; a draft may still change.
        if db_field.name == "version":
            kwargs["queryset"] = ScorecardVersion.objects.filter(
                status=VersionStatus.PUBLISHED
            ).select_related("scorecard")
        if db_field.name == "section":
            kwargs["queryset"] = _draft_sections()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["kind", "employee", "team", "day", "emailed_at", "acknowledged_at"]
    list_filter = ["kind", ("acknowledged_at", admin.EmptyFieldListFilter), "team"]
    list_select_related = ["employee__user", "team"]
    search_fields = ["employee__user__first_name", "employee__user__last_name", "team__name"]
    date_hierarchy = "day"
    autocomplete_fields = ["acknowledged_by"]
    # Raised by the scoring run; only the acknowledgement is for people to record.
    readonly_fields = ["employee", "team", "kind", "day", "details", "created_at", "emailed_at"]

    def has_add_permission(self, request):
        return False


RECOMPUTE_DAYS = 30


@admin.action(description=_("Recompute scores for the last 30 days"), permissions=["change"])
def teams_scores_recompute(modeladmin, request, queryset):
    today = timezone.localdate()
    summary = scores_compute_for_teams(
        team_ids=list(queryset.values_list("pk", flat=True)),
        date_from=today - dt.timedelta(days=RECOMPUTE_DAYS - 1),
        date_to=today,
    )
    employee_days = ngettext(
        "%(count)d employee day", "%(count)d employee days", summary.employee_rows
    ) % {"count": summary.employee_rows}
    team_days = ngettext("%(count)d team day", "%(count)d team days", summary.team_rows) % {
        "count": summary.team_rows
    }
    modeladmin.message_user(
        request,
        _("Scores recomputed: %(employees)s, %(teams)s.")
        % {"employees": employee_days, "teams": team_days},
        messages.SUCCESS,
    )


# Teams are administered in `staff`, which must not import scoring: the action joins from here.
TeamAdmin.actions = [*TeamAdmin.actions, teams_scores_recompute]
