from django.urls import path
from rest_framework.routers import SimpleRouter

from scorecards.api import views

router = SimpleRouter()
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")

urlpatterns = [
    *router.urls,
    path("scores/employees/", views.EmployeeScoreList.as_view(), name="score-employee-list"),
    path("scores/teams/", views.TeamScoreList.as_view(), name="score-team-list"),
    path("scores/summary/", views.ScoreSummary.as_view(), name="score-summary"),
]
