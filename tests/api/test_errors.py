import json

import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_anonymous_request_gets_json_401_naming_the_scheme():
    response = APIClient().get("/api/v1/scores/employees/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["errors"][0]["field"] is None


@pytest.mark.django_db
def test_unknown_key_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key nope.nope")
    response = client.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_malformed_json_is_a_json_400(client_for):
    response = client_for().generic(
        "POST", "/api/v1/interactions/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_unknown_api_address_is_a_json_404(client_for):
    response = client_for().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "message": "Not found.", "code": "not_found"}]
    }


def test_filter_errors_name_the_field(client_for):
    response = client_for().get(
        "/api/v1/scores/employees/", {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_to"


def test_errors_stay_json_when_csv_was_asked_for(client_for):
    response = client_for().get("/api/v1/scores/employees/", {"format": "csv", "band": "blue"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["field"] == "band"


def test_wrong_method_is_a_json_405(client_for):
    response = client_for().delete("/api/v1/scores/employees/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_unsupported_body_type_is_a_json_415(client_for):
    response = client_for().generic(
        "POST", "/api/v1/interactions/", "subject=x", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"


def test_unknown_object_is_a_json_404(client_for):
    response = client_for().get("/api/v1/scorecards/no-such-card/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_address_without_its_trailing_slash_is_a_json_404(client_for):
    response = client_for().get("/api/v1/teams")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/scores/employees/", {"employee": "99999999999999999999"}),
        ("/api/v1/scores/employees/", {"date_from": "0000-00-00"}),
        ("/api/v1/scores/employees/", {"cursor": "bm90IGEgY3Vyc29y"}),
        ("/api/v1/scores/employees/", {"page_size": "-5"}),
        ("/api/v1/scores/summary/", {"group_by": "planet"}),
        ("/api/v1/interactions/", {"employee": "x"}),
        ("/api/v1/customers/", {"q": "\x00"}),
    ],
)
def test_odd_query_strings_never_cause_a_5xx(client_for, world, url, params):
    response = client_for().get(url, params)
    assert response.status_code < 500
    assert response["Content-Type"] == "application/json"


def test_format_csv_on_a_json_only_endpoint_is_a_json_404(client_for, world):
    response = client_for().get("/api/v1/teams/", {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_unexpected_failure_is_a_json_500_without_details(client_for, world, monkeypatch):
    from scorecards.api import views

    def explode(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views, "period_summaries", explode)
    client = client_for()
    client.raise_request_exception = False
    response = client.get("/api/v1/scores/summary/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "secret" not in response.content.decode()


def test_a_thousand_row_batch_with_notes_fits_the_body_limit(client_for, world):
    from tests.api.test_interactions import URL, _row

    rows = [_row(world, n, notes="Customer wrote at length. " * 110) for n in range(1000)]
    body = json.dumps(rows)
    assert len(body) > 2.5 * 1024 * 1024  # past Django's default limit

    response = client_for().generic("POST", URL, body, content_type="application/json")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["count"] == 1000


def test_a_body_over_the_limit_is_a_json_413(client_for, settings):
    body = json.dumps({"notes": "x" * (10 * 1024 * 1024)})

    response = client_for().generic(
        "POST", "/api/v1/interactions/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "too_large"


def test_json_nested_too_deeply_is_a_json_400(client_for):
    body = "[" * 100_000 + "]" * 100_000

    response = client_for().generic(
        "POST", "/api/v1/interactions/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/scores/employees/", {"page_size": "abc"}, "page_size"),
        ("/api/v1/scores/employees/", {"page_size": "0"}, "page_size"),
        ("/api/v1/customers/", {"page_size": "100000"}, "page_size"),
        ("/api/v1/employees/", {"is_active": "maybe"}, "is_active"),
        ("/api/v1/interactions/", {"date_to": ""}, "date_to"),
        ("/api/v1/scores/summary/", {"team": ""}, "team"),
        ("/api/v1/scores/summary/", {"group_by": ""}, "group_by"),
    ],
)
def test_query_values_the_schema_calls_invalid_are_refused_not_ignored(
    client_for, world, url, params, field
):
    response = client_for().get(url, params)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_text_fields_sent_as_numbers_are_refused(client_for, world):
    response = client_for().post(
        "/api/v1/customers/", {"name": "Ann", "external_id": 0}, format="json"
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["external_id"]


@pytest.mark.django_db
def test_an_empty_format_is_refused_like_an_unknown_one(admin_client):
    for query in ("format=", "format=xml"):
        response = admin_client.get(f"/api/v1/scores/employees/?{query}")
        assert response.status_code == 404, query
        assert response["Content-Type"].startswith("application/json")
