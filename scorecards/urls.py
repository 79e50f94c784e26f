from django.urls import path  # noqa: F401  (each area adds its paths below)

from scorecards.views import agent, rules, team

app_name = "scorecards"

urlpatterns = [
    # rules, onboarding, scorecard editor
    path("rules/", rules.rules_list, name="rules_list"),
    path("rules/<slug:slug>/", rules.rules_detail, name="rules_detail"),
    path("rules/<slug:slug>/acknowledge/", rules.rules_acknowledge, name="rules_acknowledge"),
    path("onboarding/", rules.onboarding, name="onboarding"),
    path("onboarding/remind/", rules.onboarding_remind, name="onboarding_remind"),
    path("scorecards/<slug:slug>/edit/", rules.editor_version_list, name="editor_versions"),
    path("scorecards/<slug:slug>/edit/new/", rules.editor_draft_new, name="editor_draft_new"),
    path("scorecards/<slug:slug>/edit/<int:number>/", rules.editor_version, name="editor_version"),
    path(
        "scorecards/<slug:slug>/edit/<int:number>/preview/",
        rules.editor_preview,
        name="editor_preview",
    ),
    path(
        "scorecards/<slug:slug>/edit/<int:number>/publish/",
        rules.editor_publish,
        name="editor_publish",
    ),
    # agent home, explain my score, goals
    path("me/", agent.overview, name="me"),
    path("me/explain/<day:day>/", agent.explain, name="my_explain"),
    path("me/goals/", agent.goal_list, name="my_goals"),
    path("me/goals/new/", agent.goal_new, name="my_goal_new"),
    path("me/goals/<int:goal_id>/edit/", agent.goal_edit, name="my_goal_edit"),
    path("me/goals/<int:goal_id>/delete/", agent.goal_remove, name="my_goal_delete"),
    path("agents/<int:employee_id>/", agent.overview, name="agent_detail"),
    path("agents/<int:employee_id>/explain/<day:day>/", agent.explain, name="agent_explain"),
    path("agents/<int:employee_id>/goals/", agent.goal_list, name="agent_goals"),
    path("agents/<int:employee_id>/goals/new/", agent.goal_new, name="agent_goal_new"),
    path(
        "agents/<int:employee_id>/goals/<int:goal_id>/edit/",
        agent.goal_edit,
        name="agent_goal_edit",
    ),
    path(
        "agents/<int:employee_id>/goals/<int:goal_id>/delete/",
        agent.goal_remove,
        name="agent_goal_delete",
    ),
    # team dashboard, compare teams, agent detail, change events, alerts
    path("teams/", team.team_list, name="team_list"),
    # Before teams/<slug>/, so "compare" is never read as a team's slug.
    path("teams/compare/", team.team_compare, name="team_compare"),
    path("teams/<slug:slug>/", team.team_dashboard_view, name="team_dashboard"),
    path("changes/", team.change_list, name="change_list"),
    path("changes/new/", team.change_create, name="change_create"),
    path("changes/<int:pk>/", team.change_impact, name="change_impact"),
    path("changes/<int:pk>/edit/", team.change_edit, name="change_edit"),
    path("changes/<int:pk>/delete/", team.change_delete, name="change_delete"),
    path("alerts/", team.alert_list_view, name="alert_list"),
    path("digest/", team.digest_preview, name="digest_preview"),
    path("alerts/<int:pk>/acknowledge/", team.alert_acknowledge_view, name="alert_acknowledge"),
]
