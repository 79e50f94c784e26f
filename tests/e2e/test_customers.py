import pytest
from playwright.sync_api import expect

from customers.models import Interaction
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    ManagerFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"
PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_agent_logs_an_interaction_with_the_keyboard_on_a_phone(
    page, sign_in, screenshot, live_server
):
    agent = EmployeeFactory(user=UserFactory(username="phone-agent"), role=Role.AGENT)
    TeamMembershipFactory(employee=agent)
    customer = CustomerFactory(
        name="Laura Kalniņa", company="Acme Baltic", tier="gold", value_points=120
    )
    CustomerFactory(name="Jonas Acmeris", company="Other")
    page.set_viewport_size(PHONE)
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    sign_in("phone-agent", PASSWORD)

    page.goto(f"{live_server.url}/interactions/new/")
    search = page.get_by_label("Find a customer")
    expect(search).to_be_focused()
    page.keyboard.type("acme balt")
    matches = page.get_by_test_id("customer-matches")
    expect(matches).to_contain_text("Laura Kalniņa")
    expect(matches).to_contain_text("Gold")
    expect(matches).to_contain_text("120 value points")
    page.keyboard.press("ArrowDown")
    picked = page.get_by_role("radio", name="Laura Kalniņa")
    expect(picked).to_be_focused()
    expect(picked).to_be_checked()
    page.keyboard.press("Tab")  # the "New customer" summary
    page.keyboard.press("Tab")
    expect(page.get_by_label("Channel")).to_be_focused()
    page.keyboard.type("Chat")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Subject")).to_be_focused()
    page.keyboard.type("Delivery date changed")
    screenshot("interaction-log-phone")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Delivery date changed")
    recent = page.get_by_test_id("recent-interactions")
    expect(recent).to_contain_text("Delivery date changed")
    expect(recent).to_contain_text("Laura Kalniņa")
    screenshot("interaction-log-phone-saved")
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_test_id("interactions")).to_contain_text("Delivery date changed")
    interaction = Interaction.objects.get()
    assert (interaction.employee, interaction.customer, interaction.channel) == (
        agent,
        customer,
        "chat",
    )
    assert interaction.resolved_at is not None
    assert DirtyDay.objects.filter(employee=agent).exists()
    assert refused == []


@pytest.mark.django_db(transaction=True)
def test_manager_reads_a_customer_and_sees_the_erase_confirmation(
    page, sign_in, screenshot, live_server
):
    team = TeamFactory()
    manager = ManagerFactory(user=UserFactory(username="cust-manager"))
    team.managers.add(manager)
    agent = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=agent, team=team)
    customer = CustomerFactory(name="Ieva Bērziņa", company="Berzi SIA", tier="platinum")
    interaction = InteractionFactory(
        employee=agent, customer=customer, subject="Contract renewal", is_escalated=True
    )
    SurveyResponseFactory(interaction=interaction, csat=4, comment="Quick and kind")
    sign_in("cust-manager", PASSWORD)

    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search").fill("berzi")
    page.get_by_role("button", name="Filter").click()
    screenshot("customer-list")
    page.get_by_role("link", name="Ieva Bērziņa").click()
    expect(page.get_by_test_id("escalations")).to_contain_text("Contract renewal")
    expect(page.get_by_test_id("csat-history")).to_contain_text("Quick and kind")
    screenshot("customer-detail")
    page.get_by_role("link", name="Erase personal data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ieva Bērziņa")
    screenshot("customer-erase-confirm")
