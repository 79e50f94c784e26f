from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("coaching/", views.session_list, name="session_list"),
    path("coaching/new/", views.session_new, name="session_new"),
    path("coaching/<int:session_id>/", views.session_detail, name="session_detail"),
    path(
        "coaching/<int:session_id>/acknowledge/",
        views.session_acknowledge,
        name="session_acknowledge",
    ),
    path("coaching/actions/<int:action_id>/done/", views.action_done, name="action_done"),
]
