import pytest
from django.conf import settings
from django.urls import reverse

from staff.choices import Role
from staff.selectors import NavMenu
from tests.factories import EmployeeFactory, UserFactory

PASSWORD = "pass-word-123"


@pytest.mark.django_db
def test_login_page_renders_for_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
def test_pages_need_a_signed_in_user(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client):
    employee = EmployeeFactory()
    response = client.post(
        reverse("login"), {"username": employee.user.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.AGENT, "me", "admin"),
        (Role.MANAGER, "teams", "admin"),
        (Role.ONBOARDING, "onboarding", "admin"),
    ],
)
def test_each_role_sees_its_own_navigation(client, role, expected, absent):
    employee = EmployeeFactory(role=role)
    response = client.post(
        reverse("login"), {"username": employee.user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    keys = [item.key for item in response.context["nav_items"]]
    assert expected in keys
    assert absent not in keys


@pytest.mark.django_db
def test_staff_accounts_get_the_administration_link(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    EmployeeFactory(user=user, role=Role.ADMIN)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "admin" in [item.key for item in response.context["nav_items"]]


@pytest.mark.django_db
def test_the_employees_language_applies_at_login(client):
    employee = EmployeeFactory(language="lv")
    response = client.post(
        reverse("login"), {"username": employee.user.username, "password": PASSWORD}, follow=True
    )
    assert response.context["LANGUAGE_CODE"] == "lv"
    assert '<html lang="lv">' in response.content.decode()


@pytest.mark.django_db
def test_switching_language_is_stored_on_the_employee(client):
    employee = EmployeeFactory(language="en")
    client.force_login(employee.user)
    response = client.post(reverse("language_set"), {"language": "lt", "next": "/"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.language == "lt"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lt"


@pytest.mark.django_db
def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    employee = EmployeeFactory(language="en")
    client.force_login(employee.user)
    response = client.post(
        reverse("language_set"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    employee.refresh_from_db()
    assert employee.language == "en"


@pytest.mark.django_db
def test_anonymous_visitors_can_switch_language_by_cookie(client):
    response = client.post(reverse("language_set"), {"language": "ru", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get(reverse("login"))
    assert page.context["LANGUAGE_CODE"] == "ru"


@pytest.mark.django_db
def test_logout_signs_the_user_out(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_the_navbar_groups_items_into_menus_where_the_group_starts(client):
    employee = EmployeeFactory(role=Role.MANAGER)
    client.force_login(employee.user)
    response = client.get(reverse("scorecards:rules_list"))
    entries = response.context["nav_entries"]
    menus = {
        entry.key: [item.key for item in entry.items]
        for entry in entries
        if isinstance(entry, NavMenu)
    }
    assert menus["team"] == ["teams", "compare", "changes", "alerts", "digest", "onboarding"]
    assert menus["quality"] == ["reviews", "followups", "sampling", "surveys", "coaching"]
    assert menus["data"] == ["imports"]
    # Every item of the flat list is shown once, in a menu or at the top level.
    shown = [key for keys in menus.values() for key in keys] + [
        entry.key for entry in entries if not isinstance(entry, NavMenu)
    ]
    assert sorted(shown) == sorted(item.key for item in response.context["nav_items"])
    html = response.content.decode()
    assert 'data-nav-menu="user"' in html
    assert 'data-nav="password"' in html


@pytest.mark.django_db
def test_an_onboarding_employee_lands_on_the_onboarding_list(client):
    employee = EmployeeFactory(role=Role.ONBOARDING)
    client.force_login(employee.user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("scorecards:onboarding")
