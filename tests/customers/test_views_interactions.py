import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer, Interaction
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    SurveyResponseFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

LOG_URL = reverse("customers:interaction_log")
LIST_URL = reverse("customers:interaction_list")
SEARCH_URL = reverse("customers:customer_search")


def moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def posted(**overrides) -> dict:
    now = timezone.now() - dt.timedelta(minutes=30)
    data = {
        "channel": "chat",
        "subject": "Parcel arrived damaged",
        "opened_at": moment(now),
        "first_response_at": moment(now + dt.timedelta(minutes=4)),
        "is_resolved": "on",
        "resolved_at": moment(now + dt.timedelta(minutes=20)),
        "notes": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent.user)
    return client


def test_log_page_defaults_the_times_to_now_and_has_no_employee_picker_for_agents(agent_client):
    response = agent_client.get(LOG_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert "employee" not in form.fields
    opened = form.initial["opened_at"]
    assert abs(opened - timezone.localtime()) < dt.timedelta(minutes=2)
    assert form.initial["first_response_at"] == opened == form.initial["resolved_at"]
    assert form.initial["is_resolved"] is True
    assert b'hx-get="/interactions/customers/"' in response.content


def test_agent_logs_an_interaction_and_its_day_is_marked_for_rescoring(agent_client, agent):
    customer = CustomerFactory(name="Ilze Ozola")

    response = agent_client.post(
        LOG_URL, posted(customer=customer.pk, is_first_contact_resolution="on")
    )

    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.employee == agent
    assert interaction.customer == customer
    assert interaction.is_first_contact_resolution is True
    assert interaction.resolved_at is not None
    assert DirtyDay.objects.filter(employee=agent, day=local_day(interaction.opened_at)).exists()
    followed = agent_client.get(response["Location"])
    assert "Parcel arrived damaged" in followed.content.decode()


def test_logging_with_another_teams_customer_reveals_nothing(agent_client, agent):
    theirs = CustomerFactory(name="Valdis Bērziņš", email="valdis@example.lv")
    other = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=other)
    InteractionFactory(employee=other, customer=theirs)

    found = agent_client.get(SEARCH_URL, {"customer_query": "Valdis"})
    refused = agent_client.post(LOG_URL, posted(customer=theirs.pk))
    unknown = agent_client.post(LOG_URL, posted(customer=987654))

    assert "valdis@example.lv" not in found.content.decode()
    assert refused.status_code == unknown.status_code == 200
    assert refused.context["form"].errors["customer"] == unknown.context["form"].errors["customer"]
    assert not Interaction.objects.filter(employee=agent).exists()
    detail = reverse("customers:customer_detail", args=[theirs.pk])
    assert agent_client.get(detail).status_code == 404


def test_unticking_resolved_logs_an_open_interaction(agent_client):
    customer = CustomerFactory()

    agent_client.post(LOG_URL, posted(customer=customer.pk, is_resolved=None))

    assert Interaction.objects.get().resolved_at is None


def test_new_customer_is_added_with_the_interaction(agent_client, agent):
    response = agent_client.post(
        LOG_URL,
        posted(
            new_customer_name="Jonas Petraitis",
            new_customer_company="Petraitis UAB",
            new_customer_email="jonas@example.lt",
            new_customer_language="lt",
        ),
    )

    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.name, customer.company, customer.language) == (
        "Jonas Petraitis",
        "Petraitis UAB",
        "lt",
    )
    assert Interaction.objects.get().customer == customer


def test_refused_interaction_writes_no_new_customer_either(agent_client):
    opened = timezone.now() - dt.timedelta(hours=1)
    response = agent_client.post(
        LOG_URL,
        posted(
            new_customer_name="Half Written",
            opened_at=moment(opened),
            first_response_at=moment(opened - dt.timedelta(minutes=10)),
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["first_response_at"] == [
        "The first response cannot be before the interaction was opened."
    ]
    assert not Customer.objects.exists()
    assert not Interaction.objects.exists()
    assert not DirtyDay.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"customer": None}, "customer", "Pick a customer, or add a new one below."),
        ({"subject": ""}, "subject", "This field is required."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice."),
        (
            {"opened_at": "OPENED_IN_FUTURE"},
            "opened_at",
            "This time is in the future.",
        ),
        (
            {"is_resolved": None, "is_first_contact_resolution": "on"},
            "is_first_contact_resolution",
            "Only a resolved interaction can be resolved on first contact.",
        ),
        (
            {"resolved_at": ""},
            "resolved_at",
            "Enter when it was resolved, or untick Resolved.",
        ),
        (
            {"follow_up_due": "2001-01-01"},
            "follow_up_due",
            "The follow-up cannot be due before the interaction was opened.",
        ),
        (
            {"new_customer_name": "Someone Else"},
            "new_customer_name",
            "Pick an existing customer or add a new one, not both.",
        ),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_is_written(
    agent_client, overrides, field, message
):
    customer = CustomerFactory()
    data = posted(**{"customer": customer.pk, **overrides})
    if data.get("opened_at") == "OPENED_IN_FUTURE":
        later = timezone.now() + dt.timedelta(hours=3)
        data.update(
            opened_at=moment(later),
            first_response_at=moment(later),
            resolved_at=moment(later),
        )

    response = agent_client.post(LOG_URL, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Interaction.objects.exists()
    assert not DirtyDay.objects.exists()
    assert message in response.content.decode().replace("&#x27;", "'")


def test_new_customer_with_a_bad_email_is_refused_at_that_field(agent_client):
    response = agent_client.post(
        LOG_URL, posted(new_customer_name="Anna", new_customer_email="not-an-address")
    )

    assert response.status_code == 200
    assert "new_customer_email" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_search_without_javascript_keeps_what_was_typed_and_saves_nothing(agent_client):
    CustomerFactory(name="Aleksandrs Bērziņš", company="Baltic Wood")
    CustomerFactory(name="Marta Liepa", company="Liepa SIA")

    response = agent_client.post(
        LOG_URL, posted(customer_query="baltic", subject="Invoice question", find="1")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert [c.name for c in form.customer_choices] == ["Aleksandrs Bērziņš"]
    assert form.picked_customer_id == str(form.customer_choices[0].pk)
    assert form.initial["subject"] == "Invoice question"
    assert not Interaction.objects.exists()
    assert "Aleksandrs Bērziņš" in response.content.decode()


def test_enter_in_the_search_box_without_a_pick_searches_instead_of_failing(agent_client):
    CustomerFactory(name="Marta Liepa")

    response = agent_client.post(LOG_URL, posted(customer_query="marta"))

    assert response.status_code == 200
    assert [c.name for c in response.context["form"].customer_choices] == ["Marta Liepa"]
    assert not Interaction.objects.exists()


def test_search_partial_lists_matches_with_tier_and_value_and_preselects_the_first(
    agent_client, django_assert_max_num_queries
):
    CustomerFactory(name="Gold Buyer", company="Acme", tier="gold", value_points=120)
    CustomerFactory(name="Other Person", company="Acme")
    CustomerFactory(name="Erased", company="Acme", erased_at=timezone.now())
    CustomerFactory(name="Unrelated", company="Nope")

    with django_assert_max_num_queries(5):
        response = agent_client.get(SEARCH_URL, {"customer_query": "acme"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Gold Buyer" in html
    assert "120 value points" in html
    assert 'class="badge tier-gold">Gold<' in html
    assert "Other Person" in html
    assert "Erased" not in html
    assert "Unrelated" not in html
    assert html.count("checked") == 1
    assert html.index("checked") < html.index("Other Person")


def test_customer_can_be_preselected_from_the_customer_page(agent_client):
    customer = CustomerFactory(name="From Detail")

    response = agent_client.get(LOG_URL, {"customer": customer.pk})

    assert response.context["form"].customer_choices == [customer]


def test_manager_logs_for_a_member_of_their_team_but_not_for_others(client, manager, agent):
    stranger = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=stranger)
    client.force_login(manager.user)
    customer = CustomerFactory()
    page = client.get(LOG_URL)
    assert set(page.context["form"].fields["employee"].queryset) == {manager, agent}
    assert page.context["form"].initial["employee"] == manager.pk

    refused = client.post(LOG_URL, posted(customer=customer.pk, employee=stranger.pk))
    assert "employee" in refused.context["form"].errors
    assert not Interaction.objects.exists()

    client.post(LOG_URL, posted(customer=customer.pk, employee=agent.pk))
    interaction = Interaction.objects.get()
    assert interaction.employee == agent
    assert DirtyDay.objects.filter(employee=agent).exists()


def test_onboarding_staff_cannot_log(client):
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    client.force_login(onboarding.user)

    assert client.get(LOG_URL).status_code == 403
    assert client.get(SEARCH_URL, {"customer_query": "a"}).status_code == 403
    assert client.get(LIST_URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (LOG_URL, LIST_URL, SEARCH_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_my_interactions_lists_only_my_own_with_edit_links_for_recent_ones(
    agent_client, agent, django_assert_max_num_queries
):
    recent = InteractionFactory(employee=agent, subject="Recent one")
    old_opened = timezone.now() - dt.timedelta(days=60)
    old = InteractionFactory(employee=agent, subject="Old one", opened_at=old_opened)
    InteractionFactory(subject="Someone else's")
    for _ in range(5):
        InteractionFactory(employee=agent)

    with django_assert_max_num_queries(5):
        response = agent_client.get(LIST_URL)

    html = response.content.decode()
    assert "Recent one" in html
    assert "Old one" in html
    assert "Someone else&#x27;s" not in html
    assert reverse("customers:interaction_edit", args=[recent.pk]) in html
    assert reverse("customers:interaction_edit", args=[old.pk]) not in html


def test_my_interactions_query_count_does_not_grow_with_rows(
    agent_client, agent, django_assert_max_num_queries
):
    for _ in range(30):
        InteractionFactory(employee=agent)

    with django_assert_max_num_queries(5):
        agent_client.get(LIST_URL, {"page": 2})


def test_my_interactions_search(agent_client, agent):
    InteractionFactory(employee=agent, subject="Refund request")
    InteractionFactory(employee=agent, subject="Password reset")

    response = agent_client.get(LIST_URL, {"q": "refund"})

    subjects = [i.subject for i in response.context["page"]]
    assert subjects == ["Refund request"]


def test_agent_edits_own_recent_interaction_and_both_days_are_marked(agent_client, agent):
    opened = timezone.now() - dt.timedelta(days=3)
    interaction = InteractionFactory(employee=agent, opened_at=opened)
    new_opened = timezone.now() - dt.timedelta(hours=2)

    response = agent_client.post(
        reverse("customers:interaction_edit", args=[interaction.pk]),
        posted(
            customer=interaction.customer_id,
            subject="Changed subject",
            opened_at=moment(new_opened),
            first_response_at=moment(new_opened),
            resolved_at=moment(new_opened + dt.timedelta(minutes=5)),
            follow_up_due=(timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            is_follow_up_done="on",
        ),
    )

    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.subject == "Changed subject"
    assert interaction.follow_up_done_at is not None
    marked = set(DirtyDay.objects.filter(employee=agent).values_list("day", flat=True))
    assert {local_day(opened), local_day(new_opened)} <= marked


def test_edit_shows_service_errors_at_the_field(agent_client, agent):
    interaction = InteractionFactory(employee=agent)

    response = agent_client.post(
        reverse("customers:interaction_edit", args=[interaction.pk]),
        posted(customer=interaction.customer_id, follow_up_due=None, is_follow_up_done="on"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["is_follow_up_done"] == [
        "Set the follow-up due date before marking the follow-up done."
    ]
    interaction.refresh_from_db()
    assert interaction.follow_up_done_at is None


@pytest.mark.parametrize("name", ["interaction_edit", "interaction_delete"])
def test_other_peoples_interactions_are_not_found_and_old_own_ones_are_refused(
    client, agent, manager, name
):
    theirs = InteractionFactory()
    team_members = InteractionFactory(employee=agent)
    old = InteractionFactory(employee=agent, opened_at=timezone.now() - dt.timedelta(days=45))

    client.force_login(agent.user)
    assert client.get(reverse(f"customers:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse(f"customers:{name}", args=[theirs.pk])).status_code == 404
    too_old = client.get(reverse(f"customers:{name}", args=[old.pk]))
    assert too_old.status_code == 403
    assert client.post(reverse(f"customers:{name}", args=[old.pk])).status_code == 403

    # Managers log for their people but change only their own interactions.
    client.force_login(manager.user)
    assert client.get(reverse(f"customers:{name}", args=[team_members.pk])).status_code == 404
    assert Interaction.objects.count() == 3


def test_delete_asks_first_then_removes_the_interaction_and_its_feedback_days(agent_client, agent):
    interaction = InteractionFactory(employee=agent)
    response_row = SurveyResponseFactory(interaction=interaction)
    url = reverse("customers:interaction_delete", args=[interaction.pk])

    confirm = agent_client.get(url)
    assert confirm.status_code == 200
    assert Interaction.objects.exists()

    done = agent_client.post(url)

    assert done.status_code == 302
    assert not Interaction.objects.exists()
    marked = set(DirtyDay.objects.filter(employee=agent).values_list("day", flat=True))
    assert {local_day(interaction.opened_at), local_day(response_row.submitted_at)} <= marked


@pytest.mark.parametrize("members", [1, 15])
def test_log_page_query_count_does_not_grow_with_the_team(
    client, manager, team, members, django_assert_max_num_queries
):
    for _ in range(members):
        person = EmployeeFactory(role=Role.AGENT)
        TeamMembershipFactory(employee=person, team=team)
        InteractionFactory(employee=manager)
    client.force_login(manager.user)

    with django_assert_max_num_queries(6):
        response = client.get(LOG_URL)

    assert len(response.context["form"].fields["employee"].queryset) == members + 1


def _long_ago(days: int) -> dict:
    opened = timezone.now() - dt.timedelta(days=days)
    return {
        "opened_at": moment(opened),
        "first_response_at": moment(opened + dt.timedelta(minutes=4)),
        "resolved_at": moment(opened + dt.timedelta(minutes=20)),
    }


def test_an_agent_logs_only_within_the_days_agents_may_write(agent_client, settings):
    settings.CRS_AGENT_EDIT_DAYS = 30
    customer = CustomerFactory()

    refused = agent_client.post(LOG_URL, posted(customer=customer.pk, **_long_ago(45)))
    settings.CRS_AGENT_EDIT_DAYS = 60
    accepted = agent_client.post(LOG_URL, posted(customer=customer.pk, **_long_ago(45)))

    assert refused.status_code == 200
    assert "last 30 days" in " ".join(refused.context["form"].errors["opened_at"])
    assert accepted.status_code == 302
    assert Interaction.objects.count() == 1


def test_an_agent_cannot_move_an_interaction_back_past_the_window(agent_client, agent):
    interaction = InteractionFactory(
        employee=agent, opened_at=timezone.now() - dt.timedelta(days=2)
    )

    response = agent_client.post(
        reverse("customers:interaction_edit", args=[interaction.pk]),
        posted(customer=interaction.customer_id, **_long_ago(400)),
    )

    assert response.status_code == 200
    assert "opened_at" in response.context["form"].errors
    interaction.refresh_from_db()
    assert interaction.opened_at > timezone.now() - dt.timedelta(days=3)


def test_a_manager_logs_further_back_for_their_team(client, manager, agent):
    client.force_login(manager.user)

    response = client.post(
        LOG_URL, posted(customer=CustomerFactory().pk, employee=agent.pk, **_long_ago(400))
    )

    assert response.status_code == 302
    assert Interaction.objects.get().employee == agent


def test_my_interactions_download_as_excel_with_dates_as_dates(agent_client, agent):
    import io

    import openpyxl

    InteractionFactory(employee=agent, subject="=cmd|calc")
    response = agent_client.get(reverse("customers:interaction_list"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert header[0] == "Opened"
    assert row[1] == "'=cmd|calc"
    assert isinstance(row[0], dt.datetime)
