import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import Customer, Interaction
from customers.selectors import (
    customers_loggable,
    customers_loggable_by,
    customers_matching,
    customers_visible_to,
    employees_logging_for,
    interaction_editable_by,
)
from customers.services import interaction_log
from privacy.selectors import customer_personal_data
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    SurveyResponseFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_search_matches_name_company_email_and_exact_external_id_but_not_erased():
    anna = CustomerFactory(name="Anna", company="Ziedi", email="anna@ziedi.lv", external_id="Z-1")
    CustomerFactory(name="Zane", company="Other")
    CustomerFactory(name="Ziedonis", erased_at=timezone.now())

    # Nobody has dealt with any of them yet: all may be logged with, except the erased one.
    customers = customers_loggable(visible=Customer.objects.none())

    assert customers_matching(query="zied", customers=customers) == [anna]
    assert customers_matching(query="@ZIEDI", customers=customers) == [anna]
    assert customers_matching(query="z-1", customers=customers) == [anna]
    assert customers_matching(query="Z-", customers=customers) == []
    assert customers_matching(query="   ", customers=customers) == []


def test_search_is_one_query_and_limited(django_assert_num_queries):
    CustomerFactory.create_batch(12, company="Same")

    with django_assert_num_queries(1):
        assert len(customers_matching(query="same", customers=Customer.objects.all(), limit=5)) == 5


def test_another_teams_customer_cannot_be_logged_with_but_a_new_one_can(agent):
    theirs, fresh = CustomerFactory(name="Theirs"), CustomerFactory(name="Fresh")
    other = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=other)
    InteractionFactory(employee=other, customer=theirs)

    assert customers_matching(query="", customers=Customer.objects.all()) == []
    loggable = customers_loggable_by(user=agent.user)
    assert set(loggable) == {fresh}
    assert set(customers_loggable_by(user=UserFactory(is_superuser=True))) == {theirs, fresh}


def test_customers_visible_follow_the_people_the_user_may_see(agent, manager):
    other = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=other)
    seen = InteractionFactory(employee=agent).customer
    unseen = InteractionFactory(employee=other).customer
    never_contacted = CustomerFactory()
    admin = get_user_model().objects.create_superuser("root", "r@example.com", "x")

    assert list(customers_visible_to(user=agent.user)) == [seen]
    assert list(customers_visible_to(user=manager.user)) == [seen]
    assert set(customers_visible_to(user=admin)) == {seen, unseen, never_contacted}
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    assert not customers_visible_to(user=onboarding.user).exists()


def test_managers_log_for_themselves_and_their_active_people_agents_only_for_themselves(
    agent, manager
):
    TeamMembershipFactory(employee=EmployeeFactory(role=Role.AGENT))
    gone = EmployeeFactory(role=Role.AGENT, is_active=False)
    TeamMembershipFactory(employee=gone, team=agent.memberships.get().team)

    assert set(employees_logging_for(user=manager.user)) == {manager, agent}
    assert list(employees_logging_for(user=agent.user)) == [agent]


def test_only_own_interactions_of_the_last_30_days_are_editable(agent):
    recent = InteractionFactory(employee=agent, opened_at=timezone.now() - dt.timedelta(days=29))
    old = InteractionFactory(employee=agent, opened_at=timezone.now() - dt.timedelta(days=31))
    theirs = InteractionFactory()

    assert interaction_editable_by(user=agent.user, pk=recent.pk) == recent
    assert interaction_editable_by(user=agent.user, pk=old.pk) is None
    assert interaction_editable_by(user=agent.user, pk=theirs.pk) is None


def test_personal_data_export_holds_the_customer_their_interactions_and_answers():
    customer = CustomerFactory(name="Līga", phone="+371 1", external_id="L-9")
    first = InteractionFactory(customer=customer, notes="Call after 5")
    InteractionFactory(customer=customer)
    SurveyResponseFactory(interaction=first, csat=5, nps=10, comment="Great")
    InteractionFactory()

    data = customer_personal_data(customer=customer, user=UserFactory(is_superuser=True))

    assert data["customer"]["name"] == "Līga"
    assert data["customer"]["external_id"] == "L-9"
    assert len(data["interactions"]) == 2
    assert data["interactions"][0]["notes"] == "Call after 5"
    assert data["survey_responses"] == [
        {
            "id": first.survey_responses.get().pk,
            "interaction": first.pk,
            "csat": 5,
            "nps": 10,
            "comment": "Great",
            "language": "en",
            "submitted_at": first.survey_responses.get().submitted_at.isoformat(),
        }
    ]


def test_interaction_log_with_a_new_customer_names_customer_errors_by_form_field(agent):
    with pytest.raises(ValidationError) as excinfo:
        interaction_log(
            employee=agent,
            new_customer={"name": "", "email": "nope"},
            channel="phone",
            subject="Hello",
            opened_at=timezone.now(),
        )

    assert set(excinfo.value.message_dict) == {"new_customer_name", "new_customer_email"}
    assert not Customer.objects.exists()


def test_interaction_log_rolls_the_new_customer_back_when_the_interaction_is_refused(agent):
    with pytest.raises(ValidationError) as excinfo:
        interaction_log(
            employee=agent,
            new_customer={"name": "Kept Out"},
            channel="phone",
            subject="Hello",
            opened_at=timezone.now() + dt.timedelta(days=1),
        )

    assert "opened_at" in excinfo.value.message_dict
    assert not Customer.objects.exists()
    assert not Interaction.objects.exists()
