from django.urls import path

from coaching.api import views

urlpatterns = [
    path("coaching/sessions/", views.CoachingSessionList.as_view(), name="coaching-session-list"),
]
