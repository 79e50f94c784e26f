from django.urls import path

from feedback import calibration_views, follow_up_views
from feedback import qa_views as views

app_name = "qa"

urlpatterns = [
    path("qa/", views.queue, name="queue"),
    path("qa/reviews/", views.review_list, name="my_reviews"),
    path("qa/reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("qa/reviews/<int:review_id>/edit/", views.review_edit, name="review_edit"),
    path("qa/reviews/<int:review_id>/dispute/", views.review_dispute, name="review_dispute"),
    path("qa/reviews/<int:review_id>/seen/", views.review_seen, name="review_seen"),
    path("qa/reviews/<int:review_id>/resolve/", views.review_resolve, name="review_resolve"),
    path(
        "qa/interactions/<int:interaction_id>/flag/",
        views.interaction_flag,
        name="interaction_flag",
    ),
    path(
        "qa/interactions/<int:interaction_id>/review/",
        views.interaction_review_start,
        name="interaction_review_start",
    ),
    path("qa/calibration/", views.calibration_list, name="calibration_list"),
    path("qa/calibration/search/", views.calibration_search, name="calibration_search"),
    path(
        "qa/calibration/<int:interaction_id>/",
        views.calibration_detail,
        name="calibration_detail",
    ),
    path("qa/calibration/sessions/", calibration_views.session_list, name="calibration_sessions"),
    path(
        "qa/calibration/sessions/new/",
        calibration_views.session_new,
        name="calibration_session_new",
    ),
    path(
        "qa/calibration/sessions/<int:calibration_id>/",
        calibration_views.session_detail,
        name="calibration_session",
    ),
    path(
        "qa/calibration/sessions/<int:calibration_id>/references/<int:interaction_id>/",
        calibration_views.session_reference,
        name="calibration_reference",
    ),
    path(
        "qa/calibration/sessions/<int:calibration_id>/close/",
        calibration_views.session_close,
        name="calibration_session_close",
    ),
    path("qa/consistency/", views.consistency, name="consistency"),
    path("qa/sampling/", views.sampling, name="sampling"),
    path("follow-ups/", follow_up_views.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/team/", follow_up_views.team_follow_ups, name="team_follow_ups"),
    path(
        "follow-ups/<int:interaction_id>/done/",
        follow_up_views.follow_up_done,
        name="follow_up_done",
    ),
]
