from django.urls import path

from customers import calendar_views, views

app_name = "customers"

urlpatterns = [
    # log interaction, my interactions
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/new/", views.interaction_log_view, name="interaction_log"),
    path("interactions/customers/", views.customer_search, name="customer_search"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/delete/", views.interaction_remove, name="interaction_delete"),
    # customers list (the customer page, export and erase are in privacy.urls)
    path("customers/", views.customer_list_view, name="customer_list"),
    # a team's business hours
    path("teams/<slug:slug>/hours/", calendar_views.team_hours, name="team_hours"),
]
