from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crs_site.lib.admin_services import ServiceDeleteMixin, admin_object_is, service_checked_form
from feedback.models import (
    QADisputeItem,
    QARating,
    QAReview,
    QAReviewEvent,
    SurveyInvitation,
    SurveyResponse,
)
from feedback.qa_services import qa_review_start, qa_review_start_check
from feedback.services import (
    qa_review_delete,
    qa_review_update,
    survey_response_create,
    survey_response_delete,
    survey_response_update,
    survey_response_validate,
)
from staff.admin import ReadOnlyAdminMixin


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
class SurveyResponseAdmin(ServiceDeleteMixin, admin.ModelAdmin):
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

    # The admin writes through the same services as the pages: the same checks, and the day
    # an answer counted on and counts on now is marked for the next scoring run.
    form = service_checked_form(
        lambda response: survey_response_validate(response=response, now=timezone.now())
    )

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        if change:
            survey_response_update(response=obj, **fields)
            return
        admin_object_is(obj, survey_response_create(**fields))

    def service_delete(self, obj):
        survey_response_delete(response=obj)

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


def _qa_review_check(review: QAReview) -> None:
    """Check a new review as starting one on the pages does; a correction as the model does."""
    if review.pk is None:
        qa_review_start_check(interaction=review.interaction, reviewer=review.reviewer)


@admin.register(QAReview)
class QAReviewAdmin(ServiceDeleteMixin, admin.ModelAdmin):
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
    list_filter = ["status", "reason", "sampled_by", "dispute_outcome", "version__scorecard"]
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
    # publication, dispute, resolution), the sampling rule from the weekly sample; editing them
    # here would bypass its rules.
    readonly_fields = [
        "status",
        "sampled_by",
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

    form = service_checked_form(_qa_review_check)

    def get_readonly_fields(self, request, obj=None):
        # A new review is started as the pages start one: against the version in force for
        # the agent's team, which the service picks.
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is not None else [*fields, "version"]

    # The admin writes through the same services as the pages; a correction marks the days the
    # review's total counted on and counts on now.
    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data}
        if change:
            qa_review_update(review=obj, **fields)
            return
        created = qa_review_start(
            interaction=obj.interaction,
            reviewer=obj.reviewer,
            actor=getattr(request.user, "employee", None),
            reason=obj.reason,
        )
        if obj.comment:
            created = qa_review_update(review=created, comment=obj.comment)
        admin_object_is(obj, created)

    def service_delete(self, obj):
        qa_review_delete(review=obj)

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
