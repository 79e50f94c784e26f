"""Audit history (django-simple-history) of what managers and admins change.

Each audited model carries `history = HistoricalRecords()`; `HistoryRequestMiddleware` records
who made each change. This module lists those models and shows their history in the admin: a
"History" button on each object, and a read-only log of every change per model.
"""

from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

AUDITED_MODELS = [
    "scorecards.Scorecard",
    "scorecards.ScorecardVersion",
    "scorecards.Metric",
    "scorecards.QACriterion",
    "scorecards.QASection",
    "scorecards.Goal",
    "scorecards.ChangeEvent",
    "feedback.QAReview",
    "feedback.QARating",
    "staff.Team",
    "staff.Employee",
    "staff.TeamMembership",
    "staff.ApiKey",
]


def audited_models() -> list:
    return [apps.get_model(label) for label in AUDITED_MODELS]


class AuditLogAdmin(admin.ModelAdmin):
    """Every recorded change of one model, newest first: read-only."""

    # The object's own id, not its str(): str() of most models follows foreign keys, one query
    # per row. The object's History page shows each version field by field.
    list_display = ["history_date", "history_user", "history_type", "id", "history_change_reason"]
    list_filter = ["history_type", "history_date"]
    list_select_related = ["history_user"]
    search_fields = ["history_user__username", "history_change_reason"]
    date_hierarchy = "history_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _with_history(site: admin.AdminSite, model) -> None:
    current = site._registry.get(model)
    base = type(current) if current is not None else admin.ModelAdmin
    if current is not None:
        site.unregister(model)
    if not issubclass(base, SimpleHistoryAdmin):
        base = type(f"Audited{base.__name__}", (SimpleHistoryAdmin, base), {})
    site.register(model, base)


def audit_admin_register(site: admin.AdminSite = admin.site) -> None:
    """Give each audited model's admin a History button and register its change log.

    Called once the admin has discovered every app's ModelAdmins (StaffConfig.ready).
    """
    for model in audited_models():
        _with_history(site, model)
        if not site.is_registered(model.history.model):
            site.register(model.history.model, AuditLogAdmin)
