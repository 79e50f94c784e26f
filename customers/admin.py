from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Interaction
from customers.working_time import interactions_working_time_fill
from scorecards.dirty import Pair, days_mark_dirty, feedback_days, interaction_days


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "email", "phone", "tier", "value_points", "language"]
    list_filter = ["tier", "language", "has_opted_out_of_surveys"]
    search_fields = ["name", "company", "email", "phone", "external_id"]
    date_hierarchy = "created_at"
    readonly_fields = ["erased_at", "created_at"]


def _interactions_days(interactions) -> set[Pair]:
    """Return every (employee, day) the interactions and the feedback about them count on."""
    interactions = list(interactions)
    feedback = feedback_days(interaction_ids=[interaction.pk for interaction in interactions])
    pairs: set[Pair] = set()
    for interaction in interactions:
        pairs |= interaction_days(interaction)
        pairs |= {(interaction.employee_id, day) for day in feedback.get(interaction.pk, ())}
    return pairs


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "customer",
        "employee",
        "channel",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "is_first_contact_resolution",
        "is_escalated",
        "follow_up_due",
    ]
    list_filter = [
        "channel",
        "is_first_contact_resolution",
        "is_escalated",
        "is_flagged_for_review",
        "source",
        "employee__memberships__team",
    ]
    list_select_related = ["customer", "employee__user"]
    search_fields = [
        "subject",
        "customer__name",
        "customer__company",
        "customer__email",
        "employee__user__first_name",
        "employee__user__last_name",
        "external_id",
    ]
    date_hierarchy = "opened_at"
    autocomplete_fields = ["customer", "employee"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["customer", "employee", "channel", "subject", "notes"]}),
        (
            _("Times and outcome"),
            {
                "fields": [
                    "opened_at",
                    "first_response_at",
                    "resolved_at",
                    "is_first_contact_resolution",
                    "is_escalated",
                    "follow_up_due",
                    "follow_up_done_at",
                    "is_flagged_for_review",
                ]
            },
        ),
        (_("Origin"), {"fields": ["source", "external_id", "created_at", "updated_at"]}),
    ]

    # An edit here changes scores like any other write: the days it touched before and after
    # are marked for the next scoring run.
    def save_model(self, request, obj, form, change):
        before = _interactions_days(Interaction.objects.filter(pk=obj.pk)) if change else set()
        interactions_working_time_fill([obj])
        super().save_model(request, obj, form, change)
        days_mark_dirty(pairs=before | _interactions_days([obj]))

    def delete_model(self, request, obj):
        touched = _interactions_days([obj])
        super().delete_model(request, obj)
        days_mark_dirty(pairs=touched)

    def delete_queryset(self, request, queryset):
        touched = _interactions_days(queryset)
        super().delete_queryset(request, queryset)
        days_mark_dirty(pairs=touched)
