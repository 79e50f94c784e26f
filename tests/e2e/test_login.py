import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from staff.choices import Role
from tests.factories import EmployeeFactory, UserFactory

PASSWORD = "pass-word-123"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.ONBOARDING, Role.ADMIN])
def test_each_role_signs_in_and_sees_its_navigation(page, sign_in, screenshot, role):
    user = UserFactory(
        username=f"demo-{role}", is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
    )
    EmployeeFactory(user=user, role=role)
    sign_in(user.username, PASSWORD)
    expect(page.get_by_test_id("current-user")).to_contain_text(user.get_full_name())
    if role == Role.ONBOARDING:
        # New staff land on their list of rules to read.
        expect(page).to_have_url(re.compile(r"/onboarding/$"))
    else:
        with translation.override("en"):
            expect(page.get_by_test_id("role")).to_have_text(str(Role(role).label))
    if role == Role.ADMIN:
        expect(page.locator("[data-nav=admin]")).to_be_visible()
    else:
        expect(page.locator("[data-nav=admin]")).to_have_count(0)
    screenshot(f"home-{role}")


@pytest.mark.django_db(transaction=True)
def test_the_interface_switches_to_latvian(page, sign_in, screenshot):
    employee = EmployeeFactory(user=UserFactory(username="lang"), role=Role.AGENT)
    sign_in("lang", PASSWORD)
    page.get_by_label("Language").select_option("lv")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    employee.refresh_from_db()
    assert employee.language == "lv"
    screenshot("home-latvian")


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_an_error_at_the_form(page, sign_in):
    EmployeeFactory(user=UserFactory(username="someone"))
    sign_in("someone", "wrong-password")
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist")).not_to_have_count(0)
