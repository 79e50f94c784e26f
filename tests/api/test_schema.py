from io import StringIO

import pytest
from django.core.management import call_command


def test_schema_generates_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/scores/summary/" in schema
    assert "ApiKeyAuth" in schema


@pytest.mark.django_db
def test_swagger_ui_is_served_from_the_package_not_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page


@pytest.mark.django_db
def test_every_operation_documents_its_error_responses(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "429"):
                assert code in operation["responses"], (method, path, code)
