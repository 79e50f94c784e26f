from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coaching.models import CoachingAction, CoachingSession


class CoachingActionInline(admin.TabularInline):
    model = CoachingAction
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "agent", "coach", "follow_up_on", "acknowledged_at"]
    list_select_related = ["agent__user", "coach__user"]
    list_filter = ["held_on"]
    search_fields = ["agent__user__first_name", "agent__user__last_name", "notes"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["agent", "coach"]
    raw_id_fields = ["reviews", "interactions", "goals", "criteria"]
    inlines = [CoachingActionInline]
