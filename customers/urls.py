from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    # log interaction, my interactions
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/new/", views.interaction_log_view, name="interaction_log"),
    path("interactions/customers/", views.customer_search, name="customer_search"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/delete/", views.interaction_remove, name="interaction_delete"),
    # customers list, detail, export, erase
    path("customers/", views.customer_list_view, name="customer_list"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/export/", views.customer_export, name="customer_export"),
    path("customers/<int:pk>/erase/", views.customer_erase_view, name="customer_erase"),
]
