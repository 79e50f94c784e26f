import datetime as dt

import pytest
from django.utils import timezone

from customers.models import Customer
from feedback.models import SurveyResponse
from tests.factories import InteractionFactory

SURVEYS = "/api/v1/feedback/surveys/"


@pytest.fixture
def interaction(world):
    return InteractionFactory(
        employee=world["agents"]["north"],
        customer=world["customer"],
        source="helpdesk",
        external_id="T-9",
        opened_at=timezone.now() - dt.timedelta(days=1),
    )


def test_survey_answer_by_source_and_external_id(client_for, interaction):
    payload = {
        "interaction_source": "helpdesk",
        "interaction_external_id": "T-9",
        "csat": 4,
        "nps": 9,
        "comment": "Quick and kind.",
        "external_id": "S-1",
    }
    client = client_for()
    response = client.post(SURVEYS, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["interaction"] == interaction.pk
    again = client.post(SURVEYS, payload, format="json")
    assert again.status_code == 200
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("csat", 0), ("csat", 6), ("nps", -1), ("nps", 11)])
def test_survey_scores_out_of_range_are_refused_at_the_field(client_for, interaction, field, value):
    payload = {"interaction": interaction.pk, "csat": 5, field: value}
    response = client_for().post(SURVEYS, payload, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not SurveyResponse.objects.exists()


def test_survey_answered_before_the_interaction_is_refused(client_for, interaction):
    submitted = interaction.opened_at - dt.timedelta(hours=1)
    payload = {"interaction": interaction.pk, "csat": 5, "submitted_at": submitted.isoformat()}
    response = client_for().post(SURVEYS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "submitted_at"


def test_survey_about_another_teams_interaction_is_unknown(client_for, world, interaction):
    client = client_for(teams=[world["teams"]["south"]])
    response = client.post(SURVEYS, {"interaction": interaction.pk, "csat": 5}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "interaction"


def test_customer_is_created_and_listed(client_for, world):
    client = client_for()
    payload = {"name": "Ann Lee", "email": "ann@example.com", "external_id": "C-2"}
    response = client.post("/api/v1/customers/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert Customer.objects.get(external_id="C-2").name == "Ann Lee"
    found = client.get("/api/v1/customers/", {"q": "ann@"}).json()["results"]
    assert [c["external_id"] for c in found] == ["C-2"]


def test_duplicate_customer_external_id_is_refused_at_the_field(client_for, world):
    response = client_for().post(
        "/api/v1/customers/", {"name": "Copy", "external_id": "C-1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_id"


def test_throttled_key_gets_429_with_retry_after(client_for, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    client = client_for()
    statuses = [client.get("/api/v1/teams/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/teams/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "throttled"
    # Each key has its own allowance.
    assert client_for().get("/api/v1/teams/").status_code == 200


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        (SURVEYS, {"csat": 5, "rating": 5}),
        ("/api/v1/customers/", {"name": "Ann", "mail": "ann@example.com"}),
    ],
)
def test_unknown_fields_are_refused_by_name(client_for, interaction, url, payload):
    payload = {"interaction": interaction.pk, **payload} if url == SURVEYS else payload
    unknown = next(name for name in payload if name in ("rating", "mail"))

    response = client_for().post(url, payload, format="json")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [unknown]


def test_an_interaction_takes_one_answer_without_an_external_id(client_for, interaction):
    client = client_for()
    payload = {"interaction": interaction.pk, "csat": 5}

    first = client.post(SURVEYS, payload, format="json")
    again = client.post(SURVEYS, payload, format="json")
    keyed = client.post(SURVEYS, {**payload, "external_id": "S-2"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 400
    assert [e["field"] for e in again.json()["errors"]] == ["interaction"]
    assert keyed.status_code == 201
    assert SurveyResponse.objects.count() == 2
