from django.urls import path

from privacy import views

# Included by crs_site/urls.py under the `customers` namespace, next to the customer list.
urlpatterns = [
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/export/", views.customer_export, name="customer_export"),
    path("customers/<int:pk>/erase/", views.customer_erase_view, name="customer_erase"),
]
