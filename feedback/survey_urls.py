from django.urls import path

from feedback import survey_views

app_name = "surveys"

urlpatterns = [
    # Public: the customer's survey, reached from the e-mailed link, no account needed.
    path("s/<str:token>/", survey_views.survey, name="survey"),
    path("s/<str:token>/thanks/", survey_views.survey_thanks, name="thanks"),
    path("s/<str:token>/opt-out/", survey_views.survey_opt_out, name="opt_out"),
    # Staff: the comments customers left about the people the user may see.
    path("surveys/comments/", survey_views.survey_comment_list, name="comments"),
]
