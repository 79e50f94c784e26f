from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from crs_site.health import HealthView
from customers import urls as customers_urls
from privacy import urls as privacy_urls
from staff.bounds import DayConverter

# `<day:...>`: a day in the accepted range (README); any other is a 404, never a 500.
register_converter(DayConverter, "day")

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("staff.auth_urls")),
    path("api/", include("crs_site.api_urls")),
    path("", include("scorecards.urls")),
    # One `customers` namespace for the customer pages of both apps: privacy's pages (the
    # customer page, export, erase) read feedback, which customers must not import.
    path(
        "",
        include((customers_urls.urlpatterns + privacy_urls.urlpatterns, customers_urls.app_name)),
    ),
    path("", include("feedback.survey_urls")),
    path("", include("feedback.qa_urls")),
    path("", include("integrations.urls")),
    path("", include("coaching.urls")),
    path("", include("staff.urls")),
    path("", include("imports.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
