from django.urls import path

from feedback.api import views

urlpatterns = [
    path("feedback/surveys/", views.SurveyResponseCreate.as_view(), name="survey-response-create"),
]
