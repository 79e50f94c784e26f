"""Read-only views of the connector tables for staff; changes go through the connection pages
(`integrations.views`), which keep secrets hidden and queue the held events of a mapping."""

from django.contrib import admin

from integrations.models import Connection, ExternalAgent, InboundEvent


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Connection)
class ConnectionAdmin(_ReadOnly):
    list_display = [
        "name",
        "kind",
        "is_paused",
        "events_accepted",
        "events_refused",
        "last_event_at",
    ]
    list_filter = ["kind", "is_paused"]
    search_fields = ["name"]
    # The secrets stay out of every page but the one that shows a new connection's address.
    exclude = ["secret", "signing_secret"]


@admin.register(ExternalAgent)
class ExternalAgentAdmin(_ReadOnly):
    list_display = ["name", "email", "external_id", "connection", "employee", "mapped_at"]
    list_filter = ["connection"]
    list_select_related = ["connection", "employee__user"]
    search_fields = ["name", "email", "external_id"]


@admin.register(InboundEvent)
class InboundEventAdmin(_ReadOnly):
    list_display = ["received_at", "connection", "event_type", "external_id", "status"]
    list_filter = ["status", "connection", "event_type"]
    list_select_related = ["connection"]
    search_fields = ["external_id", "error"]
    date_hierarchy = "received_at"
