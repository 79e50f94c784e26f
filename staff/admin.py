from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Team, TeamMembership

User = get_user_model()


class ReadOnlyAdminMixin:
    """Show rows without letting the admin add, change or delete them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmployeeInline(admin.StackedInline):
    model = Employee
    can_delete = False
    max_num = 1
    fields = ["role", "hire_date", "is_active", "language", "external_id"]
    verbose_name_plural = _("employee record")


class TeamMembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The employee's teams, read-only: a move or a correction goes through the team membership
    admin (scorecards/admin.py), which records the change and rescores the days it touches."""

    model = TeamMembership
    extra = 0
    fields = ["team", "starts_on", "ends_on"]
    show_change_link = True


admin.site.unregister(User)


@admin.register(User)
class EmployeeUserAdmin(UserAdmin):
    inlines = [EmployeeInline]
    list_display = [*UserAdmin.list_display, "is_active"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "scorecard", "survey_rate_percent"]
    list_filter = ["scorecard"]
    list_select_related = ["scorecard"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["scorecard", "managers"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "scorecard", "managers"]}),
        (
            _("Quality and surveys"),
            {
                "fields": [
                    "qa_sampling",
                    "survey_channels",
                    "survey_rate_percent",
                    "survey_cooldown_days",
                ]
            },
        ),
    ]
    readonly_fields = ["qa_sampling"]

    @admin.display(description=_("QA sample per agent per week"))
    def qa_sampling(self, obj):
        """Point to the one place the sample size is set: the team's random sampling rule."""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("qa:sampling"),
            _("Set with the team's random sampling rule on the QA sampling page."),
        )


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "role", "hire_date", "is_active", "language"]
    list_filter = ["role", "is_active", "language", "memberships__team"]
    list_select_related = ["user"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "external_id",
    ]
    date_hierarchy = "hire_date"
    autocomplete_fields = ["user"]
    inlines = [TeamMembershipInline]

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, employee: Employee) -> str:
        return employee.full_name


# API keys are managed next to the API that checks them.
import staff.api.admin  # noqa: E402, F401
