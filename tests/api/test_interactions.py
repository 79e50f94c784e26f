import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import Interaction
from feedback.models import SurveyInvitation
from staff.choices import ApiScope, Role
from tests.factories import EmployeeFactory, InteractionFactory, TeamMembershipFactory

URL = "/api/v1/interactions/"


def _row(world, n, **overrides):
    opened = timezone.now() - dt.timedelta(days=1, minutes=n)
    row = {
        "customer_external_id": world["customer"].external_id,
        "employee_external_id": world["agents"]["north"].external_id,
        "channel": "email",
        "subject": f"Invoice question {n}",
        "opened_at": opened.isoformat(),
        "first_response_at": (opened + dt.timedelta(minutes=3)).isoformat(),
        "resolved_at": (opened + dt.timedelta(hours=1)).isoformat(),
        "is_first_contact_resolution": True,
        "source": "helpdesk",
        "external_id": f"T-{n}",
    }
    row.update(overrides)
    return row


def _stored():
    return sorted(
        Interaction.objects.values_list(
            "source", "external_id", "employee_id", "customer_id", "subject", "resolved_at"
        )
    )


def test_one_object_is_created_with_references_by_external_id(client_for, world):
    response = client_for().post(URL, _row(world, 1), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 1
    stored = Interaction.objects.get(source="helpdesk", external_id="T-1")
    assert stored.employee == world["agents"]["north"]
    assert stored.customer == world["customer"]


def test_references_by_id_work_too(client_for, world):
    row = _row(world, 1)
    del row["customer_external_id"], row["employee_external_id"]
    row.update(customer=world["customer"].pk, employee=world["agents"]["south"].pk)
    assert client_for().post(URL, row, format="json").status_code == 200
    assert Interaction.objects.get().employee == world["agents"]["south"]


def test_resending_the_same_batch_changes_nothing(client_for, world):
    client = client_for()
    batch = [_row(world, n) for n in range(20)]
    assert client.post(URL, batch, format="json").status_code == 200
    first = _stored()
    assert client.post(URL, batch, format="json").status_code == 200
    assert len(first) == 20
    assert _stored() == first


def test_resending_with_a_change_updates_in_place(client_for, world):
    client = client_for()
    client.post(URL, [_row(world, 1)], format="json")
    client.post(URL, [_row(world, 1, subject="Changed")], format="json")
    assert list(Interaction.objects.values_list("subject", flat=True)) == ["Changed"]


def test_a_batch_with_bad_rows_writes_nothing_and_names_every_bad_row(client_for, world):
    batch = [_row(world, n) for n in range(10)]
    opened = timezone.now() - dt.timedelta(days=1)
    batch[2]["resolved_at"] = (opened - dt.timedelta(days=2)).isoformat()
    batch[5]["employee_external_id"] = "nobody"
    batch[7]["channel"] = "carrier pigeon"
    batch[9]["opened_at"] = (timezone.now() + dt.timedelta(days=3)).isoformat()
    response = client_for().post(URL, batch, format="json")
    assert response.status_code == 400
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert {(2, "resolved_at"), (5, "employee"), (7, "channel"), (9, "opened_at")} <= errors
    assert {index for index, _ in errors} == {2, 5, 7, 9}
    assert not Interaction.objects.exists()


def test_response_before_opening_is_refused_at_its_field(client_for, world):
    row = _row(world, 1)
    row["first_response_at"] = (
        dt.datetime.fromisoformat(row["opened_at"]) - dt.timedelta(minutes=5)
    ).isoformat()
    response = client_for().post(URL, row, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["first_response_at"]


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        # Without an offset, a time is the organisation's (settings.TIME_ZONE, Riga: UTC+2).
        ("2026-03-02T09:30:00", dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)),
        ("2026-03-02T09:30:00Z", dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)),
        ("2026-03-02T09:30:00-05:00", dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC)),
    ],
)
def test_times_without_an_offset_are_the_organisations(client_for, world, settings, sent, stored):
    settings.TIME_ZONE = "Europe/Riga"
    row = _row(world, 1, opened_at=sent, first_response_at=None, resolved_at=None)
    row.update(is_first_contact_resolution=False)
    response = client_for().post(URL, row, format="json")
    assert response.status_code == 200, response.json()
    assert Interaction.objects.get(external_id="T-1").opened_at == stored


def test_more_than_a_thousand_rows_are_refused(client_for, world):
    response = client_for().post(URL, [_row(world, n) for n in range(1001)], format="json")
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_a_team_restricted_key_cannot_write_for_other_teams(client_for, world):
    client = client_for(teams=[world["teams"]["north"]])
    row = _row(world, 1, employee_external_id=world["agents"]["south"].external_id)
    response = client.post(URL, row, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "employee"


def test_a_team_restricted_key_cannot_take_over_another_teams_interaction(client_for, world):
    InteractionFactory(employee=world["agents"]["south"], source="helpdesk", external_id="T-1")
    client = client_for(teams=[world["teams"]["north"]])
    response = client.post(URL, _row(world, 1), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_id"
    assert Interaction.objects.get().employee == world["agents"]["south"]


def test_list_shows_only_the_keys_teams(client_for, world):
    for name in ("north", "south"):
        InteractionFactory(employee=world["agents"][name])
    response = client_for(teams=[world["teams"]["north"]]).get(URL)
    rows = response.json()["results"]
    assert [row["employee"] for row in rows] == [world["agents"]["north"].pk]


# Fixed whatever the batch size: the key and its teams, one lookup per kind of reference, the
# stored rows, the insert (in chunks of 500), the days to rescore and the survey invitations.
BATCH_QUERIES = 17


@pytest.mark.parametrize("surveys", [False, True], ids=["no-surveys", "surveys"])
@pytest.mark.parametrize("size", [1, 10, 1000])
def test_a_batch_runs_in_a_constant_number_of_queries(
    client_for, world, size, surveys, django_assert_max_num_queries
):
    if surveys:
        # Resolved e-mails then invite their customer, which reads and writes invitations too.
        world["teams"]["north"].survey_channels = ["email"]
        world["teams"]["north"].save()
    client = client_for(scopes=[ApiScope.INTERACTIONS_WRITE])
    batch = [_row(world, n) for n in range(size)]
    with django_assert_max_num_queries(BATCH_QUERIES):
        response = client.post(URL, batch, format="json")
    assert response.status_code == 200
    assert Interaction.objects.count() == size
    assert SurveyInvitation.objects.exists() == surveys


def test_rows_that_are_not_objects_are_named_not_a_500(client_for, world):
    response = client_for().post(URL, [_row(world, 1), None, "x", 3], format="json")
    assert response.status_code == 400
    assert {(e["index"], e["field"]) for e in response.json()["errors"]} == {
        (1, None),
        (2, None),
        (3, None),
    }
    assert not Interaction.objects.exists()


def _session(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_session_pushes_for_exactly_the_people_the_log_page_offers(world):
    manager = EmployeeFactory(role=Role.MANAGER)
    world["teams"]["north"].managers.add(manager)
    gone = EmployeeFactory(is_active=False, external_id="E-gone")
    TeamMembershipFactory(employee=gone, team=world["teams"]["north"])
    client = _session(manager.user)
    assert client.post(URL, _row(world, 1), format="json").status_code == 200
    response = client.post(URL, _row(world, 2, employee_external_id="E-gone"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "employee"
    agent = _session(world["agents"]["north"].user)
    assert agent.post(URL, _row(world, 3), format="json").status_code == 200
    south = world["agents"]["south"].external_id
    response = agent.post(URL, _row(world, 4, employee_external_id=south), format="json")
    assert response.status_code == 400
    assert Interaction.objects.count() == 2


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": Role.ONBOARDING}])
@pytest.mark.parametrize("teams", [(), ("north",)])
def test_no_interaction_is_pushed_for_a_deactivated_or_onboarding_employee(
    client_for, world, change, teams
):
    agent = world["agents"]["north"]
    for name, value in change.items():
        setattr(agent, name, value)
    agent.save()
    client = client_for(teams=[world["teams"][name] for name in teams])

    response = client.post(URL, _row(world, 1), format="json")

    assert response.status_code == 400
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(0, "employee")]
    assert not Interaction.objects.exists()


def test_a_bad_batch_also_names_external_ids_sent_twice(client_for, world):
    batch = [_row(world, n) for n in range(4)]
    batch[1]["channel"] = "carrier pigeon"
    batch[3]["external_id"] = batch[0]["external_id"]

    response = client_for().post(URL, batch, format="json")

    assert response.status_code == 400
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(1, "channel"), (3, "external_id")}
    assert not Interaction.objects.exists()


def test_unknown_fields_are_refused_by_name(client_for, world):
    row = _row(world, 1, resolved="2026-03-01T10:00:00", is_vip=True)

    response = client_for().post(URL, [row], format="json")

    assert response.status_code == 400
    assert {(e["index"], e["field"]) for e in response.json()["errors"]} == {
        (0, "resolved"),
        (0, "is_vip"),
    }
    assert not Interaction.objects.exists()


def test_a_customer_named_by_e_mail_is_found_or_created_by_the_one_customer_rule(client_for, world):
    from customers.models import Customer

    client = client_for()
    row = _row(world, 1, customer_email="new.person@example.com", customer_name="New Person")
    del row["customer_external_id"]
    assert client.post(URL, row, format="json").status_code == 200
    created = Customer.objects.get(email="new.person@example.com")
    assert created.name == "New Person"
    # The same address again, in other case, finds that customer: no duplicate.
    again = _row(world, 2, customer_email="New.Person@example.com")
    del again["customer_external_id"]
    assert client.post(URL, again, format="json").status_code == 200
    assert Customer.objects.filter(email__iexact="new.person@example.com").count() == 1
    assert Interaction.objects.get(external_id="T-2").customer == created


def test_a_customer_by_id_and_by_e_mail_at_once_is_refused(client_for, world):
    row = _row(world, 1, customer=world["customer"].pk, customer_email="x@example.com")
    del row["customer_external_id"]
    response = client_for().post(URL, row, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"customer"}
