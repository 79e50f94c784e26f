from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crs_site.lib.admin_services import ServiceDeleteMixin, admin_object_is, service_checked_form
from customers.models import Customer, Interaction
from customers.services import (
    EDITABLE_FIELDS,
    interaction_create,
    interaction_delete,
    interaction_update,
    interaction_validate,
)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "email", "phone", "tier", "value_points", "language"]
    list_filter = ["tier", "language", "has_opted_out_of_surveys"]
    search_fields = ["name", "company", "email", "phone", "external_id"]
    date_hierarchy = "created_at"
    readonly_fields = ["erased_at", "created_at"]


@admin.register(Interaction)
class InteractionAdmin(ServiceDeleteMixin, admin.ModelAdmin):
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

    # The admin writes through the same services as the pages: the same checks, and the days
    # an edit touches before and after are marked for the next scoring run.
    form = service_checked_form(lambda interaction: interaction_validate(interaction=interaction))

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name in EDITABLE_FIELDS}
        if change:
            interaction_update(interaction=obj, **fields)
            return
        admin_object_is(obj, interaction_create(**fields))

    def service_delete(self, obj):
        interaction_delete(interaction=obj)
