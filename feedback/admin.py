from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    QADisputeItem,
    QARating,
    QAReview,
    QAReviewEvent,
    SurveyInvitation,
    SurveyResponse,
)
from scorecards.dirty import days_mark_dirty, qa_review_days, survey_response_days
from staff.admin import ReadOnlyAdminMixin


class MarksDaysDirtyMixin:
    """Mark the days an object counts on, before and after an admin write, for rescoring."""

    # A static method: one saved object -> the (employee id, day) pairs it counts on.
    touched_days = None

    def _touched(self, objects) -> set:
        return set().union(*(self.touched_days(obj) for obj in objects))

    def save_model(self, request, obj, form, change):
        before = self._touched(self.get_queryset(request).filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        days_mark_dirty(pairs=before | self._touched([obj]))

    def delete_model(self, request, obj):
        touched = self._touched([obj])
        super().delete_model(request, obj)
        days_mark_dirty(pairs=touched)

    def delete_queryset(self, request, queryset):
        touched = self._touched(queryset.select_related("interaction"))
        super().delete_queryset(request, queryset)
        days_mark_dirty(pairs=touched)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "interaction", "language", "expires_at", "sent_at", "used_at"]
    list_filter = ["language", ("sent_at", admin.EmptyFieldListFilter), "used_at"]
    list_select_related = ["interaction"]
    search_fields = ["interaction__subject", "interaction__customer__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["interaction"]
    # The nonce is part of the signed survey link: whoever reads it could forge the link.
    exclude = ["nonce"]
    readonly_fields = ["created_at", "sent_at", "used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(MarksDaysDirtyMixin, admin.ModelAdmin):
    touched_days = staticmethod(survey_response_days)
    list_display = ["interaction", "agent", "csat", "nps", "language", "submitted_at", "source"]
    list_filter = ["csat", "nps", "language", "source"]
    list_select_related = ["interaction__employee__user"]
    search_fields = [
        "comment",
        "interaction__subject",
        "interaction__customer__name",
        "external_id",
    ]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["interaction", "invitation"]

    @admin.display(description=_("agent"), ordering="interaction__employee__user__last_name")
    def agent(self, response: SurveyResponse):
        return response.interaction.employee


class QARatingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QARating
    fields = ["criterion", "rating", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


class QAReviewEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QAReviewEvent
    fields = ["at", "actor", "action", "total", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor__user")


class QADisputeItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QADisputeItem
    fields = ["criterion", "original_rating", "proposed_rating", "reason", "outcome",
              "resolved_rating"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(QAReview)
class QAReviewAdmin(MarksDaysDirtyMixin, admin.ModelAdmin):
    touched_days = staticmethod(qa_review_days)
    list_display = [
        "__str__",
        "interaction",
        "agent",
        "reviewer",
        "version",
        "status",
        "reason",
        "total",
        "scored_at",
    ]
    list_filter = ["status", "reason", "dispute_outcome", "version__scorecard"]
    list_select_related = [
        "interaction__employee__user",
        "reviewer__user",
        "version__scorecard",
    ]
    search_fields = [
        "interaction__subject",
        "interaction__employee__user__last_name",
        "reviewer__user__last_name",
        "comment",
        "dispute_reason",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = ["interaction", "reviewer", "version"]
    # The total, the status and the dispute trail come from the review workflow (ratings,
    # publication, dispute, resolution); editing them here would bypass its rules.
    readonly_fields = [
        "status",
        "total",
        "created_at",
        "published_at",
        "scored_at",
        "dispute_reason",
        "disputed_at",
        "dispute_outcome",
        "resolution_note",
        "resolved_at",
        "resolved_by",
        "seen_at",
    ]
    fieldsets = [
        (None, {"fields": ["interaction", "reviewer", "version", "reason", "comment"]}),
        (
            _("Outcome"),
            {
                "fields": [
                    "status",
                    "total",
                    "created_at",
                    "published_at",
                    "scored_at",
                    "seen_at",
                ]
            },
        ),
        (
            _("Dispute"),
            {
                "fields": [
                    "dispute_reason",
                    "disputed_at",
                    "dispute_outcome",
                    "resolution_note",
                    "resolved_at",
                    "resolved_by",
                ]
            },
        ),
    ]
    inlines = [QARatingInline, QADisputeItemInline, QAReviewEventInline]

    @admin.display(description=_("agent"), ordering="interaction__employee__user__last_name")
    def agent(self, review: QAReview):
        return review.interaction.employee


@admin.register(QARating)
class QARatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["review", "criterion", "rating"]
    list_filter = ["rating"]
    list_select_related = ["review", "criterion"]
    search_fields = ["criterion__label", "comment"]


@admin.register(QAReviewEvent)
class QAReviewEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["review", "action", "actor", "total", "at"]
    list_filter = ["action"]
    list_select_related = ["review", "actor__user"]
    search_fields = ["note", "actor__user__last_name"]
    date_hierarchy = "at"
