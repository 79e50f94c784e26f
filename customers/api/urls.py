from django.urls import path

from customers.api import views

urlpatterns = [
    path("customers/", views.CustomerList.as_view(), name="customer-list"),
    path("interactions/", views.InteractionList.as_view(), name="interaction-list"),
]
