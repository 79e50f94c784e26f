from django.urls import path

from feedback.api import views

urlpatterns = [
    path("feedback/surveys/", views.SurveyResponseList.as_view(), name="survey-response-list"),
    path("qa/reviews/", views.QAReviewList.as_view(), name="qa-review-list"),
]
