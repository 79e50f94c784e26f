"""Extreme dates and numbers sent to every form and every API operation: never a 500 (README).

Each form of each page of the permission sweep, and each operation of the OpenAPI schema, gets
every one of its fields (query parameters and body properties) set to one extreme value at a
time: year 1, year 9999, NaN, a signalling NaN, infinity, a number far past any column. The
answer must be a 4xx or a success, and nothing stored may be outside the accepted range.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from staff.choices import ApiScope
from staff.models import ApiKey
from tests.test_form_fuzz import FUZZED, SKIPPED_ACTIONS, _forms, _opener
from tests.test_permission_sweep import _kwargs
from tests.test_permission_sweep import world as world  # noqa: F401 (the sweep's fixture)

EXTREMES = [
    "0001-01-01",
    "0001-01-01T00:30",
    "0001-01-01T00:30:00+05:00",
    "9999-12-31",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-05:00",
    "NaN",
    "sNaN",
    "-Infinity",
    "1e999",
    "99999999999999999999999999",
]


def _submit(send, target, values):
    with transaction.atomic():
        response = send(target, values)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", FUZZED)
def test_no_form_answers_an_extreme_value_with_a_server_error(client, world, name):
    role = _opener(name)
    if role != "anonymous":
        client.force_login(world["users"][role])
    page = client.get(reverse(name, kwargs=_kwargs(name, world)), follow=True)
    assert page.status_code == 200, (name, role)
    for form in _forms(page.content.decode()):
        if form.action in SKIPPED_ACTIONS or form.method not in ("get", "post"):
            continue
        target = urlsplit(form.action).path or page.request["PATH_INFO"]
        send = client.post if form.method == "post" else client.get
        for value in EXTREMES:
            cache.clear()  # the survey page's rate limit would count every submission
            values = {field: value for field in form.fields if field != "csrfmiddlewaretoken"}

            response = _submit(send, target, values)

            assert response.status_code < 500, (name, form.method, target, value)


def _operations():
    """Yield (method, path, query parameter names, body property names) of every operation."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            body = []
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media["schema"].get("$ref", "")
                refs = (
                    [ref] if ref else [s.get("$ref", "") for s in media["schema"].get("oneOf", [])]
                )
                for one in filter(None, refs):
                    body += list(components[one.rsplit("/", 1)[1]].get("properties", {}))
            yield method.upper(), path, sorted(set(query)), sorted(set(body))


OPERATIONS = sorted(_operations())


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "query", "body"), OPERATIONS)
def test_no_api_operation_answers_an_extreme_value_with_a_server_error(
    world, method, path, query, body
):
    _, raw = ApiKey.objects.create_key(name="fuzz", scopes=list(ApiScope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    url = re.sub(r"\{[^}]+\}", "1", path)
    for value in EXTREMES:
        cache.clear()  # the throttle counts every request
        if method == "GET":
            # One parameter at a time, so no other one's error answers first.
            for name in query:
                response = client.get(url, {name: value})
                assert response.status_code < 500, (url, name, value, response.content[:300])
            response = client.get(url, dict.fromkeys(query, value))
        else:
            row = dict.fromkeys(body, value)
            response = _submit(
                lambda target, data: client.generic(
                    method, target, json.dumps(data), content_type="application/json"
                ),
                url,
                row,
            )

        assert response.status_code < 500, (method, url, value, response.content[:300])


@pytest.mark.django_db
def test_every_api_operation_is_fuzzed():
    paths = {path for _method, path, _query, _body in OPERATIONS}

    assert {"/api/v1/interactions/", "/api/v1/scores/summary/", "/api/v1/customers/"} <= paths
