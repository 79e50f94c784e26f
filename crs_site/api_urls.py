"""The REST API: /api/v1/ for data, /api/schema/ for OpenAPI 3, /api/docs/ for Swagger UI."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from crs_site.api_schema import api_not_found

# The schema and its viewer describe the API to anyone; the data behind it needs a key.
_public = {"authentication_classes": [], "permission_classes": [AllowAny]}

v1 = [
    path("", include("scorecards.api.urls")),
    path("", include("staff.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("coaching.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(**_public), name="api-schema"),
    path(
        "docs/", SpectacularSwaggerView.as_view(url_name="api-schema", **_public), name="api-docs"
    ),
    re_path(r"^", api_not_found),
]
