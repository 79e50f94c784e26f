import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from staff.choices import ApiScope
from staff.models import ApiKey
from tests.factories import ApiKeyFactory, TeamFactory

ADD = "admin:staff_apikey_add"


def _create(admin_client, **fields):
    data = {"name": "helpdesk", "scopes": [ApiScope.SCORES_READ], "teams": [], **fields}
    return admin_client.post(reverse(ADD), data)


def _shown_key(response) -> str:
    return response.context["raw_key"]


def _api(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_admin_creates_a_key_and_shows_it_once(admin_client, world):
    response = _create(admin_client, teams=[world["teams"]["north"].pk])
    raw = _shown_key(response)
    api_key = ApiKey.objects.get()
    assert response.status_code == 200
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert api_key.scopes == [ApiScope.SCORES_READ]
    assert list(api_key.teams.all()) == [world["teams"]["north"]]
    assert raw.split(".")[1] not in api_key.hashed_key
    # The key works, within its scope and its team.
    rows = _api(raw).get("/api/v1/scores/employees/").json()["results"]
    assert {row["team"] for row in rows} == {"north"}
    assert _api(raw).get("/api/v1/customers/").status_code == 403
    # The change page shows the prefix, never the key.
    page = admin_client.get(reverse("admin:staff_apikey_change", args=[api_key.pk]))
    assert api_key.prefix in page.content.decode()
    assert raw not in page.content.decode()


def test_admin_refuses_an_unknown_scope_at_the_field(admin_client, db):
    response = _create(admin_client, scopes=["everything"])
    assert "scopes" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


def test_revoking_a_key_in_the_admin_locks_it_out(admin_client, db):
    api_key = ApiKeyFactory()
    raw = api_key.raw_key
    assert _api(raw).get("/api/v1/teams/").status_code == 200
    url = reverse("admin:staff_apikey_change", args=[api_key.pk])
    response = admin_client.post(
        url, {"name": api_key.name, "scopes": api_key.scopes, "teams": [], "revoked": "on"}
    )
    assert response.status_code == 302
    assert _api(raw).get("/api/v1/teams/").status_code == 401


def test_changelist_shows_last_use_and_expiry(admin_client, db):
    used = timezone.now() - dt.timedelta(hours=2)
    ApiKeyFactory(name="bi", last_used_at=used, expiry_date=used + dt.timedelta(days=30))
    response = admin_client.get(reverse("admin:staff_apikey_changelist"))
    assert response.status_code == 200
    assert "bi" in response.content.decode()
    assert response.context["cl"].list_display[-1] == "last_used_at"


def test_the_new_key_travels_in_no_cookie_or_message(admin_client, db):
    response = _create(admin_client)
    raw = _shown_key(response)

    assert not list(get_messages(response.wsgi_request))
    assert all(raw not in morsel.value for morsel in response.cookies.values())
    assert all(raw not in morsel.value for morsel in admin_client.cookies.values())


def test_the_hash_is_in_no_id_admin_url_or_history_row(admin_client, db):
    _create(admin_client)
    api_key = ApiKey.objects.get()
    url = reverse("admin:staff_apikey_change", args=[api_key.pk])
    admin_client.post(
        url, {"name": "renamed", "scopes": api_key.scopes, "teams": [], "revoked": "on"}
    )

    assert api_key.pk == api_key.prefix
    assert api_key.hashed_key not in url
    history = list(ApiKey.history.values())
    assert len(history) == 2
    assert all(api_key.hashed_key not in str(row) for row in history)


@pytest.mark.django_db
def test_only_the_key_model_the_api_checks_is_in_the_admin():
    assert admin.site.is_registered(ApiKey)
    assert not admin.site.is_registered(APIKey)


def test_keys_made_with_the_hash_in_their_id_keep_working_under_their_prefix(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("staff.migrations.0006_api_key_id_is_prefix")
    api_key, raw = ApiKey.objects.create_key(name="old", scopes=[ApiScope.SCORES_READ])
    api_key.teams.set([world["teams"]["north"]])
    old_id = f"{api_key.prefix}.{api_key.hashed_key}"
    ApiKey.objects.filter(pk=api_key.pk).update(id=old_id)
    ApiKey.teams.through.objects.filter(apikey_id=api_key.pk).update(apikey_id=old_id)
    ApiKey.history.update(id=old_id)
    # As migration 0008 marks it, coming after this one: the key names teams.
    ApiKey.objects.filter(pk=old_id).update(is_team_restricted=True)

    migration.ids_to_prefixes(apps, None)

    assert list(ApiKey.objects.values_list("id", flat=True)) == [api_key.prefix]
    assert set(ApiKey.history.values_list("id", flat=True)) == {api_key.prefix}
    rows = _api(raw).get("/api/v1/scores/employees/").json()["results"]
    assert {row["team"] for row in rows} == {"north"}


def test_a_key_whose_teams_were_deleted_stays_closed_when_saved_again(admin_client, world):
    gone = TeamFactory(slug="gone", scorecard=world["version"].scorecard)
    response = _create(admin_client, teams=[gone.pk])
    raw = _shown_key(response)
    api_key = ApiKey.objects.get()
    assert api_key.is_team_restricted
    gone.delete()

    page = admin_client.get(reverse("admin:staff_apikey_change", args=[api_key.pk]))
    data = {"name": "renamed", "scopes": api_key.scopes, "teams": []}
    # The admin sends back the box as the page shows it: ticked.
    assert page.context["adminform"].form.initial["is_team_restricted"] is True
    data["is_team_restricted"] = "on"
    admin_client.post(reverse("admin:staff_apikey_change", args=[api_key.pk]), data)

    api_key.refresh_from_db()
    assert api_key.name == "renamed"
    assert api_key.is_team_restricted
    assert _api(raw).get("/api/v1/employees/").json() == []
