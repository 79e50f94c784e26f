from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/<int:pk>/", views.import_job, name="job"),
    path("imports/<int:pk>/import/", views.import_run, name="run"),
    path("imports/<int:pk>/status/", views.import_status, name="status"),
]
