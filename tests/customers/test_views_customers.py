import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from feedback.survey_selectors import survey_token
from privacy.services import ERASED_SUBJECT, customer_erase
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("customers:customer_list")


def detail_url(customer):
    return reverse("customers:customer_detail", args=[customer.pk])


def export_url(customer):
    return reverse("customers:customer_export", args=[customer.pk])


def erase_url(customer):
    return reverse("customers:customer_erase", args=[customer.pk])


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pass-word-123")


@pytest.fixture
def outsider():
    """An agent of another team, with a customer of their own."""
    employee = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=employee)
    return employee


@pytest.fixture
def customers(agent, outsider):
    mine = CustomerFactory(name="Agnese Kalniņa", company="Kalns SIA", tier="gold")
    theirs = CustomerFactory(name="Tomas Vaitkus", company="Vaitkus UAB")
    InteractionFactory(employee=agent, customer=mine, subject="Agent's own")
    InteractionFactory(employee=outsider, customer=mine, subject="Outsider's note")
    InteractionFactory(employee=outsider, customer=theirs)
    return mine, theirs


def names(response):
    return [customer.name for customer in response.context["page"]]


def test_agent_sees_only_customers_they_dealt_with_and_only_their_own_interactions(
    client, agent, customers
):
    mine, theirs = customers
    client.force_login(agent.user)

    assert names(client.get(LIST_URL)) == ["Agnese Kalniņa"]
    detail = client.get(detail_url(mine))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Agent&#x27;s own" in html
    assert "Outsider&#x27;s note" not in html
    assert detail.context["history"].interaction_count == 1
    assert client.get(detail_url(theirs)).status_code == 404


def test_manager_sees_their_teams_customers_and_admin_sees_all(
    client, manager, customers, admin_user
):
    mine, theirs = customers
    client.force_login(manager.user)
    assert names(client.get(LIST_URL)) == ["Agnese Kalniņa"]
    assert client.get(detail_url(theirs)).status_code == 404

    client.force_login(admin_user)
    assert names(client.get(LIST_URL)) == ["Agnese Kalniņa", "Tomas Vaitkus"]
    assert client.get(detail_url(mine)).context["history"].interaction_count == 2


def test_onboarding_staff_have_no_customer_pages(client, customers):
    mine, _ = customers
    client.force_login(EmployeeFactory(role=Role.ONBOARDING).user)

    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(mine)).status_code == 403
    assert client.get(export_url(mine)).status_code == 403


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "kalns"}, ["Agnese"]),
        ({"q": "ben@"}, ["Ben"]),
        ({"q": "EXT-7"}, ["Carla"]),
        ({"tier": "gold"}, ["Agnese"]),
        ({"opted_out": "yes"}, ["Ben"]),
        ({"opted_out": "no", "sort": "-name"}, ["Carla", "Agnese"]),
        ({"sort": "-value"}, ["Carla", "Ben", "Agnese"]),
        ({"sort": "-interactions"}, ["Ben", "Agnese", "Carla"]),
        ({"tier": "bogus", "sort": "bogus"}, ["Agnese", "Ben", "Carla"]),
    ],
)
def test_list_searches_filters_and_sorts(client, admin_user, params, expected):
    agnese = CustomerFactory(name="Agnese", company="Kalns SIA", tier="gold", value_points=1)
    ben = CustomerFactory(
        name="Ben", email="ben@example.com", has_opted_out_of_surveys=True, value_points=5
    )
    carla = CustomerFactory(name="Carla", external_id="EXT-7", value_points=9)
    InteractionFactory(customer=agnese)
    InteractionFactory.create_batch(2, customer=ben)
    assert carla.interactions.count() == 0
    client.force_login(admin_user)

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert names(response) == expected


def test_list_empty_state_and_pagination(client, admin_user):
    client.force_login(admin_user)
    assert "No customers yet" in client.get(LIST_URL).content.decode()

    CustomerFactory.create_batch(30)
    first = client.get(LIST_URL, {"tier": "standard"})
    assert len(first.context["page"]) == 25
    assert "tier=standard&amp;sort=name&amp;page=2" in first.content.decode()
    assert len(client.get(LIST_URL, {"page": 2}).context["page"]) == 5
    assert "No customer matches" in client.get(LIST_URL, {"q": "zzz"}).content.decode()


@pytest.mark.parametrize("size", [3, 40])
def test_list_query_count_does_not_grow_with_customers(
    client, manager, agent, size, django_assert_max_num_queries
):
    for customer in CustomerFactory.create_batch(size):
        InteractionFactory(employee=agent, customer=customer)
    client.force_login(manager.user)

    with django_assert_max_num_queries(5):
        response = client.get(LIST_URL)

    assert len(response.context["page"]) == min(size, 25)


def test_detail_shows_csat_history_open_follow_ups_and_escalations(
    client, agent, django_assert_max_num_queries
):
    customer = CustomerFactory()
    today = timezone.localdate()
    follow_up = InteractionFactory(
        employee=agent, customer=customer, subject="Call back", follow_up_due=today
    )
    InteractionFactory(
        employee=agent,
        customer=customer,
        subject="Done follow-up",
        follow_up_due=today,
        follow_up_done_at=timezone.now(),
    )
    InteractionFactory(employee=agent, customer=customer, subject="Angry", is_escalated=True)
    SurveyResponseFactory(interaction=follow_up, csat=2, comment="Too slow")
    SurveyResponseFactory(interaction=follow_up, csat=5)
    for _ in range(20):
        InteractionFactory(employee=agent, customer=customer)
    client.force_login(agent.user)

    with django_assert_max_num_queries(11):
        response = client.get(detail_url(customer))

    history = response.context["history"]
    assert [i.subject for i in history.open_follow_ups] == ["Call back"]
    assert [i.subject for i in history.escalations] == ["Angry"]
    assert sorted(r.csat for r in history.responses) == [2, 5]
    assert history.csat_percent == 50
    assert "Too slow" in response.content.decode()


def test_export_gives_managers_a_json_file_with_everything_about_the_customer(
    client, manager, agent
):
    customer = CustomerFactory(name="Rūta Jankauskienė", email="ruta@example.lt")
    interaction = InteractionFactory(employee=agent, customer=customer, notes="Prefers mornings")
    SurveyResponseFactory(interaction=interaction, csat=4, comment="Thank you")
    client.force_login(manager.user)

    response = client.get(export_url(customer))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="customer-{customer.pk}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["customer"]["name"] == "Rūta Jankauskienė"
    assert data["customer"]["email"] == "ruta@example.lt"
    assert data["interactions"][0]["notes"] == "Prefers mornings"
    assert data["survey_responses"][0]["comment"] == "Thank you"


def test_agents_cannot_export_or_erase_and_managers_not_other_teams_customers(
    client, agent, manager, customers
):
    mine, theirs = customers
    client.force_login(agent.user)
    assert client.get(export_url(mine)).status_code == 403
    assert client.post(erase_url(mine)).status_code == 403

    client.force_login(manager.user)
    assert client.get(export_url(theirs)).status_code == 404
    assert client.post(erase_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.erased_at is None


def test_a_managers_export_holds_only_their_teams_contacts_and_an_admins_everything(
    client, manager, admin_user, customers
):
    mine, _theirs = customers
    client.force_login(manager.user)
    subjects = [
        row["subject"] for row in json.loads(client.get(export_url(mine)).content)["interactions"]
    ]
    assert subjects == ["Agent's own"]

    client.force_login(admin_user)
    data = json.loads(client.get(export_url(mine)).content)
    assert sorted(row["subject"] for row in data["interactions"]) == [
        "Agent's own",
        "Outsider's note",
    ]


def test_only_a_manager_of_every_team_involved_or_an_admin_erases_a_customer(
    client, manager, admin_user, customers, outsider
):
    mine, _theirs = customers
    client.force_login(manager.user)
    assert client.get(erase_url(mine)).status_code == 403
    assert client.post(erase_url(mine)).status_code == 403
    mine.refresh_from_db()
    assert mine.erased_at is None

    outsider.memberships.get().team.managers.add(manager)
    assert client.post(erase_url(mine)).status_code == 302
    mine.refresh_from_db()
    assert mine.erased_at is not None


def test_an_admin_erases_any_customer(client, admin_user, customers):
    mine, _theirs = customers
    client.force_login(admin_user)
    assert client.post(erase_url(mine)).status_code == 302
    mine.refresh_from_db()
    assert mine.erased_at is not None


def test_erase_asks_first_then_anonymises_and_keeps_the_statistics(client, manager, agent):
    customer = CustomerFactory(
        name="Pēteris Ozols",
        company="Ozols",
        email="p@example.lv",
        phone="+371 2000",
        external_id="X1",
    )
    resolved = timezone.now() - dt.timedelta(hours=1)
    interaction = InteractionFactory(
        employee=agent,
        customer=customer,
        subject="About Pēteris' order",
        notes="Lives at Brīvības 1",
        resolved_at=resolved,
    )
    SurveyResponseFactory(interaction=interaction, csat=3, nps=6, comment="Pēteris here")
    client.force_login(manager.user)

    confirm = client.get(erase_url(customer))
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    customer.refresh_from_db()
    assert customer.erased_at is None

    done = client.post(erase_url(customer))

    assert done.status_code == 302
    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert "Pēteris" not in customer.name
    assert (customer.company, customer.email, customer.phone, customer.external_id) == (
        "",
        "",
        "",
        None,
    )
    interaction.refresh_from_db()
    assert (interaction.subject, interaction.notes) == (ERASED_SUBJECT, "")
    assert interaction.resolved_at == resolved
    response = SurveyResponse.objects.get()
    assert (response.csat, response.nps, response.comment) == (3, 6, "")
    assert Interaction.objects.count() == 1
    assert not DirtyDay.objects.exists()
    again = client.get(erase_url(customer))
    assert again.status_code == 302


def test_erasing_closes_the_customers_open_survey_links(client):
    invitation = SurveyInvitationFactory(interaction=InteractionFactory())
    token = survey_token(invitation=invitation)

    customer_erase(customer=invitation.interaction.customer)
    shown = client.get(reverse("surveys:survey", args=[token]))
    answered = client.post(reverse("surveys:survey", args=[token]), {"csat": 5, "comment": "Hi"})

    assert shown.status_code == answered.status_code == 410
    assert "This survey has closed" in shown.content.decode()
    assert not SurveyResponse.objects.exists()


def test_erased_customers_are_no_longer_offered_for_logging(client, agent):
    customer = customer_erase(customer=CustomerFactory(name="Gone Person"))
    client.force_login(agent.user)

    response = client.get(reverse("customers:customer_search"), {"customer_query": "Erased"})

    assert customer.name not in response.content.decode()


def test_customer_erase_service_is_idempotent_and_keeps_the_first_erasure_time():
    customer = CustomerFactory()
    first = customer_erase(customer=customer, now=timezone.now() - dt.timedelta(days=1))

    second = customer_erase(customer=customer)

    assert second.erased_at == first.erased_at
    assert Customer.objects.get().name == f"Erased customer #{customer.pk}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("kalns", {"Agnese Kalniņa"}), ("EXT-9", {"Agnese Kalniņa"}), ("EXT-", set()), ("", None)],
)
def test_list_page_picker_and_api_find_the_same_customers(
    client, agent, customers, query, expected
):
    mine, theirs = customers
    Customer.objects.filter(pk=mine.pk).update(external_id="EXT-9")
    Customer.objects.filter(pk=theirs.pk).update(external_id="EXT-99")
    client.force_login(agent.user)

    page = set(names(client.get(LIST_URL, {"q": query})))
    api = {row["name"] for row in client.get("/api/v1/customers/", {"q": query}).json()["results"]}
    picker = client.get(reverse("customers:customer_search"), {"customer_query": query})
    picked = {c.name for c in picker.context["form"].customer_choices}

    # The agent never finds the other team's customer, whichever door they search through.
    assert page == api == (expected if expected is not None else {"Agnese Kalniņa"})
    assert picked == (expected if expected is not None else set())


def test_the_customer_list_downloads_as_csv_and_excel_with_what_the_user_may_see(
    client, agent, customers
):
    import csv
    import io

    import openpyxl

    client.force_login(agent.user)
    url = reverse("customers:customer_list")
    page = client.get(url).content.decode()
    assert "format=csv" in page
    assert "format=xlsx" in page

    response = client.get(url, {"format": "csv", "sort": "name"})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Name", "Company"]
    # Only the customer the agent dealt with; the Latvian name survives the round trip.
    assert [row[0] for row in rows[1:]] == ["Agnese Kalniņa"]

    response = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert header[4] == "Value points"
    assert row[0] == "Agnese Kalniņa"
    assert isinstance(row[5], int)
    assert isinstance(row[6], dt.datetime)
